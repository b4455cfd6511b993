"""The workbook's Recruitment sheet: every post of the programme under the columns the
recruitment import reads back (`posts.posts_table`), so the sheet saved alone re-imports."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.export_tables import Table
from programme.extensions import db
from programme.models import Locality, Post, Programme, Team
from programme.services.exports.posts import posts_table


def recruitment_sheet(programme: Programme, localities: Sequence[Locality]) -> Table:
    """Each post once, under its own team's locality, localities in the order given. One query."""
    order = {locality.id: index for index, locality in enumerate(localities)}
    by_id = {locality.id: locality for locality in localities}
    posts = db.session.scalars(
        select(Post)
        .join(Team, Team.id == Post.team_id)
        .where(Post.programme_id == programme.id)
        .options(joinedload(Post.team), joinedload(Post.role))
        .order_by(Team.name, Team.id, Post.id)
    )
    rows = sorted(
        ((by_id[post.team.locality_id], post.team, post) for post in posts),
        key=lambda row: order[row[0].id],
    )
    table = posts_table(rows, "This programme has no posts yet")
    table.rows = list(table.rows)  # counted by the command line, and read by board packs
    return table
