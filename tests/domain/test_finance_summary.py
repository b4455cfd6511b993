"""The finance page's figures: budget, actual and forecast per year and category, the horizon
the business case should cover, and money typed in pounds."""

from datetime import date

import pytest

from programme.domain.finance_summary import LineFigures, horizon, summarise
from programme.domain.money import parse_pounds


def _line(year, category="staffing", source="DfE grant", budget=100_000, forecast=None, spent=0):
    return LineFigures(year, category, source, budget, forecast, spent)


def test_the_horizon_runs_from_the_first_line_to_two_years_after_the_last_go_live():
    assert horizon([2025, 2026], [2026]) == [2025, 2026, 2027, 2028]
    assert horizon([2025, 2030], [2026]) == list(range(2025, 2031))
    assert horizon([], [2026]) == []


def test_years_without_a_line_after_the_last_funded_one_are_flagged():
    summary = summarise([_line(2025), _line(2026)], {}, go_live_years=[2026], current_year=2026)
    assert [year.label for year in summary.years] == ["2025/26", "2026/27", "2027/28", "2028/29"]
    assert summary.unfunded_from == 2027
    assert summary.funded_until == date(2027, 3, 31)
    assert summary.unfunded_warning == "No funding recorded after March 2027"
    assert [year.label for year in summary.unfunded_years] == ["2027/28", "2028/29"]


def test_fully_funded_has_no_warning():
    summary = summarise([_line(2025), _line(2026)], {}, go_live_years=[2024], current_year=2025)
    assert summary.unfunded_warning is None
    assert summary.unfunded_years == ()


def test_each_category_has_budget_actual_and_forecast_by_the_year_rule():
    lines = [
        _line(2025, budget=100_000, spent=90_000),  # past: forecast is what was spent
        _line(2026, budget=100_000, forecast=120_000, spent=30_000),  # current: its forecast
        _line(2026, source="Council", budget=50_000, spent=10_000),
        _line(2027, budget=100_000),  # future: its budget
    ]
    summary = summarise(lines, {}, go_live_years=[2025], current_year=2026)
    staffing = {
        y.year: next(c for c in y.categories if c.category == "staffing") for y in summary.years
    }
    assert (staffing[2025].figures.budget, staffing[2025].figures.forecast) == (100_000, 90_000)
    assert staffing[2026].figures.budget == 150_000
    assert staffing[2026].figures.actual == 40_000
    assert staffing[2026].figures.forecast == 170_000
    assert staffing[2026].figures.variance_text == "£200 over"
    assert staffing[2025].figures.variance_text == "£100 under"
    assert staffing[2027].figures.variance_text == "On budget"
    assert summary.total.budget == 350_000
    assert dict(summary.years[1].funding) == {"DfE grant": 100_000, "Council": 50_000}
    assert summary.sources == ("Council", "DfE grant")  # in the usual sources' order


def test_training_sessions_count_as_training_spend_even_in_a_year_without_a_line():
    lines = [_line(2026, category="training", budget=200_000, spent=5_000)]
    summary = summarise(lines, {2025: 60_000, 2026: 12_000}, go_live_years=[], current_year=2026)
    assert [year.year for year in summary.years] == [2025, 2026]
    training = {y.year: y.categories[0] for y in summary.years}
    assert training[2026].figures.actual == 17_000
    assert training[2026].from_sessions == 12_000
    assert training[2025].figures.actual == 60_000
    assert not summary.years[0].funded
    assert summary.training_from_sessions == 72_000


@pytest.mark.parametrize(
    "text, pence",
    [
        ("1500", 150_000),
        ("£1,500.50", 150_050),
        ("12.5", 1_250),
        ("-250", -25_000),
        ("-£250", -25_000),
        ("£-250", -25_000),
        ("−250", -25_000),
        ("0", 0),
    ],
)
def test_amounts_in_pounds_are_read_as_pence(text, pence):
    assert parse_pounds(text, shorthand=True) == pence


@pytest.mark.parametrize("text", ["", "ten", "1.505", "1,50", "£", "--5"])
def test_what_is_not_an_amount_is_refused(text):
    assert parse_pounds(text, shorthand=True) is None


def test_a_year_with_nothing_budgeted_or_spent_has_no_figures_to_break_down():
    summary = summarise([_line(2025)], {}, go_live_years=[2025], current_year=2025)
    assert [year.has_figures for year in summary.years] == [True, False, False]
