"""The business case's arithmetic: a year's forecast, running totals, the payback year and the
end of the funding."""

import pytest

from programme.domain.business_case import cumulative, payback_year, unfunded_after, year_forecast

CURRENT = 2026


def test_a_year_that_has_ended_is_forecast_at_what_was_spent():
    assert year_forecast(2025, CURRENT, budget=100, actual=80, forecast_override=None) == 80
    assert year_forecast(2025, CURRENT, budget=100, actual=120, forecast_override=90) == 120


def test_the_current_year_is_forecast_at_its_plan_or_what_is_spent_if_more():
    assert year_forecast(CURRENT, CURRENT, budget=100, actual=30, forecast_override=None) == 100
    assert year_forecast(CURRENT, CURRENT, budget=100, actual=30, forecast_override=90) == 90
    assert year_forecast(CURRENT, CURRENT, budget=100, actual=130, forecast_override=90) == 130


def test_a_later_year_is_forecast_at_its_forecast_or_its_budget():
    assert year_forecast(2027, CURRENT, budget=100, actual=0, forecast_override=None) == 100
    assert year_forecast(2027, CURRENT, budget=100, actual=0, forecast_override=150) == 150
    assert year_forecast(2027, CURRENT, budget=100, actual=0, forecast_override=0) == 0


def test_running_totals_follow_the_years_given_and_count_a_missing_year_as_nothing():
    assert cumulative({2025: 10, 2027: 5}, [2025, 2026, 2027]) == [
        (2025, 10),
        (2026, 10),
        (2027, 15),
    ]
    assert cumulative({}, []) == []


def test_payback_is_the_first_year_the_costs_avoided_reach_the_costs():
    costs = {2025: 1_000, 2026: 500, 2027: 500}
    avoided = {2025: 100, 2026: 900, 2027: 1_200}
    assert payback_year(costs, avoided) == 2027  # 2,200 avoided against 2,000 spent
    assert payback_year({2025: 100}, {2025: 100}) == 2025  # reaching it is enough


@pytest.mark.parametrize(
    "costs, avoided",
    [
        ({2025: 1_000, 2026: 1_000}, {2025: 100, 2026: 200}),  # never within the years known
        ({}, {}),  # nothing spent or avoided
        ({2025: 0}, {2025: 0}),
    ],
)
def test_payback_never_comes_is_none(costs, avoided):
    assert payback_year(costs, avoided) is None


def test_avoidance_in_a_year_with_no_cost_still_counts():
    assert payback_year({2025: 500}, {2026: 600}) == 2026


def test_the_first_unfunded_year_follows_the_last_funded_one():
    assert unfunded_after([2025, 2026], range(2025, 2030)) == 2027
    assert unfunded_after([2025, 2026, 2027], [2025, 2026, 2027]) is None
    assert unfunded_after([], range(2025, 2030)) is None
    # A gap before the last funded year is not "after" it.
    assert unfunded_after([2025, 2027], range(2025, 2029)) == 2028
