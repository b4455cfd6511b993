"""The workbook's Milestones sheet: every milestone of the programme, each locality's in the
board's order and then the programme-wide ones, with its RAG word as of the day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from programme.domain.export_tables import Column, Table, rag_word
from programme.domain.timeline import MilestoneStatus, rag_status
from programme.extensions import db
from programme.models import Locality, Milestone, Programme, User, Workstream

PROGRAMME_WIDE = "Programme-wide"
COLUMNS = (
    Column("Locality"),
    Column("Workstream"),
    Column("Milestone", "wrap", width=40),
    Column("Owner"),
    Column("Due date", "date"),
    Column("Status", width=12),
    Column("Completed", "date"),
    Column("RAG", "rag", width=8),
    Column("Gate-critical", "yes_no", width=9),
    Column("Notes", "wrap"),
)


class _Milestone(NamedTuple):
    locality_id: int | None
    workstream: str
    title: str
    owner: str | None
    due: date | None
    status: str
    completed_on: date | None
    gate_critical: bool
    notes: str | None


def programme_milestones(programme: Programme) -> list[_Milestone]:
    """Every milestone of the programme with its workstream's and owner's names, as plain
    values (a large programme has thousands). One query."""
    return [
        _Milestone(*row)
        for row in db.session.execute(
            select(
                Milestone.locality_id,
                Workstream.name,
                Milestone.title,
                User.name,
                Milestone.due,
                Milestone.status,
                Milestone.completed_on,
                Milestone.gate_critical,
                Milestone.notes,
            )
            .join(Workstream, Workstream.id == Milestone.workstream_id)
            .outerjoin(User, User.id == Milestone.owner_id)
            .where(Workstream.programme_id == programme.id)
            .order_by(Workstream.position, Workstream.id, Milestone.due, Milestone.id)
        )
    ]


def milestone_sheet(
    localities: Sequence[Locality], milestones: Sequence[_Milestone], as_of: date
) -> Table:
    """`localities` in the order the sheet lists them; `milestones` from `programme_milestones`."""
    by_locality: dict[int | None, list[_Milestone]] = {}
    for milestone in milestones:
        by_locality.setdefault(milestone.locality_id, []).append(milestone)
    groups = [(locality.name, by_locality.get(locality.id, [])) for locality in localities]
    groups.append((PROGRAMME_WIDE, by_locality.get(None, [])))
    labels = {status.value: status.label for status in MilestoneStatus}
    rows = [_row(name, milestone, labels, as_of) for name, group in groups for milestone in group]
    return Table(COLUMNS, rows, "This programme has no milestones yet")


def _row(locality: str, milestone: _Milestone, labels: dict[str, str], as_of: date) -> list:
    return [
        locality,
        milestone.workstream,
        milestone.title,
        milestone.owner,
        milestone.due,
        labels.get(milestone.status) or MilestoneStatus(milestone.status).label,
        milestone.completed_on,
        rag_word(rag_status(milestone.due, milestone.status, as_of)),
        milestone.gate_critical,
        milestone.notes or None,
    ]
