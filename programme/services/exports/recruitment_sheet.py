"""The workbook's Recruitment sheet: every post of the programme under the columns the
recruitment import reads back (`posts.posts_table`), so the sheet saved alone re-imports."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from programme.domain.export_tables import Table
from programme.extensions import db
from programme.models import Locality, Organisation, Post, Programme, Role, Team
from programme.services.exports.posts import posts_table


def recruitment_sheet(programme: Programme, localities: Sequence[Locality]) -> Table:
    """Each post once, under its own team's locality, localities in the order given. Four
    queries however many posts."""
    order = {locality.id: index for index, locality in enumerate(localities)}
    by_id = {locality.id: locality for locality in localities}
    # The programme's teams, roles and organisations first (three queries): each post's then
    # come from the session's identity map, not repeated in every row of the posts' query.
    teams = {
        team.id: team
        for team in db.session.scalars(select(Team).where(Team.locality_id.in_(list(order))))
    }
    known = [
        *db.session.scalars(select(Role).where(Role.programme_id == programme.id)),
        *db.session.scalars(select(Organisation).where(Organisation.programme_id == programme.id)),
    ]
    posts = db.session.scalars(
        select(Post)
        .join(Team, Team.id == Post.team_id)
        .where(Post.programme_id == programme.id)
        .options(lazyload(Post.organisation), lazyload(Post.role), lazyload(Post.team))
        .order_by(Team.name, Team.id, Post.id)
    )
    rows = sorted(
        ((by_id[teams[post.team_id].locality_id], teams[post.team_id], post) for post in posts),
        key=lambda row: order[row[0].id],
    )
    table = posts_table(rows, "This programme has no posts yet")
    table.rows = list(table.rows)  # counted by the command line, and read by board packs
    del known  # held until the rows were made, so the identity map kept them
    return table
