"""The programme's money per financial year, the one place the finance pages and the business case
take it from: spend against the year's lines (refunds netted off) and training held make what was
spent; an ended year cost what was spent, the current year its forecast or more, a later year its
forecast. Today is 30 November 2026: 2026/27 is the current year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from programme.domain.business_case import YearMoney
from programme.services.finance_figures import yearly_costs
from programme.services.training import catalogue
from tests.builders import create_programme, create_session
from tests.business_case_builders import create_budget_line, create_spend
from tests.conftest import TODAY


@pytest.fixture
def programme(app):
    return create_programme(slug="westshire")


def test_a_programme_with_nothing_recorded_has_no_years(programme):
    assert yearly_costs(programme, TODAY) == []


def test_ended_years_cost_what_was_spent_and_later_years_their_forecast(programme):
    ended = create_budget_line(programme, 2025, 500_000_00)
    create_spend(ended, 120_000_00, quarter=1)
    create_spend(ended, 80_000_00, quarter=3)
    current = create_budget_line(programme, 2026, 600_000_00, forecast_pence=550_000_00)
    create_spend(current, 100_000_00)
    create_budget_line(programme, 2027, 700_000_00)
    create_budget_line(programme, 2027, 50_000_00, category="training", forecast_pence=60_000_00)

    assert yearly_costs(programme, TODAY) == [
        YearMoney(2025, budget=500_000_00, actual=200_000_00, forecast=200_000_00),
        YearMoney(2026, budget=600_000_00, actual=100_000_00, forecast=550_000_00),
        YearMoney(2027, budget=750_000_00, actual=0, forecast=760_000_00),
    ]


def test_the_current_year_costs_what_was_spent_once_that_passes_its_forecast(programme):
    line = create_budget_line(programme, 2026, 100_000_00)
    create_spend(line, 90_000_00, quarter=1)
    create_spend(line, 30_000_00, quarter=2)

    assert yearly_costs(programme, TODAY) == [YearMoney(2026, 100_000_00, 120_000_00, 120_000_00)]


def test_a_refund_counts_against_the_year_it_is_recorded_in(programme):
    line = create_budget_line(programme, 2025, 100_000_00)
    create_spend(line, 40_000_00)
    create_spend(line, -5_000_00, quarter=2, description="Venue deposit returned")

    assert yearly_costs(programme, TODAY)[0].actual == 35_000_00


def test_training_held_counts_as_spent_in_its_financial_year(programme):
    course = catalogue.get_course(programme, "mi")
    create_budget_line(programme, 2025, 10_000_00, category="training")
    create_session(course, 1, date(2025, 4, 1), cost_pence=1_500_00)  # 2025/26's first day
    create_session(course, 1, date(2026, 3, 31), cost_pence=1_000_00)  # and its last
    create_session(course, 1, date(2026, 4, 1), cost_pence=700_00)  # 2026/27, held
    create_session(course, 2, TODAY, cost_pence=300_00)  # held today
    create_session(course, 2, date(2026, 12, 1), cost_pence=5_000_00)  # not held yet
    create_session(
        course,
        1,
        date(2025, 9, 1),
        cost_pence=9_000_00,
        cancelled_at=datetime(2025, 8, 1, tzinfo=UTC),
        cancel_reason="Trainer ill",
    )

    years = yearly_costs(programme, TODAY)

    assert [(y.year, y.actual, y.forecast) for y in years] == [
        (2025, 2_500_00, 2_500_00),
        (2026, 1_000_00, 1_000_00),  # no line: it costs what was spent
    ]


def test_another_programmes_money_is_not_counted(programme):
    other = create_programme("Eastshire", slug="eastshire")
    line = create_budget_line(other, 2025, 100_000_00)
    create_spend(line, 50_000_00)
    create_session(catalogue.get_course(other, "mi"), 1, date(2025, 6, 1), cost_pence=800_00)
    create_budget_line(programme, 2025, 10_00)

    assert yearly_costs(programme, TODAY) == [YearMoney(2025, 10_00, 0, 0)]


def test_a_year_between_with_nothing_recorded_is_there_at_nought(programme):
    create_budget_line(programme, 2024, 10_00)
    create_budget_line(programme, 2027, 20_00)

    assert [(y.year, y.budget) for y in yearly_costs(programme, TODAY)] == [
        (2024, 10_00),
        (2025, 0),
        (2026, 0),
        (2027, 20_00),
    ]


def test_the_sums_take_two_queries_however_many_lines_and_sessions(programme, count_queries):
    course = catalogue.get_course(programme, "mi")
    for year in (2024, 2025, 2026, 2027):
        for category in ("training", "staffing", "systems"):
            line = create_budget_line(programme, year, 1_000_00, category=category)
            create_spend(line, 100_00)
            create_spend(line, 200_00, quarter=2)
        create_session(course, 1, date(year, 6, 1), cost_pence=50_00)
    assert programme.id  # loaded again after the builders' commits: not the sums' query

    with count_queries() as counter:
        years = yearly_costs(programme, TODAY)

    assert counter.count == 2
    assert [y.actual for y in years] == [950_00, 950_00, 950_00, 900_00]
