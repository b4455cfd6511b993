"""Recording group supervision: checked, audited, refused when stale; the live teams' counts."""

from datetime import date, timedelta

import pytest

from programme.models import SupervisionSession
from programme.services import supervision
from programme.services.errors import ServiceError, StaleEdit
from tests.builders import create_locality, create_team, create_user
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows, reread


def _live(programme=None, went_live=date(2026, 6, 1), **extra):
    return create_locality(programme, state="live", go_live=went_live, **extra)


def _record(team, held_on, families=3, psychologist=False, actions="", actor=None):
    return supervision.record_session(
        team,
        actor,
        today=TODAY,
        held_on=held_on,
        families_discussed=families,
        psychologist_present=psychologist,
        actions=actions,
    )


def test_a_recorded_session_is_kept_and_audited(app):
    team = create_team(_live())
    manager = create_user("programme_manager")

    session = _record(
        team, TODAY - timedelta(days=2), "4", True, " Agree a plan for family A ", manager
    )

    saved = reread(session)
    assert (saved.held_on, saved.families_discussed, saved.psychologist_present, saved.actions) == (
        TODAY - timedelta(days=2),
        4,
        True,
        "Agree a plan for family A",
    )
    assert saved.recorded_by_id == manager.id and saved.version == 1
    (event,) = audit_events_for("supervision_session", session.id)
    assert event.action == "record_supervision"
    assert "28 Nov 2026" in event.summary and "4 families" in event.summary


@pytest.mark.parametrize(
    ("held_on", "families", "field"),
    [
        (TODAY + timedelta(days=1), "2", "held_on"),
        (None, "2", "held_on"),
        (TODAY, "-1", "families_discussed"),
        (TODAY, "two", "families_discussed"),
        (TODAY, "", "families_discussed"),
    ],
)
def test_a_bad_session_is_refused_naming_the_field(app, held_on, families, field):
    team = create_team(_live())
    with pytest.raises(ServiceError) as refused:
        _record(team, held_on, families)
    assert refused.value.field == field
    assert count_rows(SupervisionSession) == 0


def test_only_a_family_safeguarding_team_holds_group_supervision(app):
    area = create_team(_live(), kind="area")
    with pytest.raises(ServiceError, match="not a Family Safeguarding team"):
        _record(area, TODAY)


def test_a_change_names_what_changed_and_a_stale_one_is_refused(app):
    team = create_team(_live())
    session = _record(team, TODAY - timedelta(days=3))
    values = dict(
        held_on=session.held_on, families_discussed="5", psychologist_present=True, actions=""
    )

    assert supervision.update_session(session, None, today=TODAY, expected_version=1, **values)

    (_, event) = audit_events_for("supervision_session", session.id)
    assert event.action == "change_supervision"
    assert event.before == {"families_discussed": 3, "psychologist_present": False}
    assert reread(session).version == 2
    with pytest.raises(StaleEdit):
        supervision.update_session(reread(session), None, today=TODAY, expected_version=1, **values)
    unchanged = supervision.update_session(
        reread(session), None, today=TODAY, expected_version=2, **values
    )
    assert unchanged is False


def test_removing_a_session_keeps_what_it_recorded_in_the_trail(app):
    team = create_team(_live())
    session = _record(team, TODAY - timedelta(days=3))
    session_id = session.id

    supervision.delete_session(session, None, expected_version=1)

    assert count_rows(SupervisionSession) == 0
    (_, event) = audit_events_for("supervision_session", session_id)
    assert event.action == "delete_supervision"
    assert event.before["families_discussed"] == 3


def test_the_live_teams_are_counted_over_4_and_12_weeks(app):
    locality = _live()
    programme = locality.programme
    team = create_team(locality, name="FS Team A")
    quiet = create_team(locality, name="FS Team B")
    create_team(locality, name="Area workers", kind="area")
    create_team(create_locality(programme), name="Not live yet")
    create_team(_live(programme, went_live=TODAY + timedelta(days=7)), name="Approved")
    for days, psychologist in ((1, True), (27, False), (28, True), (83, True), (84, True)):
        _record(team, TODAY - timedelta(days=days), psychologist=psychologist)
    _record(quiet, TODAY - timedelta(days=28))

    rows = {row.team: row for row in supervision.team_supervision(programme, TODAY)}

    assert sorted(rows) == ["FS Team A", "FS Team B"]
    a, b = rows["FS Team A"], rows["FS Team B"]
    assert (a.last_held_on, a.in_4_weeks, a.in_12_weeks, a.with_psychologist, a.flagged) == (
        TODAY - timedelta(days=1),
        2,
        4,
        3,
        False,
    )
    assert (b.in_4_weeks, b.flagged) == (0, True)
    assert [row.team for row in supervision.flagged_teams(locality, TODAY)] == ["FS Team B"]
    assert supervision.flagged_teams(create_locality(programme), TODAY) is None
