"""The programme's money per financial year: what was budgeted, what has been spent (spend
recorded against the budget lines, refunds netted off, and the training sessions held) and what
each year is expected to cost. The one place these sums are taken: the finance pages and the
business case read them from here, so they cannot disagree."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Integer, case, cast, extract, func, select

from programme.domain.business_case import YearMoney, year_forecast
from programme.domain.financial_years import FIRST_MONTH, financial_year_of
from programme.extensions import db
from programme.models import BudgetLine, Course, Programme, Spend, TrainingSession


def yearly_costs(programme: Programme, today: date) -> list[YearMoney]:
    """Every financial year from the first with a budget line, spend or training held to the
    last, in order (a year in between with none is there, at nought).

    `budget`: the lines' amounts. `actual`: the spend recorded against the year's lines (a refund
    counts against it) and the cost of the programme's training sessions held in the year by
    `today` (a cancelled session cost nothing). `forecast`: for a year that has ended, what was
    spent; for the current year its lines' forecasts (a line's amount when it has none), or what
    has been spent if that is more; for a later year its lines' forecasts. Two queries."""
    budget: dict[int, int] = defaultdict(int)
    planned: dict[int, int] = defaultdict(int)
    actual: dict[int, int] = defaultdict(int)
    spent_per_line = (
        select(Spend.budget_line_id, func.sum(Spend.amount_pence).label("spent"))
        .where(Spend.programme_id == programme.id)
        .group_by(Spend.budget_line_id)
        .subquery()
    )
    lines = (
        select(
            BudgetLine.financial_year,
            func.sum(BudgetLine.amount_pence),
            func.sum(func.coalesce(BudgetLine.forecast_pence, BudgetLine.amount_pence)),
            func.sum(func.coalesce(spent_per_line.c.spent, 0)),
        )
        .outerjoin(spent_per_line, spent_per_line.c.budget_line_id == BudgetLine.id)
        .where(BudgetLine.programme_id == programme.id)
        .group_by(BudgetLine.financial_year)
    )
    for year, budgeted, forecast, spent in db.session.execute(lines):
        budget[year] += int(budgeted)
        planned[year] += int(forecast)
        actual[year] += int(spent)
    for year, cost in training_by_year(programme, today).items():
        actual[year] += cost
    years = set(budget) | set(actual)
    if not years:
        return []
    current = financial_year_of(today)
    return [
        YearMoney(
            year,
            budget[year],
            actual[year],
            year_forecast(year, current, budget[year], actual[year], planned[year]),
        )
        for year in range(min(years), max(years) + 1)
    ]


def training_by_year(programme: Programme, today: date) -> dict[int, int]:
    """What the programme's training sessions held by `today` cost, by financial year of their
    date: a cancelled session cost nothing, one still to come is not spent yet. One query."""
    calendar_year = cast(extract("year", TrainingSession.on), Integer)
    before_april = case((extract("month", TrainingSession.on) < FIRST_MONTH, 1), else_=0)
    financial_year = (calendar_year - before_april).label("financial_year")
    costs = (
        select(financial_year, func.sum(TrainingSession.cost_pence))
        .join(Course, Course.id == TrainingSession.course_id)
        .where(
            Course.programme_id == programme.id,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.on <= today,
        )
        .group_by(financial_year)
    )
    return {int(year): int(cost or 0) for year, cost in db.session.execute(costs)}
