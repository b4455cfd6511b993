"""The finance page's figures: budget lines with what has been spent against each, the training
sessions' costs by financial year, and the localities' go-live years, in a fixed number of
queries however many localities and lines the programme has."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from programme.domain.finance_summary import FinanceSummary, LineFigures, summarise
from programme.domain.financial_years import financial_year_of
from programme.extensions import db
from programme.models import BudgetLine, Locality, Programme, Spend
from programme.services.finance_figures import training_by_year


def spent_by_line(programme: Programme) -> dict[int, int]:
    """What has been spent against each of the programme's budget lines (refunds taken off).
    One query."""
    return dict(
        db.session.execute(
            select(Spend.budget_line_id, func.sum(Spend.amount_pence))
            .where(Spend.programme_id == programme.id)
            .group_by(Spend.budget_line_id)
        ).all()
    )


def _go_live_years(programme: Programme) -> list[int]:
    return [
        financial_year_of(day)
        for day in db.session.scalars(
            select(Locality.go_live).where(Locality.programme_id == programme.id)
        )
        if day is not None
    ]


def finance_summary(programme: Programme, today: date) -> FinanceSummary:
    """Budget against actual against forecast per year and category, the funding by source and
    the unfunded years, for `today`. Four queries."""
    spent = spent_by_line(programme)
    lines = [
        LineFigures(
            line.financial_year,
            line.category,
            line.funding_source,
            line.amount_pence,
            line.forecast_pence,
            spent.get(line.id, 0),
        )
        for line in db.session.scalars(
            select(BudgetLine).where(BudgetLine.programme_id == programme.id)
        )
    ]
    return summarise(
        lines,
        training_by_year(programme, today),
        _go_live_years(programme),
        financial_year_of(today),
    )
