"""The demo's pilot locality: live for about nine months, so the pages about life after go-live
(group supervision, outcomes since go-live) have something real to show."""

from datetime import timedelta

from programme.domain import go_live
from programme.services import supervision
from programme.services.readiness import decisions
from tests.conftest import TODAY

PILOT = "Burnham and Highbridge"


def _pilot(programme):
    return next(locality for locality in programme.localities if locality.name == PILOT)


def test_the_pilot_went_live_months_ago_on_a_board_decision_taken_before_its_go_live(
    demo_programme,
):
    pilot = _pilot(demo_programme)

    [decision] = decisions.decisions(pilot)

    assert go_live.phase(pilot.state, pilot.go_live, TODAY) == go_live.LIVE
    assert TODAY - timedelta(days=300) < pilot.go_live < TODAY - timedelta(days=240)
    assert decision.rescinded_at is None
    assert decision.decided_by_name == "Bernard Okafor"
    assert decision.decided_at.date() < pilot.go_live
    # The evidence it was taken on: every criterion met on the day.
    assert decision.evidence
    assert [other.name for other in demo_programme.localities if other.state == "live"] == [PILOT]


def test_the_pilot_s_teams_are_on_the_supervision_page_with_one_flagged(demo_programme):
    rows = supervision.team_supervision(demo_programme, TODAY)

    assert {row.locality for row in rows} == {PILOT}
    by_team = {row.team: row for row in rows}
    assert set(by_team) == {"Burnham FS Team", "Highbridge FS Team"}
    burnham, highbridge = by_team["Burnham FS Team"], by_team["Highbridge FS Team"]
    assert not burnham.flagged and burnham.in_4_weeks >= 4 and burnham.in_12_weeks >= 12
    assert highbridge.flagged and highbridge.in_4_weeks == 0 and highbridge.in_12_weeks > 0
    assert TODAY - highbridge.last_held_on >= timedelta(weeks=5)
    assert [row.team for row in supervision.flagged_teams(_pilot(demo_programme), TODAY)] == [
        "Highbridge FS Team"
    ]
