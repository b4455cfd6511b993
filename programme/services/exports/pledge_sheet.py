"""The workbook's Partner pledges sheet: each partner organisation's pledged contribution per
financial year (money and posts seconded), what it has paid, the posts of its now filled, and
whether it has delivered its side ("Delivered", "On track", "Behind", as the partners page
says). Money is in pounds."""

from __future__ import annotations

from datetime import date

from programme.domain.export_tables import Column, Table
from programme.domain.financial_years import year_label
from programme.models import Programme
from programme.services.exports.finance_sheet import pounds
from programme.services.partner_pledges import partner_standings

COLUMNS = (
    Column("Partner"),
    Column("Financial year", width=10),
    Column("Pledged", "money", width=15),
    Column("Received", "money", width=15),
    Column("Still to receive", "money", width=15),
    Column("Posts pledged", "integer", width=9),
    Column("Posts filled", "integer", width=9),
    Column("Status", width=10),
    Column("Note", "wrap", width=30),
)
EMPTY = "No partner organisation has pledged a contribution yet"


def pledge_sheet(programme: Programme, as_of: date) -> Table:
    """Partners by name, each one's pledges by year. Three queries however many pledges."""
    rows = [
        [
            standing.organisation.name,
            year_label(pledge.financial_year),
            pounds(year.pledged_pence),
            pounds(year.received_pence),
            None
            if year.pledged_pence is None
            else pounds(max(year.pledged_pence - year.received_pence, 0)),
            year.posts_pledged,
            year.posts_filled,
            year.status,
            pledge.note or None,
        ]
        for standing in partner_standings(programme, as_of)
        for pledge, year in standing.years
    ]
    return Table(COLUMNS, rows, EMPTY)
