"""The milestone pages' tables as downloads: the milestone lists (a locality's and the whole
programme's, as filtered) and "my milestones", in the
columns the pages show (the page's tags spelt out as columns of their own)."""

from __future__ import annotations

from collections.abc import Sequence

from programme.domain.export_tables import Column, Table, rag_word
from programme.domain.timeline import MilestoneStatus
from programme.services.milestone_lists import MilestoneListing
from programme.services.milestones import MilestoneRow

LOCALITY_MILESTONE_COLUMNS = (
    Column("Workstream"),
    Column("Milestone", "wrap"),
    Column("Locality"),
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


def milestone_list_table(listing: MilestoneListing, *, programme_name: str) -> Table:
    """`milestone_lists.milestone_listing`: the milestones a locality's page or the programme's
    milestones page shows under its current filters, in the page's order. A programme-wide
    milestone's locality reads as the programme's name, as on the pages."""
    return Table(
        LOCALITY_MILESTONE_COLUMNS,
        [
            [
                row.milestone.workstream.name,
                row.milestone.title,
                row.milestone.locality.name if row.milestone.locality else programme_name,
                row.milestone.gate_critical,
                row.milestone.locality_id is None,
                row.milestone.due,
                row.milestone.owner.name if row.milestone.owner else "No owner",
                MilestoneStatus(row.milestone.status).label,
                rag_word(row.rag),
            ]
            for row in listing.rows
        ],
        "No milestones match the filters" if listing.total else "No milestones yet",
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
