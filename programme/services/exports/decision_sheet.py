"""The workbook's Decisions sheet: every go-live decision, in force or rescinded, one row per
criterion of the evidence it was taken on (a decision's own columns repeat on each of its rows,
so the sheet filters and sorts as one table)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.export_tables import Column, Table
from programme.extensions import db
from programme.models import GoLiveDecision, Locality

COLUMNS = (
    Column("Locality"),
    Column("Decided by"),
    Column("Decided at", "datetime"),
    Column("Minutes note", "wrap"),
    Column("Rescinded", "yes_no", width=10),
    Column("Rescinded at", "datetime"),
    Column("Rescinded by"),
    Column("Reason rescinded", "wrap", width=30),
    Column("Criterion", "wrap", width=30),
    Column("Value", "percent"),
    Column("Threshold", "percent", width=10),
    Column("Met", "yes_no", width=6),
    Column("Counted", "integer", width=9),
    Column("Out of", "integer", width=8),
    Column("Criterion note", "wrap", width=30),
)


def decision_sheet(localities: Sequence[Locality]) -> Table:
    """Each locality's decisions, oldest first, localities in the order given. One query."""
    order = {locality.id: index for index, locality in enumerate(localities)}
    decisions = db.session.scalars(
        select(GoLiveDecision)
        .where(GoLiveDecision.locality_id.in_(list(order)))
        .options(joinedload(GoLiveDecision.locality))
        .order_by(GoLiveDecision.decided_at, GoLiveDecision.id)
    )
    rows = [
        row
        for decision in sorted(decisions, key=lambda d: order[d.locality_id])
        for row in _rows(decision)
    ]
    return Table(COLUMNS, rows, "No go-live decisions have been recorded")


def _rows(decision: GoLiveDecision) -> list[list]:
    head = [
        decision.locality.name,
        decision.decided_by_name,
        decision.decided_at,
        decision.note or None,
        not decision.in_force,
        decision.rescinded_at,
        decision.rescinded_by_name,
        decision.rescind_reason,
    ]
    criteria = (decision.evidence or {}).get("criteria") or []
    if not criteria:
        return [[*head, *[None] * 7]]
    return [[*head, *_criterion(item)] for item in criteria]


def _criterion(item: dict) -> list:
    """A criterion as the evidence keeps it (`serialisers.evidence`): percentages 0-100."""
    actual, threshold = item.get("actual"), item.get("threshold")
    return [
        item.get("label") or item.get("key"),
        actual / 100 if isinstance(actual, int | float) else None,
        threshold / 100 if isinstance(threshold, int | float) else None,
        item.get("met"),
        item.get("numerator"),
        item.get("denominator"),
        item.get("note") or item.get("exception"),
    ]
