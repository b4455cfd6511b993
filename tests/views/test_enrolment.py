"""The enrolment pages: the people picker on a session page (filters, whole teams, seats left,
the matrix's ?person= link), the over-capacity question, un-enrolling and moving a place."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance, Programme
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
from tests.queries import count_rows

NEXT_WEEK = TODAY + timedelta(days=7)
LATER = TODAY + timedelta(days=21)


def _setting():
    programme = create_programme("Tidewater Family Safeguarding", "tidewater")
    locality = create_locality(programme, name="Saltmarsh", slug="saltmarsh")
    harbour = create_team(locality, name="Harbourside Team")
    moor = create_team(locality, name="Moorland Team")
    return catalogue.get_course(programme, "mi"), harbour, moor


def _url(session, suffix: str = "") -> str:
    slug = db.session.get(Programme, session.programme_id).slug
    return f"/programmes/{slug}/training/sessions/{session.id}{suffix}"


def _names(session) -> list[str]:
    return sorted(
        place.staff.name
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    )


def _flashes(page: str) -> list[str]:
    return [
        visible_text(text)
        for text in re.findall(r'<p class="app-notification__text">(.*?)</p>', page, re.S)
    ]


def _picker(page: str) -> dict[str, list[str]]:
    """The enrol picker as a reader sees it: each team's legend and its people's labels."""
    form = re.search(r'<form[^>]*id="enrol-form".*?</form>', page, re.S)
    assert form, "the page has no enrol form"
    return {
        visible_text(legend): [
            visible_text(label) for label in re.findall(r"<label[^>]*>(.*?)</label>", body, re.S)
        ]
        for legend, body in re.findall(
            r"<legend[^>]*>(.*?)</legend>(.*?)</fieldset>", form.group(0), re.S
        )
    }


def _ticked(page: str) -> list[str]:
    return re.findall(r'name="staff" value="(\d+)" checked', page)


def test_the_picker_groups_those_who_still_need_the_module_by_team_with_their_role(app, sign_in):
    course, harbour, moor = _setting()
    create_staff(harbour, name="Priya Okonkwo")
    done = create_staff(harbour, name="Dafydd Moss")
    create_staff(moor, name="Ines Whitcombe")
    create_staff(moor, "team_coordinator", name="Noor Abernethy")
    attend(course, 2, [done])
    session = create_session(course, 2, NEXT_WEEK, capacity=5)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_url(session)))

    role = "Social worker"
    assert _picker(page) == {
        "Harbourside Team, Saltmarsh": [f"Priya Okonkwo — {role}"],
        "Moorland Team, Saltmarsh": [f"Ines Whitcombe — {role}"],
    }
    assert "5 places left on this session." in visible_text(page)
    assert "2 more people are in post but left out by the filter." in visible_text(page)
    assert (
        f'name="team" value="{harbour.id}"' in page
        and "Enrol the whole team" in page
        and 'aria-label="Enrol the whole team: Harbourside Team, Saltmarsh"' in page
    )

    everyone = _picker(page_of(client.get(_url(session, "?show=everyone"))))
    assert "Dafydd Moss — Social worker" in everyone["Harbourside Team, Saltmarsh"]
    assert len(everyone["Moorland Team, Saltmarsh"]) == 2

    searched = _picker(page_of(client.get(_url(session, "?q=whitcombe"))))
    assert searched == {"Moorland Team, Saltmarsh": [f"Ines Whitcombe — {role}"]}


def test_the_person_link_ticks_them_even_when_the_filter_would_hide_them(app, sign_in):
    course, harbour, moor = _setting()
    create_staff(harbour, name="Priya Okonkwo")
    other = create_staff(moor, "team_coordinator", name="Noor Abernethy")
    session = create_session(course, 1, NEXT_WEEK)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_url(session, f"?person={other.id}&q=okonkwo")))

    assert _ticked(page) == [str(other.id)]
    assert "Noor Abernethy — Team co-ordinator" in _picker(page)["Moorland Team, Saltmarsh"]
    assert page_of(client.get(_url(session, "?person=nonsense"))) is not None


def test_the_whole_team_button_enrols_the_team_s_people_the_filter_shows(app, sign_in):
    course, harbour, moor = _setting()
    create_staff(harbour, name="Priya Okonkwo")
    create_staff(harbour, name="Dafydd Moss")
    create_staff(harbour, name="Ola Fairweather")
    create_staff(moor, name="Ines Whitcombe")
    session = create_session(course, 1, NEXT_WEEK)
    client = sign_in(create_user("trainer"))

    response = client.post(
        _url(session, "/enrol"), data={"team": str(harbour.id), "q": "o", "show": ""}
    )

    assert response.status_code == 302
    assert _names(session) == ["Dafydd Moss", "Ola Fairweather", "Priya Okonkwo"]
    assert "Enrolled 3 people." in _flashes(page_of(client.get(response.location)))


def test_going_over_capacity_asks_first_and_a_second_post_enrols(app, sign_in):
    course, harbour, _moor = _setting()
    people = [create_staff(harbour, name=f"Wren Example {n}") for n in range(3)]
    session = create_session(course, 1, NEXT_WEEK, capacity=2)
    client = sign_in(create_user("trainer"))
    chosen = [str(p.id) for p in people]

    asked = client.post(_url(session, "/enrol"), data={"staff": chosen})

    assert asked.status_code == 200
    page = page_of(asked)
    assert "This puts 3 people on 2 places: 1 over capacity. Enrol anyway?" in _flashes(page)
    assert sorted(re.findall(r'name="staff" value="(\d+)"', page)) == sorted(chosen)
    assert count_rows(Attendance) == 0

    confirmed = client.post(_url(session, "/enrol"), data={"staff": chosen, "confirm": "yes"})

    assert confirmed.status_code == 302
    assert len(_names(session)) == 3
    assert _flashes(page_of(client.get(confirmed.location)))[:2] == [
        "Enrolled 3 people.",
        "The session is over capacity: 3 enrolled for 2 places.",
    ]


def test_enrolling_someone_the_course_is_not_for_is_refused_naming_them(app, sign_in):
    course, harbour, _moor = _setting()
    odd = create_staff(harbour, "team_coordinator", name="Noor Abernethy")
    session = create_session(course, 1, NEXT_WEEK)
    client = sign_in(create_user("trainer"))

    response = client.post(
        _url(session, "/enrol"), data={"staff": [str(odd.id)], "show": "everyone"}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "Noor Abernethy is a Team co-ordinator; Motivational Interviewing is for" in page
    assert "<title>Error:" in page
    assert _ticked(page) == [str(odd.id)]  # the choice is kept
    assert count_rows(Attendance) == 0


def test_unknown_ids_are_refused_with_the_id(app, sign_in):
    course, harbour, _moor = _setting()
    create_staff(harbour)
    session = create_session(course, 1, NEXT_WEEK)
    client = sign_in(create_user("trainer"))

    response = client.post(_url(session, "/enrol"), data={"staff": ["987654"]})

    assert response.status_code == 400
    assert "There is no staff member 987654 in this programme." in page_of(response)


def test_a_cancelled_session_offers_no_enrolment_and_refuses_one(app, sign_in):
    course, harbour, _moor = _setting()
    person = create_staff(harbour)
    session = create_session(course, 1, NEXT_WEEK, cancelled_at=datetime(2026, 11, 27, tzinfo=UTC))
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_url(session)))
    assert "This session was cancelled on" in page and "enrol-form" not in page
    response = client.post(
        _url(session, "/enrol"), data={"staff": [str(person.id)]}, follow_redirects=True
    )

    assert "nobody can be enrolled on it" in page_of(response)
    assert count_rows(Attendance) == 0


def test_removing_a_person_redirects_with_a_message_and_a_recorded_place_stays(app, sign_in):
    course, harbour, _moor = _setting()
    ann, ben = (
        create_staff(harbour, name="Priya Okonkwo"),
        create_staff(harbour, name="Dafydd Moss"),
    )
    session = create_session(course, 1, NEXT_WEEK)
    enrolment.enrol(session, [ann.id, ben.id], None)
    held = attend(course, 2, [ben])
    client = sign_in(create_user("trainer"))

    response = client.post(_url(session, f"/places/{ann.id}/remove"))

    assert response.status_code == 302
    page = page_of(client.get(response.location))
    assert "Removed Priya Okonkwo from this session." in _flashes(page)
    assert _names(session) == ["Dafydd Moss"]
    refused = client.post(_url(held, f"/places/{ben.id}/remove"))
    assert refused.status_code == 302
    flashes = _flashes(page_of(client.get(refused.location)))
    assert any("Dafydd Moss cannot be removed: their attendance is recorded" in f for f in flashes)
    assert "Attendance recorded: the register keeps this place" in page_of(client.get(_url(held)))


def test_moving_a_person_lists_sessions_with_seats_and_moves_them(app, sign_in):
    course, harbour, _moor = _setting()
    person, filler = create_staff(harbour, name="Priya Okonkwo"), create_staff(harbour)
    session = create_session(course, 2, NEXT_WEEK)
    later = create_session(course, 2, LATER, venue="Quayside Hall", capacity=1)
    create_session(course, 3, LATER, venue="Elsewhere Barn")  # another module: not offered
    enrolment.enrol(session, [person.id], None)
    enrolment.enrol(later, [filler.id], None)
    client = sign_in(create_user("trainer"))
    url = _url(session, f"/places/{person.id}/move")

    page = visible_text(page_of(client.get(url)))
    assert "21 Dec 2026, Quayside Hall: full" in page
    assert "Elsewhere Barn" not in page

    asked = client.post(url, data={"target": str(later.id)})
    assert asked.status_code == 200
    assert "This puts 2 people on 1 places: 1 over capacity. Move anyway?" in page_of(asked)
    assert _names(session) == ["Priya Okonkwo"]

    moved = client.post(url, data={"target": str(later.id), "confirm": "yes"})
    assert moved.status_code == 302
    assert "Moved Priya Okonkwo to the session on 21 Dec 2026." in _flashes(
        page_of(client.get(moved.location))
    )
    assert _names(later) == sorted(["Priya Okonkwo", filler.name])


def test_moving_to_a_cancelled_session_is_refused_on_the_form(app, sign_in):
    course, harbour, _moor = _setting()
    person = create_staff(harbour, name="Priya Okonkwo")
    session = create_session(course, 2, NEXT_WEEK)
    gone = create_session(course, 2, LATER, cancelled_at=datetime(2026, 11, 27, tzinfo=UTC))
    enrolment.enrol(session, [person.id], None)
    client = sign_in(create_user("trainer"))

    response = client.post(
        _url(session, f"/places/{person.id}/move"), data={"target": str(gone.id)}
    )

    assert response.status_code == 400
    assert "nobody can be moved to it" in page_of(response)
    assert _names(session) == ["Priya Okonkwo"]


def test_the_session_page_runs_the_same_queries_for_10_people_or_100(app, sign_in, count_queries):
    course, harbour, moor = _setting()
    session = create_session(course, 2, TODAY)  # today: the register and walk-ins show too
    client = sign_in(create_user("trainer"))

    def queries_with(how_many: int, prefix: str) -> int:
        teams = [harbour, moor, create_team(harbour.locality, name=f"{prefix} Crew")]
        people = [
            create_staff(teams[n % 3], name=f"{prefix} Person {n:03d}") for n in range(how_many)
        ]
        attend(course, 2, people[: how_many // 5])  # attended: hidden by default
        enrolment.enrol(session, [p.id for p in people[-3:]], None)
        client.get(_url(session))  # warm: templates compiled, user loaded
        with count_queries() as counter:
            response = client.get(_url(session))
        assert response.status_code == 200
        return counter.count

    few = queries_with(10, "Few")
    many = queries_with(90, "Many")
    assert count_rows(Attendance, Attendance.session_id == session.id) == 6

    assert few == many
