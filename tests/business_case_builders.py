"""Builders for the business case's records (budget lines, spend, scenarios, and a whole
business case with pledges for the workbook), kept beside tests/builders.py so the finance work
of issue 20 can share them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from programme.extensions import db
from programme.models import BudgetLine, CostScenario, Programme, ScenarioYear, Spend
from programme.services import organisations, partner_pledges
from programme.services.training import catalogue
from tests.builders import create_session


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


def add_business_case(programme: Programme, lines: int = 1, pledges: int = 1) -> None:
    """A business case to export: budget lines in 2025/26 (training, and staffing with spend and
    a refund), 2026/27 (a forecast over the budget, part spent) and 2027/28 (£400,000 split over
    `lines` staffing lines from different sources); a training session held in 2025/26 and one
    cancelled; the scenarios Low and High; and `pledges` police partners each behind on a
    2025/26 pledge of £85,000 and a post (£20,000 received, no post filled)."""
    course = catalogue.list_courses(programme)[0]
    create_budget_line(programme, 2025, 20_000_00, "training", "DfE grant")
    staffing = create_budget_line(programme, 2025, 500_000_00, note="Posts from July")
    create_spend(staffing, 450_000_00, quarter=1)
    create_spend(staffing, -10_000_00, quarter=2)  # a refund
    current = create_budget_line(
        programme, 2026, 600_000_00, funding_source="DfE grant", forecast_pence=650_000_00
    )
    create_spend(current, 100_000_00, quarter=1)
    for n in range(lines):
        create_budget_line(programme, 2027, 400_000_00 // lines, funding_source=f"Source {n}")
    create_session(course, 1, date(2025, 6, 2), cost_pence=6_000_00)
    create_session(
        course,
        2,
        date(2025, 7, 2),
        cost_pence=9_000_00,
        cancelled_at=datetime(2025, 6, 20, tzinfo=UTC),
        cancel_reason="Trainer ill",
    )
    create_scenario(programme, "Low", {2026: 300_000_00, 2027: 500_000_00, 2028: 500_000_00})
    create_scenario(programme, "High", {2026: 400_000_00, 2027: 800_000_00, 2028: 800_000_00})
    for n in range(pledges):
        partner = organisations.create_organisation(
            programme, "Avon Police" if n == 0 else f"Avon Police {n}", "police", None
        )
        partner_pledges.create_pledge(
            programme,
            None,
            organisation_id=partner.id,
            financial_year=2025,
            pledged_pence=85_000_00,
            posts_pledged=1,
            received_pence=20_000_00,
            note="",
        )
