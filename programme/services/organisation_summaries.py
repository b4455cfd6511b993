"""What each partner organisation employs: its posts, how many are filled and its people — the
seeds' question "which partner has seconded its workers?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from programme.domain.formatting import count, number
from programme.extensions import db
from programme.models import Organisation, Post, Programme, StaffMember


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    posts: int  # in the establishment (frozen posts are not counted)
    filled: int  # recruited, and the holder has started by the day asked about
    starting: int  # recruited, the holder starting later
    frozen: int
    people: int  # staff records naming it as their employer

    @property
    def filled_text(self) -> str:
        """ "3 of 4 posts filled; 1 more appointed, not started yet; 1 frozen post not counted"."""
        parts = [f"{number(self.filled)} of {count(self.posts, 'post')} filled"]
        if self.starting:
            parts.append(f"{number(self.starting)} more appointed, not started yet")
        if self.frozen:
            parts.append(f"{count(self.frozen, 'frozen post')} not counted")
        return "; ".join(parts)


def organisation_summaries(programme: Programme, as_of: date) -> list[OrganisationSummary]:
    """Each organisation of the programme, by name, with what it employs, in two queries. A post
    is filled as the go-live gate counts it: in a status that counts as recruited, with its
    holder started by `as_of`."""
    recruited = and_(Post.status.in_(programme.recruited), Post.frozen.is_(False))
    started = or_(Post.start_date.is_(None), Post.start_date <= as_of)

    def total(condition) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = db.session.execute(
        select(
            Organisation,
            total(and_(Post.id.is_not(None), Post.frozen.is_(False))),
            total(and_(recruited, started)),
            total(and_(recruited, ~started)),
            total(Post.frozen.is_(True)),
        )
        .outerjoin(Post, Post.organisation_id == Organisation.id)
        .where(Organisation.programme_id == programme.id)
        .group_by(Organisation.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    people = dict(
        db.session.execute(
            select(StaffMember.organisation_id, func.count(StaffMember.id))
            .where(StaffMember.programme_id == programme.id)
            .group_by(StaffMember.organisation_id)
        ).all()
    )
    return [
        OrganisationSummary(
            organisation, posts, filled, starting, frozen, people.get(organisation.id, 0)
        )
        for organisation, posts, filled, starting, frozen in rows
    ]
