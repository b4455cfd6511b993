"""Teams that serve several localities: a county-wide team (Somerset's psychologists) or an
area's shared practitioners belong to one locality but count toward every locality they serve.

`served_by` is the one rule, as a query every counting loader joins (the gate's facts, the
recruitment and training pages), so a page and the gate count a shared team alike: a team serves
its own locality, each locality named for it, and, when it serves all, every locality of its
programme, now and added later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from sqlalchemy import ColumnElement, Select, Subquery, case, func, select, union
from sqlalchemy.orm import aliased

from programme.domain.formatting import count, listed
from programme.extensions import db
from programme.models import Locality, Post, Programme, Role, Team, User
from programme.models.programme import team_served_locality
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.transaction import transactional


@cache
def served_by() -> Subquery:
    """Every (team_id, locality_id) pair where the team's posts and staff count toward the
    locality; a team appears once per locality however it comes to serve it. Built once and
    shared: a query is immutable, and building this union cost a readiness page several
    milliseconds each time it was joined (four times per board)."""
    home = aliased(Locality)
    other = aliased(Locality)
    return union(
        select(Team.id.label("team_id"), Team.locality_id.label("locality_id")),
        select(team_served_locality.c.team_id, team_served_locality.c.locality_id),
        select(Team.id, other.id)
        .join(home, home.id == Team.locality_id)
        .join(other, other.programme_id == home.programme_id)
        .where(Team.serves_all.is_(True)),
    ).subquery("served_by")


def served_within(programme_ids: Iterable[int] | Select) -> Subquery:
    """`served_by`, for the localities of these programmes only (ids, or a query giving them).
    Each branch starts from the programmes' localities or teams, through their indexes, so
    what it reads follows those programmes, not the instance (issue 18). A team serves only
    localities of its own programme, so the shared teams' links are reached by team."""
    if isinstance(programme_ids, Select):
        return _served_within(programme_ids)
    return _served_within_ids(tuple(sorted(set(programme_ids))))


def served_for_localities(locality_ids: Iterable[int]) -> Subquery:
    """`served_within` the programmes of these localities."""
    return _served_for_localities(tuple(sorted(set(locality_ids))))


# Built once per set of ids and shared, as `served_by` is: a query is immutable, and building
# this union cost a board about 4 ms each of the times it was joined (profiled at 150 programmes).
@lru_cache(maxsize=512)
def _served_within_ids(programme_ids: tuple[int, ...]) -> Subquery:
    return _served_within(list(programme_ids))


@lru_cache(maxsize=512)
def _served_for_localities(locality_ids: tuple[int, ...]) -> Subquery:
    return _served_within(programmes_of(locality_ids))


def _served_within(ids: list[int] | Select) -> Subquery:
    home = aliased(Locality)
    other = aliased(Locality)
    return union(
        select(Team.id.label("team_id"), Team.locality_id.label("locality_id"))
        .join(home, home.id == Team.locality_id)
        .where(home.programme_id.in_(ids)),
        select(team_served_locality.c.team_id, team_served_locality.c.locality_id)
        .join(Team, Team.id == team_served_locality.c.team_id)
        .join(home, home.id == Team.locality_id)
        .where(home.programme_id.in_(ids)),
        select(Team.id, other.id)
        .join(home, home.id == Team.locality_id)
        .join(other, other.programme_id == home.programme_id)
        .where(Team.serves_all.is_(True), home.programme_id.in_(ids)),
    ).subquery("served_within")


def in_programmes(programme_ids: Iterable[int] | Select) -> ColumnElement[bool]:
    """A condition on `Team`: the team is one of these programmes' (ids, or a query giving
    them). A query joining teams adds it so the database reads only those programmes' teams
    (by locality), not the instance's; every team serving a locality is of its programme."""
    ids = programme_ids if isinstance(programme_ids, Select) else list(programme_ids)
    return Team.locality_id.in_(select(Locality.id).where(Locality.programme_id.in_(ids)))


def programmes_of(locality_ids: Iterable[int]) -> Select:
    """The ids of these localities' programmes, as a query, for `in_programmes`."""
    return select(Locality.programme_id).where(Locality.id.in_(list(locality_ids)))


def teams_serving(locality_ids: Iterable[int]):
    """The ids of the teams that count toward any of these localities, as a subquery (read
    from the localities' programmes only)."""
    locality_ids = list(locality_ids)
    served = served_for_localities(locality_ids)
    return select(served.c.team_id).where(served.c.locality_id.in_(locality_ids))


@dataclass(frozen=True)
class SharedTeam:
    """A team of another locality that counts toward this one, with how many posts it brings
    (frozen ones left out, as the gate leaves them out) and how many are adult specialists'."""

    team: Team
    posts: int
    adult_posts: int = 0

    @property
    def reach(self) -> str:
        if self.team.serves_all:
            return "which serves all localities"
        names = [self.team.locality.name, *(locality.name for locality in self.team.served)]
        return "which serves " + listed(names)

    @property
    def posts_note(self) -> str:
        """What the locality's recruitment counts of this team, as a sentence."""
        counted = (
            f"{count(self.adult_posts, 'adult specialist post')} among them"
            if self.adult_posts
            else "none of them an adult specialist post, so none counts toward recruitment"
        )
        return (
            f"Includes {count(self.posts, 'post')} of {self.team.name} "
            f"({self.team.locality.name}), {self.reach}: {counted}."
        )

    @property
    def staff_note(self) -> str:
        """What the locality's training counts of this team, as a sentence."""
        return (
            f"Includes the staff of {self.team.name} ({self.team.locality.name}), {self.reach}, "
            "in the roles the course is for."
        )


def shared_teams(locality: Locality) -> list[SharedTeam]:
    """The teams of other localities that serve this one, by name, with their post counts. Two
    queries."""
    served = served_by()
    teams = list(
        db.session.scalars(
            select(Team)
            .join(served, served.c.team_id == Team.id)
            .where(served.c.locality_id == locality.id, Team.locality_id != locality.id)
            .where(in_programmes([locality.programme_id]))
            .order_by(Team.name)
        )
    )
    posts = {
        team_id: (total, adult or 0)
        for team_id, total, adult in db.session.execute(
            select(
                Post.team_id,
                func.count(Post.id),
                func.sum(case((Role.adult_specialist.is_(True), 1), else_=0)),
            )
            .join(Role, Role.id == Post.role_id)
            .where(Post.team_id.in_([team.id for team in teams]), Post.frozen.is_(False))
            .group_by(Post.team_id)
        )
    }
    return [SharedTeam(team, *posts.get(team.id, (0, 0))) for team in teams]


def _served_localities(programme: Programme, slugs: Iterable[str]) -> list[Locality]:
    """The named localities, which must all be the programme's."""
    slugs = sorted({slug.strip() for slug in slugs if slug and slug.strip()})
    found = {
        locality.slug: locality
        for locality in db.session.scalars(
            select(Locality).where(Locality.programme_id == programme.id, Locality.slug.in_(slugs))
        )
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        elsewhere = db.session.scalars(
            select(Locality).where(Locality.slug == missing[0]).limit(1)
        ).first()
        where = f" (it is a locality of {elsewhere.programme.name})" if elsewhere else ""
        raise ServiceError(
            f"A team can serve only localities of {programme.name}; "
            f"{missing[0]!r} is not one of them{where}.",
            "serves",
        )
    return [found[slug] for slug in slugs]


def _values(team: Team) -> dict:
    return {"serves_all": team.serves_all, "serves": [locality.slug for locality in team.served]}


@transactional
def set_served(team: Team, actor: User | None, *, serves_all: bool, slugs: Iterable[str]) -> Team:
    """Say which other localities of its programme a team serves (or that it serves all);
    its own locality is always served, so naming it changes nothing. Audited."""
    programme = team.locality.programme
    served = [] if serves_all else _served_localities(programme, slugs)
    served = [locality for locality in served if locality.id != team.locality_id]
    before = _values(team)
    team.serves_all = serves_all
    team.served = served
    old, new = audit.changed_fields(before, _values(team))
    if new:
        audit.record(
            actor,
            "update",
            "team",
            team.id,
            f"Changed the localities {team.name} serves",
            programme_id=programme.id,
            locality_id=team.locality_id,
            before=old,
            after=new,
        )
    return team
