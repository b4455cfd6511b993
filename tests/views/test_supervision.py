"""Group supervision pages: every live team with its red flag, a team's sessions with the form
to record one, changing and removing a session, and the flag on the locality page."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import g

from programme.extensions import db
from programme.models import Programme, SupervisionSession
from programme.services import supervision
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread

LIVE_SINCE = date(2026, 6, 1)


def _live(programme=None, **extra):
    return create_locality(programme, state="live", go_live=LIVE_SINCE, **extra)


def _record(team, days_ago: int, families=3, psychologist=False, actions=""):
    return supervision.record_session(
        team,
        None,
        today=TODAY,
        held_on=TODAY - timedelta(days=days_ago),
        families_discussed=families,
        psychologist_present=psychologist,
        actions=actions,
    )


def _index(programme) -> str:
    return f"/programmes/{programme.slug}/supervision"


def _team_url(team) -> str:
    return f"/programmes/{team.locality.programme.slug}/supervision/teams/{team.id}"


def _row(page: str, team) -> str:
    found = re.search(rf'<tr data-team="{team.id}">.*?</tr>', page, re.S)
    assert found, f"no row for {team.name}"
    return found.group(0)


def _cell(row: str, name: str) -> str:
    found = re.search(rf'data-field="{name}">(.*?)</td>', row, re.S)
    assert found, name
    return visible_text(found.group(1))


def test_the_board_sees_which_live_team_has_gone_4_weeks_without_supervision(app, sign_in):
    locality = _live(name="Bridgwater")
    programme = locality.programme
    practising = create_team(locality, name="FS Team A")
    quiet = create_team(locality, name="FS Team B")
    later = create_team(create_locality(programme, name="Mendip"), name="FS Team C")
    for days, psychologist in ((2, True), (9, False), (16, True), (40, False)):
        _record(practising, days, psychologist=psychologist)
    _record(quiet, 30)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_index(programme)))

    a, b = _row(page, practising), _row(page, quiet)
    assert {n: _cell(a, n) for n in ("last", "recent", "longer", "psychologist", "flag")} == {
        "last": "28 Nov 2026",
        "recent": "3",
        "longer": "4",
        "psychologist": "50% (2 of 4)",
        "flag": "Held",
    }
    assert (_cell(b, "last"), _cell(b, "recent"), _cell(b, "flag")) == (
        "31 Oct 2026",
        "0",
        "None for 4 weeks",
    )
    assert "app-tag--red" in b
    assert f'data-team="{later.id}"' not in page  # Mendip is not live
    assert "1 team of 2 has held no group supervision for 4 weeks." in visible_text(page)
    assert "Record the session" not in page_of(client.get(_team_url(quiet)))


def test_a_programme_with_no_live_team_says_so(app, sign_in):
    programme = create_locality().programme
    page = page_of(sign_in(create_user("viewer")).get(_index(programme)))
    assert 'id="no-live-teams"' in page


def test_a_programme_manager_records_a_session_and_the_flag_clears(app, sign_in):
    team = create_team(_live())
    client = sign_in(create_user("programme_manager"))
    assert "None for 4 weeks" in page_of(client.get(_team_url(team)))

    response = client.post(
        _team_url(team),
        data={
            "held_on": "2026-11-27",
            "families_discussed": "6",
            "psychologist_present": "y",
            "actions": "Family A: joint visit with the DA worker",
        },
    )

    assert response.status_code == 302 and response.location == _team_url(team)
    page = page_of(client.get(response.location))
    assert "Recorded the group supervision of" in page
    assert "Family A: joint visit with the DA worker" in page
    assert "None for 4 weeks" not in page
    assert count_rows(SupervisionSession) == 1


def test_a_session_to_come_or_a_negative_count_is_refused_with_the_field_named(app, sign_in):
    team = create_team(_live())
    client = sign_in(create_user("programme_manager"))

    future = client.post(_team_url(team), data={"held_on": "2026-12-01", "families_discussed": "2"})
    negative = client.post(
        _team_url(team), data={"held_on": "2026-11-27", "families_discussed": "-2"}
    )

    assert future.status_code == 400 and negative.status_code == 400
    assert "1 Dec 2026 is in the future" in page_of(future)
    assert 'href="#held_on"' in page_of(future)
    assert "as a whole number, 0 or more" in page_of(negative)
    assert 'href="#families_discussed"' in page_of(negative)
    assert count_rows(SupervisionSession) == 0


def test_the_hint_warns_not_to_name_families(app, sign_in):
    team = create_team(_live())
    page = page_of(sign_in(create_user("programme_manager")).get(_team_url(team)))
    assert "Do not name families" in page


def test_changing_a_session_someone_else_changed_answers_409(app, sign_in):
    team = create_team(_live())
    session = _record(team, 3)
    client = sign_in(create_user("programme_manager"))
    url = f"{_team_url(team)}/sessions/{session.id}/edit"
    form = {"version": "1", "held_on": "2026-11-27", "families_discussed": "8"}
    assert 'value="3"' in page_of(client.get(url))
    supervision.update_session(
        reread(session),
        None,
        today=TODAY,
        expected_version=1,
        held_on=session.held_on,
        families_discussed=4,
        psychologist_present=False,
        actions="",
    )

    stale = client.post(url, data=form)

    assert stale.status_code == 409
    assert 'id="current-values"' in page_of(stale)
    assert reread(session).families_discussed == 4
    saved = client.post(url, data={**form, "version": "2"})
    assert saved.status_code == 302
    assert reread(session).families_discussed == 8


def test_removing_a_session_asks_first(app, sign_in):
    team = create_team(_live())
    session = _record(team, 3)
    client = sign_in(create_user("programme_manager"))
    url = f"{_team_url(team)}/sessions/{session.id}/delete"

    page = page_of(client.get(url))
    assert "Remove the session on 27 Nov 2026?" in page and count_rows(SupervisionSession) == 1

    response = client.post(url, data={"version": "1"})
    assert response.status_code == 302 and response.location == _team_url(team)
    assert count_rows(SupervisionSession) == 0


def test_a_viewer_cannot_record(app, sign_in):
    team = create_team(_live())
    response = sign_in(create_user("viewer")).post(
        _team_url(team), data={"held_on": "2026-11-27", "families_discussed": "2"}
    )
    assert response.status_code == 403
    assert count_rows(SupervisionSession) == 0


def test_the_locality_page_flags_its_quiet_teams_and_links_the_supervision_page(app, sign_in):
    locality = _live(name="Bridgwater")
    quiet = create_team(locality, name="FS Team B")
    _record(create_team(locality, name="FS Team A"), 2)
    planning = create_locality(locality.programme)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{locality.programme.slug}/localities/{locality.slug}"))

    flags = re.search(r'id="supervision-flags">(.*?)</dd>', page, re.S).group(1)
    assert "None for 4 weeks" in flags and f'href="{_team_url(quiet)}"' in flags
    assert "FS Team A" not in flags
    assert f'href="{_index(locality.programme)}"' in flags
    other = page_of(client.get(f"/programmes/{planning.programme.slug}/localities/{planning.slug}"))
    assert 'id="supervision-flags"' not in other


def _new_request() -> None:
    db.session.remove()
    g.pop("_login_user", None)


def _programme_with(localities: int) -> Programme:
    programme = create_programme(f"Programme of {localities}")
    for n in range(localities):
        locality = _live(programme, name=f"Locality {n}", slug=f"live-{n}")
        for letter in "AB":
            team = create_team(locality, name=f"FS Team {n}{letter}")
            if letter == "A":
                _record(team, 2 + n, psychologist=bool(n % 2))
    db.session.commit()
    return programme


def test_the_page_runs_the_same_queries_for_1_or_6_localities(app, sign_in, count_queries):
    one, six = _programme_with(1), _programme_with(6)
    urls = _index(one), _index(six)
    client = sign_in(create_user("viewer"))
    client.get(urls[0])

    counts = []
    for url in urls:
        _new_request()
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(queries)

    assert counts[0].count == counts[1].count, "\n".join(counts[1].statements)
