"""The finance records the permission and post/redirect/get walks point at, made when a case
first asks for them (each case rolls back to the walked world, so they are made afresh)."""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import select

from programme.extensions import db
from programme.models import BudgetLine, Programme, Spend
from programme.services.finance import budget_lines, spend
from programme.services.finance.budget_lines import LineValues
from programme.services.finance.spend import SpendValues


def walked_line(slug: str) -> BudgetLine:
    """The walked programme's budget line (Staffing 2026/27 from the DfE grant)."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    found = db.session.scalar(select(BudgetLine).where(BudgetLine.programme_id == programme.id))
    return found or budget_lines.add_line(
        programme, LineValues(2026, "staffing", "DfE grant", 65_500_000), None
    )


def walked_spend(slug: str) -> Spend:
    """A quarter's spend against the walked line."""
    line = walked_line(slug)
    found = db.session.scalar(select(Spend).where(Spend.budget_line_id == line.id))
    return found or spend.record_spend(line, SpendValues(1, 1_000_000, description="Q1"), None)


def line_args(w) -> dict:
    # A route's test id is worked out when the tests are collected, outside any app.
    line_id = walked_line(w.programme).id if has_app_context() else 1
    return {"programme_slug": w.programme, "line_id": line_id}


def spend_args(w) -> dict:
    spend_id = walked_spend(w.programme).id if has_app_context() else 1
    return {"programme_slug": w.programme, "spend_id": spend_id}


def line_form(w, **changes) -> dict:
    line = walked_line(w.programme)
    return {
        "version": str(line.version),
        "financial_year": "2026/27",
        "category": "staffing",
        "funding_source": "DfE grant",
        "organisation_id": "",
        "amount": "700000",
        **changes,
    }


def spend_form(w, **changes) -> dict:
    entry = walked_spend(w.programme)
    return {"version": str(entry.version), "quarter": "2", "amount": "12000", **changes}
