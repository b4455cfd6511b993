"""The milestone pages' tables as downloads: a locality's milestones and "my milestones", in the
columns the pages show (the page's tags spelt out as columns of their own)."""

from __future__ import annotations

from collections.abc import Sequence

from programme.domain.export_tables import Column, Table, rag_word
from programme.domain.timeline import MilestoneStatus
from programme.services.milestones import MilestoneRow, WorkstreamGroup

LOCALITY_MILESTONE_COLUMNS = (
    Column("Workstream"),
    Column("Milestone", "wrap"),
    Column("Gate-critical", "yes_no"),
    Column("Programme-wide", "yes_no"),
    Column("Due", "date"),
    Column("Owner"),
    Column("Status"),
    Column("RAG", "rag"),
)

MY_MILESTONE_COLUMNS = (
    Column("Milestone", "wrap"),
    Column("Locality"),
    Column("Due", "date"),
    Column("Status"),
    Column("RAG", "rag"),
)


def locality_milestones_table(groups: Sequence[WorkstreamGroup]) -> Table:
    """`milestones.locality_milestones`: each workstream's milestones, in the page's order."""
    return Table(
        LOCALITY_MILESTONE_COLUMNS,
        [
            [
                group.workstream.name,
                row.milestone.title,
                row.milestone.gate_critical,
                row.milestone.locality_id is None,
                row.milestone.due,
                row.milestone.owner.name if row.milestone.owner else "No owner",
                MilestoneStatus(row.milestone.status).label,
                rag_word(row.rag),
            ]
            for group in groups
            for row in group.rows
        ],
        "No milestones yet",
    )


def my_milestones_table(rows: Sequence[MilestoneRow]) -> Table:
    """`milestones.milestones_owned_by`: open ones first, as the page lists them."""
    return Table(
        MY_MILESTONE_COLUMNS,
        [
            [
                row.milestone.title,
                row.milestone.locality.name
                if row.milestone.locality
                else row.milestone.workstream.programme.name,
                row.milestone.due,
                MilestoneStatus(row.milestone.status).label,
                rag_word(row.rag),
            ]
            for row in rows
        ],
        "You do not own any milestones",
    )
