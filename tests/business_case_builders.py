"""Builders for the business case's records (budget lines, spend, scenarios), kept beside
tests/builders.py so the finance work of issue 20 can share them."""

from __future__ import annotations

from programme.extensions import db
from programme.models import BudgetLine, CostScenario, Programme, ScenarioYear, Spend


def create_budget_line(
    programme: Programme,
    year: int,
    amount_pence: int,
    category: str = "staffing",
    funding_source: str = "Council",
    **overrides,
) -> BudgetLine:
    line = BudgetLine(
        programme_id=programme.id,
        financial_year=year,
        category=category,
        funding_source=funding_source,
        amount_pence=amount_pence,
        **overrides,
    )
    db.session.add(line)
    db.session.commit()
    return line


def create_spend(line: BudgetLine, amount_pence: int, quarter: int = 1, **overrides) -> Spend:
    spend = Spend(
        programme_id=line.programme_id,
        budget_line_id=line.id,
        quarter=quarter,
        amount_pence=amount_pence,
        is_refund=amount_pence < 0,
        **overrides,
    )
    db.session.add(spend)
    db.session.commit()
    return spend


def create_scenario(programme: Programme, name: str, avoided: dict[int, int] | None = None):
    """A scenario with its avoided cost (pence) by financial year."""
    scenario = CostScenario(programme_id=programme.id, name=name)
    scenario.years = [
        ScenarioYear(financial_year=year, avoided_pence=pence)
        for year, pence in sorted((avoided or {}).items())
    ]
    db.session.add(scenario)
    db.session.commit()
    return scenario
