"""The demo's business case (seed/demo.toml `business_case`): budget lines with the quarters'
spend that have ended by the demo's today, the cost-avoidance scenarios and the partners'
pledges, each through the service a programme manager's page uses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.domain.financial_years import financial_year_of, quarter_start, year_start
from programme.extensions import db
from programme.models import Organisation, Programme
from programme.services import business_case, partner_pledges
from programme.services.finance import budget_lines, spend

PENCE = 100


def load_business_case(programme: Programme, config: dict, today: date) -> None:
    """Years in `config` count from the financial year of `today` (0: the current one)."""
    current = financial_year_of(today)
    lines = {}
    for entry in config["lines"]:
        year = current + entry["year"]
        line = budget_lines.add_line(
            programme,
            budget_lines.LineValues(
                financial_year=year,
                category=entry["category"],
                funding_source=entry["source"],
                amount_pence=entry["amount"] * PENCE,
                forecast_pence=None if "forecast" not in entry else entry["forecast"] * PENCE,
                note=entry.get("note", ""),
            ),
            None,
        )
        lines[(year, entry["category"], entry["source"])] = line
        for quarter, pounds in enumerate(entry.get("spend", []), start=1):
            if pounds and quarter_ended(year, quarter, today):
                spend.record_spend(
                    line, spend.SpendValues(quarter, pounds * PENCE, False, "Finance return"), None
                )
    for entry in config.get("refunds", []):
        year = current + entry["year"]
        if quarter_ended(year, entry["quarter"], today):
            spend.record_spend(
                lines[(year, entry["category"], entry["source"])],
                spend.SpendValues(
                    entry["quarter"], entry["amount"] * PENCE, True, entry["description"]
                ),
                None,
            )
    for entry in config["scenarios"]:
        scenario = business_case.add_scenario(programme, entry["name"], None)
        first = current + entry["from_year"]
        business_case.set_avoided_costs(
            scenario,
            {first + i: pounds * PENCE for i, pounds in enumerate(entry["avoided"])},
            None,
        )
    organisations = {
        organisation.name: organisation
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.programme_id == programme.id)
        )
    }
    for entry in config["pledges"]:
        partner_pledges.create_pledge(
            programme,
            None,
            organisation_id=organisations[entry["organisation"]].id,
            financial_year=current + entry["year"],
            pledged_pence=None if "pledged" not in entry else entry["pledged"] * PENCE,
            posts_pledged=entry.get("posts"),
            received_pence=entry.get("received", 0) * PENCE,
            note=entry.get("note", ""),
        )


def quarter_ended(year: int, quarter: int, today: date) -> bool:
    """Whether quarter `quarter` of financial year `year` was over before `today`."""
    after = year_start(year + 1) if quarter == 4 else quarter_start(year, quarter + 1)
    return after <= today
