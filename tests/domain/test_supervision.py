"""The red flag on group supervision: a live team with none for 4 weeks, counted in days."""

from datetime import date, timedelta

import pytest

from programme.domain import supervision as rules

TODAY = date(2026, 11, 30)
LIVE_SINCE = date(2026, 6, 1)  # live for months


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_a_session_27_days_ago_keeps_the_team_clear():
    assert not rules.flagged("live", LIVE_SINCE, days_ago(27), TODAY)


def test_a_session_exactly_28_days_ago_is_4_weeks_without_one():
    assert rules.flagged("live", LIVE_SINCE, days_ago(28), TODAY)


def test_a_session_today_clears_the_flag():
    assert not rules.flagged("live", LIVE_SINCE, TODAY, TODAY)


def test_a_team_that_never_held_one_is_flagged_once_live_for_4_weeks():
    assert rules.flagged("live", LIVE_SINCE, None, TODAY)


def test_go_live_day_is_day_0():
    assert not rules.flagged("live", TODAY, None, TODAY)
    assert rules.days_without(TODAY, None, TODAY) == 0


@pytest.mark.parametrize(("live_for", "flag"), [(1, False), (27, False), (28, True), (29, True)])
def test_a_team_live_for_under_4_weeks_is_flagged_only_once_4_weeks_have_passed(live_for, flag):
    assert rules.flagged("live", days_ago(live_for), None, TODAY) is flag


def test_a_session_before_go_live_does_not_count_toward_the_4_weeks():
    """Practice before launch: the 4 weeks run from go-live, not from the earlier session."""
    went_live = days_ago(20)
    assert not rules.flagged("live", went_live, days_ago(60), TODAY)
    assert rules.flagged("live", days_ago(30), days_ago(60), TODAY)


def test_a_locality_still_planning_is_never_flagged():
    assert not rules.flagged("planning", LIVE_SINCE, None, TODAY)


def test_a_decision_ahead_of_the_go_live_date_is_not_live_until_the_date():
    assert not rules.is_live("live", TODAY + timedelta(days=1), TODAY)
    assert not rules.flagged("live", TODAY + timedelta(days=40), None, TODAY)
    assert rules.is_live("live", TODAY, TODAY)


def test_only_family_safeguarding_teams_are_flagged():
    assert not rules.flagged("live", LIVE_SINCE, None, TODAY, kind="area")
    assert not rules.flagged("live", LIVE_SINCE, None, TODAY, kind="county")


def test_the_last_4_weeks_are_today_and_the_27_days_before():
    assert rules.window_start(TODAY) == days_ago(27)
    assert rules.window_start(TODAY, rules.LONG_DAYS) == days_ago(83)


def test_a_row_carries_the_psychologist_share_of_12_weeks():
    row = rules.team_supervision(
        (1, "FS Team A", "family_safeguarding"),
        (2, "Bridgwater", "bridgwater", "live", LIVE_SINCE),
        (days_ago(3), 2, 9, 6),
        TODAY,
    )
    assert not row.flagged
    assert (row.psychologist_share.numerator, row.psychologist_share.denominator) == (6, 9)
    assert row.last_text == "27 Nov 2026"


def test_a_session_cannot_be_recorded_for_a_day_to_come():
    assert rules.held_on_problem(TODAY, TODAY) is None
    assert "future" in rules.held_on_problem(TODAY + timedelta(days=1), TODAY)
    assert rules.held_on_problem(None, TODAY)


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("7", 7), (" 12 ", 12), (3, 3)])
def test_families_discussed_is_a_whole_number_from_0(text, value):
    assert rules.read_families(text) == value


@pytest.mark.parametrize("text", ["", "-1", "2.5", "three", "1e3", "²", "999"])
def test_families_discussed_refuses_anything_else(text):
    with pytest.raises(ValueError):
        rules.read_families(text)
