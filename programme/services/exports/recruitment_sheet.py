"""The workbook's Recruitment sheet: every post of the programme under the columns the
recruitment import reads back (`posts.POST_COLUMNS`), so the sheet saved alone re-imports."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from programme.domain.export_tables import Table
from programme.domain.recruitment import PostStatus
from programme.extensions import db
from programme.models import Locality, Organisation, Post, Programme, Role, Team
from programme.services.exports.posts import POST_COLUMNS
from programme.services.recruitment.roles import agency_label


def recruitment_sheet(programme: Programme, localities: Sequence[Locality]) -> Table:
    """Each post once, under its own team's locality, localities in the order given; the same
    cells as `posts.posts_table` makes of each post's records. Four queries however many
    posts, each reading plain values: a large programme has tens of thousands of posts, and
    their teams, roles and organisations are a few hundred read once."""
    order = {locality.id: index for index, locality in enumerate(localities)}
    names = {locality.id: locality.name for locality in localities}
    teams = {
        team_id: (order[locality_id], names[locality_id], name)
        for team_id, name, locality_id in db.session.execute(
            select(Team.id, Team.name, Team.locality_id).where(Team.locality_id.in_(list(order)))
        )
    }
    roles = {
        role_id: (name, adult_specialist)
        for role_id, name, adult_specialist in db.session.execute(
            select(Role.id, Role.name, Role.adult_specialist).where(
                Role.programme_id == programme.id
            )
        )
    }
    organisations = {
        organisation_id: (name, agency_label(kind))
        for organisation_id, name, kind in db.session.execute(
            select(Organisation.id, Organisation.name, Organisation.type).where(
                Organisation.programme_id == programme.id
            )
        )
    }
    statuses = {status.value: status.label for status in PostStatus}
    rows = []
    for post in db.session.execute(
        select(
            Post.team_id,
            Post.role_id,
            Post.organisation_id,
            Post.reference,
            Post.fte,
            Post.status,
            Post.holder_name,
            Post.holder_email,
            Post.start_date,
            Post.frozen,
            Post.notes,
        )
        .join(Team, Team.id == Post.team_id)
        .where(Post.programme_id == programme.id)
        .order_by(Team.name, Team.id, Post.id)
    ):
        position, locality, team = teams[post.team_id]
        role, adult_specialist = roles[post.role_id]
        rows.append(
            (
                position,
                [
                    post.reference,
                    locality,
                    team,
                    role,
                    adult_specialist,
                    *organisations[post.organisation_id],
                    post.fte,
                    statuses.get(post.status) or PostStatus(post.status).label,
                    post.holder_name,
                    post.holder_email,
                    post.start_date,
                    post.frozen,
                    post.notes,
                ],
            )
        )
    rows.sort(key=lambda row: row[0])  # stable: by team name within each locality
    return Table(POST_COLUMNS, [row for _position, row in rows], "This programme has no posts yet")
