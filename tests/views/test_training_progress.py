"""Module-level progress pages: the matrix's module cells and Book links, the page of sessions
with places for a module, a locality's still-to-book list, and the staff record and its edit."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from programme.clock import utc_now
from programme.extensions import db
from programme.models import StaffMember
from programme.services.training import catalogue, enrolment
from tests.builders import (
    attend,
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread

GO_LIVE = TODAY + timedelta(days=45)
SOON = TODAY + timedelta(days=9)


def _setting():
    programme = create_programme("Ashcombe Family Safeguarding", "ashcombe")
    locality = create_locality(programme, name="Brackenfold", slug="brackenfold", go_live=GO_LIVE)
    team = create_team(locality, name="Sandpiper Team")
    return programme, locality, team, catalogue.get_course(programme, "mi")


def _base(programme) -> str:
    return f"/programmes/{programme.slug}"


def _flashes(page: str) -> list[str]:
    return [
        visible_text(text)
        for text in re.findall(r'<p class="app-notification__text">(.*?)</p>', page, re.S)
    ]


def _fragment(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match, f"nothing matches {pattern}"
    return match.group(0)


def _cell(page: str, person, course_key: str) -> str:
    row = _fragment(page, rf'<tr id="staff-{person.id}".*?</tr>')
    return _fragment(row, rf'<td [^>]*data-course="{course_key}">.*?</td>')


# ------------------------------------------------------------------ the matrix


def test_the_matrix_names_modules_attended_booked_and_needed_with_links(app, sign_in):
    programme, locality, team, mi = _setting()
    wren = create_staff(team, name="Wren Allard")
    attend(mi, 1, [wren])
    booked = create_session(mi, 2, SOON)
    enrolment.enrol(booked, [wren.id], None)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"{_base(programme)}/localities/{locality.slug}/training"))

    cell = _cell(page, wren, "mi")
    assert visible_text(cell).startswith(
        "In progress Attended: module 1 Module 2 booked: 9 Dec 2026"
    )
    assert f'href="{_base(programme)}/training/sessions/{booked.id}"' in cell
    assert "Still needed: Book module 3" in visible_text(cell)
    book = f"{_base(programme)}/training/courses/mi/modules/4/book?person={wren.id}"
    assert f'href="{book}"' in cell
    assert f'href="{_base(programme)}/staff/{wren.id}">Wren Allard</a>' in page
    assert f'href="{_base(programme)}/localities/{locality.slug}/training/still-to-book"' in page


def test_the_matrix_download_has_the_modules_still_needed(app, sign_in):
    programme, locality, team, mi = _setting()
    wren = create_staff(team, name="Wren Allard")
    for number in (1, 2, 3):
        attend(mi, number, [wren])
    client = sign_in(create_user("viewer"))

    response = client.get(
        f"{_base(programme)}/localities/{locality.slug}/training?download=csv&table=matrix"
    )

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header = next(row for row in rows if "Modules still needed" in row)
    [wren_row] = [row for row in rows if "Wren Allard" in row]
    assert wren_row[header.index("Modules still needed")] == (
        "Motivational Interviewing: module 4; FS practice and change workshops: modules 1, 2 and 3"
    )


def test_the_locality_page_runs_the_same_queries_for_10_people_or_100(app, sign_in, count_queries):
    programme, locality, team, mi = _setting()
    client = sign_in(create_user("viewer"))
    url = f"{_base(programme)}/localities/{locality.slug}/training"

    def queries_with(how_many: int, prefix: str) -> int:
        people = [create_staff(team, name=f"{prefix} {n:03d}") for n in range(how_many)]
        attend(mi, 1, people)
        enrolment.enrol(create_session(mi, 2, SOON, capacity=200), [p.id for p in people], None)
        client.get(url)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        return counter.count

    few = queries_with(10, "Few")
    many = queries_with(90, "Many")

    assert count_rows(StaffMember) == 100
    assert few == many


# ------------------------------------------------------------------ booking a module


def test_the_book_page_lists_sessions_with_places_linking_to_enrol_the_person(app, sign_in):
    programme, _locality, team, mi = _setting()
    wren = create_staff(team, name="Wren Allard")
    trainer = create_user("trainer", name="Ivo Trainer")
    open_one = create_session(mi, 3, SOON, capacity=5, venue="Larkspur Hall", trainer=trainer)
    full = create_session(mi, 3, SOON, capacity=1)
    enrolment.enrol(full, [create_staff(team, name="Other Person").id], None)
    cancelled = create_session(mi, 3, SOON)
    cancelled.cancelled_at = utc_now()
    db.session.commit()
    client = sign_in(create_user("viewer"))

    page = page_of(
        client.get(f"{_base(programme)}/training/courses/mi/modules/3/book?person={wren.id}")
    )

    assert "Book module 3 for Wren Allard" in visible_text(page)
    table = _fragment(page, r'<table[^>]*id="open-sessions".*?</table>')
    assert len(re.findall(r"<tr data-session=", table)) == 1
    row = visible_text(_fragment(table, r"<tbody>.*?</tbody>"))
    assert row.startswith("9 Dec 2026")
    assert "Larkspur Hall" in row and "Ivo Trainer" in row and row.endswith("5 places")
    link = f"{_base(programme)}/training/sessions/{open_one.id}?person={wren.id}#enrol"
    assert f'href="{link}"' in table
    assert f"/sessions/{full.id}" not in table and f"/sessions/{cancelled.id}" not in table


def test_the_book_page_says_when_no_session_has_places(app, sign_in):
    programme, _locality, _team, mi = _setting()
    create_session(mi, 2, TODAY - timedelta(days=3))
    url = f"{_base(programme)}/training/courses/mi/modules/2/book"

    trainer_page = page_of(sign_in(create_user("trainer")).get(url))
    assert "No upcoming session of this module has places left." in trainer_page
    assert f'href="{_base(programme)}/training/sessions/new"' in trainer_page

    viewer_page = page_of(sign_in(create_user("viewer")).get(url))
    assert "Ask a trainer or programme manager to schedule another session." in viewer_page
    assert "/training/sessions/new" not in viewer_page


def test_the_book_page_answers_404_for_an_unknown_module_or_person(app, sign_in):
    programme, _locality, _team, _mi = _setting()
    other = create_staff(create_team(create_locality(create_programme("Far", "far"))))
    client = sign_in(create_user("viewer"))
    base = f"{_base(programme)}/training/courses"

    assert client.get(f"{base}/mi/modules/9/book").status_code == 404
    assert client.get(f"{base}/nope/modules/1/book").status_code == 404
    assert client.get(f"{base}/mi/modules/1/book?person={other.id}").status_code == 404
    assert client.get(f"{base}/mi/modules/1/book?person=99999999999999999999").status_code == 404
    assert client.get(f"{base}/mi/modules/1/book?person=abc").status_code == 200


# ------------------------------------------------------------------ still to book


def test_still_to_book_shows_who_needs_what_and_whether_places_suffice(app, sign_in):
    programme, locality, team, mi = _setting()
    second = create_team(locality, name="Kittiwake Team")
    people = [create_staff(team, name=n) for n in ("Abe Stone", "Bea Flint")]
    create_staff(second, name="Cal Slate")
    for number in (1, 2, 3, 4):
        attend(mi, number, people[:1])
    create_session(mi, 1, SOON, capacity=1)
    create_session(mi, 2, SOON, capacity=3)
    client = sign_in(create_user("trainer"))
    url = f"{_base(programme)}/localities/{locality.slug}/training/still-to-book"

    page = page_of(client.get(url))

    assert "before Brackenfold goes live on 14 Jan 2027" in visible_text(page)
    module_1 = visible_text(
        _fragment(page, r'<div class="app-still-to-book" id="module-mi-1">.*?</ul>')
    )
    assert "Places needed 2 Places available 1 on 1 session" in module_1
    # (visible_text puts a space where the tag ends, before its colon)
    assert "Short by 1 place : schedule another cohort." in module_1
    assert "Kittiwake Team (1): Cal Slate" in module_1
    assert "Sandpiper Team (1): Bea Flint" in module_1
    assert "Abe Stone" not in module_1
    module_2 = visible_text(_fragment(page, r'id="module-mi-2">.*?</ul>'))
    assert "Enough places" in module_2
    assert f'href="{_base(programme)}/training/sessions/new"' in _fragment(
        page, r'id="module-mi-1">.*?</ul>'
    )


def test_still_to_book_runs_the_same_queries_for_10_people_or_100(app, sign_in, count_queries):
    programme, locality, team, mi = _setting()
    other = create_team(locality, name="Gannet Team")
    client = sign_in(create_user("viewer"))
    url = f"{_base(programme)}/localities/{locality.slug}/training/still-to-book"

    def queries_with(how_many: int, prefix: str) -> int:
        people = [
            create_staff(team if n % 2 else other, name=f"{prefix} {n:03d}")
            for n in range(how_many)
        ]
        attend(mi, 1, people[:3])
        enrolment.enrol(create_session(mi, 2, SOON), [p.id for p in people[:4]], None)
        client.get(url)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        return counter.count

    few = queries_with(10, "Few")
    many = queries_with(90, "Many")

    assert count_rows(StaffMember) == 100
    assert few == many


# ------------------------------------------------------------------ the staff record


def test_the_staff_record_shows_details_and_training_history(app, sign_in):
    programme, locality, team, mi = _setting()
    wren = create_staff(
        team, name="Wren Allard", email="wren.allard@example.org", start_date=date(2025, 2, 3)
    )
    held = attend(mi, 1, [wren])
    client = sign_in(create_user("hr_lead"))

    page = page_of(client.get(f"{_base(programme)}/staff/{wren.id}"))

    details = visible_text(
        _fragment(page, r'<dl class="app-summary-list" id="staff-details">.*?</dl>')
    )
    assert details == (
        "E-mail address wren.allard@example.org Team Sandpiper Team Locality Brackenfold "
        "Role Social worker Post Not linked to a post Start date 3 Feb 2025 "
        "Leaving date Not set Employer Not known"
    )
    history = _fragment(page, r'<table[^>]*id="history-mi".*?</table>')
    assert f"/training/sessions/{held.id}" in history
    assert "Attended" in visible_text(_fragment(history, r'<tr data-module="1".*?</tr>'))
    assert "Still needed Book module 2" in visible_text(
        _fragment(history, r'<tr data-module="2".*?</tr>')
    )
    assert "Change Wren Allard's record" in page


def test_a_viewer_sees_the_record_without_the_e_mail_or_the_change_button(app, sign_in):
    programme, _locality, team, _mi = _setting()
    wren = create_staff(team, name="Wren Allard", email="wren.allard@example.org")

    page = page_of(sign_in(create_user("viewer")).get(f"{_base(programme)}/staff/{wren.id}"))

    assert "wren.allard@example.org" not in page
    assert "Change Wren Allard's record" not in page
    client = sign_in(create_user("viewer"))
    assert client.get(f"{_base(programme)}/staff/99999999999999999999").status_code == 404
    assert client.get(f"{_base(programme)}/staff/{wren.id + 1000}").status_code == 404


def _form(person, **changes) -> dict:
    data = {
        "version": str(person.version),
        "name": person.name,
        "email": person.email,
        "team": str(person.team_id),
        "role": str(person.role_id),
        "start_date": person.start_date.isoformat() if person.start_date else "",
        "leaving_date": person.leaving_date.isoformat() if person.leaving_date else "",
    }
    data.update(changes)
    return data


def test_an_hr_lead_sets_a_leaving_date_and_moves_a_team(app, sign_in):
    programme, locality, team, _mi = _setting()
    elsewhere = create_team(create_locality(programme, name="Moorgate"), name="Curlew Team")
    wren = create_staff(team, name="Wren Allard", start_date=date(2025, 2, 3))
    client = sign_in(create_user("hr_lead"))
    url = f"{_base(programme)}/staff/{wren.id}/edit"
    form_page = page_of(client.get(url))
    assert "Curlew Team, Moorgate" in form_page and f'value="{wren.version}"' in form_page

    response = client.post(url, data=_form(wren, leaving_date="2027-02-26", team=str(elsewhere.id)))

    assert response.status_code == 302
    assert response.location == f"{_base(programme)}/staff/{wren.id}"
    page = page_of(client.get(response.location))
    assert _flashes(page) == ["Saved Wren Allard's team and leaving date."]
    assert "Leaving date 26 Feb 2027" in visible_text(page)
    assert "Team Curlew Team Locality Moorgate" in visible_text(page)
    [event] = [e for e in audit_events_for("staff", wren.id) if e.action == "update"]
    assert event.after == {"team": "Curlew Team, Moorgate", "leaving_date": "26 Feb 2027"}


def test_a_taken_e_mail_and_a_leaving_date_before_the_start_are_refused(app, sign_in):
    programme, _locality, team, _mi = _setting()
    create_staff(team, name="Oona Reed", email="oona.reed@example.org")
    wren = create_staff(team, name="Wren Allard", start_date=date(2025, 2, 3))
    client = sign_in(create_user("trainer"))
    url = f"{_base(programme)}/staff/{wren.id}/edit"

    taken = client.post(url, data=_form(wren, email="Oona.Reed@example.org"))
    early = client.post(url, data=_form(wren, leaving_date="2025-02-02"))

    assert taken.status_code == 400
    taken_page = page_of(taken)
    assert "<title>Error: " in taken_page
    assert "oona.reed@example.org is already the e-mail address of Oona Reed" in taken_page
    assert early.status_code == 400
    assert "The leaving date must be on or after the start date (3 Feb 2025)." in page_of(early)
    assert reread(wren).leaving_date is None


def test_a_stale_save_is_refused_showing_the_current_values(app, sign_in):
    programme, _locality, team, _mi = _setting()
    wren = create_staff(team, name="Wren Allard")
    opened = _form(wren)
    client = sign_in(create_user("programme_manager"))
    url = f"{_base(programme)}/staff/{wren.id}/edit"
    assert client.post(url, data=_form(wren, name="Wren Allard-Hale")).status_code == 302

    response = client.post(url, data={**opened, "name": "Wren Alard"})

    assert response.status_code == 400
    page = page_of(response)
    assert "Someone else changed Wren Allard-Hale's record after you opened it." in page
    assert 'value="Wren Allard-Hale"' in page
    assert reread(wren).name == "Wren Allard-Hale"
    # Saving again from the refreshed form is a deliberate overwrite.
    version = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    again = client.post(url, data={**opened, "version": version.group(1), "name": "Wren Alard"})
    assert again.status_code == 302
    assert reread(wren).name == "Wren Alard"


def test_the_change_reads_in_words_on_the_localitys_audit_trail(app, sign_in):
    programme, locality, team, _mi = _setting()
    wren = create_staff(team, name="Wren Allard", start_date=date(2025, 2, 3))
    client = sign_in(create_user("programme_manager"))
    url = f"{_base(programme)}/staff/{wren.id}/edit"
    assert client.post(url, data=_form(wren, leaving_date="2027-02-26")).status_code == 302

    page = visible_text(page_of(client.get(f"{_base(programme)}/localities/{locality.slug}/audit")))

    assert "Changed Wren Allard's leaving date" in page
    assert "Not set" in page and "26 Feb 2027" in page


def test_the_training_overview_links_each_localitys_still_to_book_list(app, sign_in):
    programme, locality, _team, _mi = _setting()

    page = page_of(sign_in(create_user("viewer")).get(f"{_base(programme)}/training"))

    link = f'href="{_base(programme)}/localities/{locality.slug}/training/still-to-book"'
    assert link in _fragment(page, r'<ul class="app-list" id="still-to-book".*?</ul>')


def test_the_book_page_says_when_the_person_is_booked_or_has_attended_already(app, sign_in):
    programme, _locality, team, mi = _setting()
    wren = create_staff(team, name="Wren Allard")
    attend(mi, 1, [wren])
    booked = create_session(mi, 2, SOON)
    enrolment.enrol(booked, [wren.id], None)
    client = sign_in(create_user("viewer"))
    base = f"{_base(programme)}/training/courses/mi/modules"

    attended = visible_text(page_of(client.get(f"{base}/1/book?person={wren.id}")))
    on_it = page_of(client.get(f"{base}/2/book?person={wren.id}"))
    needed = page_of(client.get(f"{base}/3/book?person={wren.id}"))

    assert "Wren Allard has attended this module already." in attended
    assert "Wren Allard is booked on this module already: 9 Dec 2026" in visible_text(on_it)
    assert f"/training/sessions/{booked.id}" in _fragment(on_it, r'id="already".*?</div>')
    assert 'id="already"' not in needed
