"""The workbook's Finance sheet: the business case as one table the board can filter by its
first column, Kind:

- "Budget line": each budget line (year, category, funding source) with its budget, what has
  been spent against it (refunds netted off), its forecast and the variance;
- "Training sessions": per year, what the training sessions held cost (their cost counts as
  training spend without being recorded against a line);
- "Year total": per year of the business case, its budget, actual, forecast and variance, and
  the cumulative cost (the business case page's figures, `business_case.business_case`);
- "Scenario": per cost-avoidance scenario and year, the avoided cost, the cumulative avoided
  cost and the year the scenario pays back (on each of its rows, so a filter keeps it).

A year's forecast follows `business_case.year_forecast` at each level (line, year), so lines'
forecasts need not add up to the year's when a line is overspent. Money is in pounds."""

from __future__ import annotations

from datetime import date

from programme.domain.business_case import year_forecast
from programme.domain.export_tables import Column, Table
from programme.domain.finance_terms import category_label
from programme.domain.financial_years import financial_year_of, year_label
from programme.domain.scenario_payback import ScenarioCurve
from programme.models import BudgetLine, Programme
from programme.services.business_case import BusinessCase, business_case
from programme.services.finance.budget_lines import lines_of
from programme.services.finance.overview import spent_by_line
from programme.services.finance_figures import training_by_year

BUDGET_LINE, SESSIONS, YEAR_TOTAL, SCENARIO = (
    "Budget line",
    "Training sessions",
    "Year total",
    "Scenario",
)

COLUMNS = (
    Column("Kind", width=19),
    Column("Financial year", width=10),
    Column("Category"),
    Column("Funding source"),
    Column("Budget", "money", width=15),
    Column("Actual", "money", width=15),
    Column("Forecast", "money", width=15),
    Column("Variance", "money", width=15),
    Column("Cumulative cost", "money", width=15),
    Column("Scenario"),
    Column("Avoided", "money", width=15),
    Column("Cumulative avoided", "money", width=15),
    Column("Pays back", width=24),
    Column("Note", "wrap", width=30),
)
EMPTY = "No budget, spend or cost-avoidance scenario has been recorded"


def pounds(pence: int | None) -> float | None:
    return None if pence is None else pence / 100


def finance_sheet(programme: Programme, as_of: date) -> Table:
    """Seven queries however many lines, spend, sessions, scenarios or years."""
    current = financial_year_of(as_of)
    lines = lines_of(programme)
    spent = spent_by_line(programme)
    sessions = training_by_year(programme, as_of)
    case = business_case(programme, as_of)
    rows = [_line_row(line, spent.get(line.id, 0), current) for line in lines]
    rows += [_sessions_row(year, cost) for year, cost in sorted(sessions.items()) if cost]
    rows += _year_rows(case) + _scenario_rows(case)
    return Table(COLUMNS, rows, EMPTY)


def _line_row(line: BudgetLine, spent: int, current: int) -> list:
    forecast = year_forecast(
        line.financial_year, current, line.amount_pence, spent, line.forecast_pence
    )
    return [
        BUDGET_LINE,
        year_label(line.financial_year),
        category_label(line.category),
        line.funding_source,
        pounds(line.amount_pence),
        pounds(spent),
        pounds(forecast),
        pounds(forecast - line.amount_pence),
        None,
        None,
        None,
        None,
        None,
        line.note or None,
    ]


def _sessions_row(year: int, cost: int) -> list:
    return [
        SESSIONS,
        year_label(year),
        category_label("training"),
        None,
        None,
        pounds(cost),
        *[None] * 7,
        "The training sessions held in the year, not recorded against a budget line",
    ]


def _year_rows(case: BusinessCase) -> list[list]:
    """The business case's years, when it has anything to show (its horizon runs five years
    from this one even with nothing recorded)."""
    if case.chart is None:
        return []
    money = {one.year: one for one in case.costs}
    rows = []
    for row in case.figures.rows:
        year = money.get(row.year)
        budget = year.budget if year else 0
        rows.append(
            [
                YEAR_TOTAL,
                row.label,
                None,
                None,
                pounds(budget),
                pounds(year.actual if year else 0),
                pounds(row.cost),
                pounds(row.cost - budget),
                pounds(row.cumulative_cost),
                None,
                None,
                None,
                None,
                "Spent" if row.spent else "Forecast",
            ]
        )
    return rows


def _scenario_rows(case: BusinessCase) -> list[list]:
    figures = case.figures
    return [
        [
            SCENARIO,
            year_label(year),
            None,
            None,
            None,
            None,
            None,
            None,
            pounds(figures.cumulative_costs[index]),
            curve.name,
            pounds(curve.avoided[index]),
            pounds(curve.cumulative[index]),
            _pays_back(curve),
            None,
        ]
        for curve in figures.scenarios
        for index, year in enumerate(figures.years)
    ]


def _pays_back(curve: ScenarioCurve) -> str:
    """ "2028/29" or "Not by 2030/31"."""
    if curve.payback is None:
        return f"Not by {year_label(curve.last_year)}"
    return year_label(curve.payback)
