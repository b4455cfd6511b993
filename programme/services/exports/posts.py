"""Posts as a table in the columns the recruitment import reads back: a locality's recruitment
list download and the workbook's Recruitment sheet both use it, so a saved sheet re-imports
unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from programme.domain.export_tables import Column, Table
from programme.models import Locality, Post, Team
from programme.services.recruitment.roles import agency_label

POST_COLUMNS = (
    Column("Post ref"),
    Column("Locality"),
    Column("Team"),
    Column("Role"),
    Column("Adult specialist", "yes_no"),
    Column("Employing organisation"),
    Column("Organisation type"),
    Column("FTE", "number"),
    Column("Status"),
    Column("Post holder"),
    Column("Email"),
    Column("Start date", "date"),
    Column("Frozen", "yes_no"),
    Column("Notes", "wrap"),
)


def posts_table(rows: Iterable[tuple[Locality, Team, Post]], empty_message: str | None = None):
    """Each (locality, team, post) as a row under POST_COLUMNS."""
    return Table(POST_COLUMNS, (_row(*row) for row in rows), empty_message)


def _row(locality: Locality, team: Team, post: Post) -> list:
    return [
        post.reference,
        locality.name,
        team.name,
        post.role.name,
        post.role.adult_specialist,
        post.organisation.name,
        agency_label(post.organisation.type),
        post.fte,
        post.status_label,
        post.holder_name,
        post.holder_email,
        post.start_date,
        post.frozen,
        post.notes,
    ]
