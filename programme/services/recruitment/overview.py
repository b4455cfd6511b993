"""What the recruitment pages show: a locality's posts by team, and every locality's shares."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.recruited_count import count_recruited, explain_recruited
from programme.domain.recruitment import FunnelStage, PostFacts, Share, pipeline_funnel
from programme.extensions import db
from programme.models import Locality, Post, Programme, Role, Team
from programme.services import teams_served
from programme.services.teams_served import SharedTeam


@dataclass(frozen=True)
class PostFilters:
    role_id: int | None = None
    status: str | None = None
    organisation_id: int | None = None
    type: str | None = None  # the employer's type: an agency key of seed/roles.toml

    @property
    def active(self) -> bool:
        return any((self.role_id, self.status, self.organisation_id, self.type))

    def keeps(self, post: Post) -> bool:
        return (
            (self.role_id is None or post.role_id == self.role_id)
            and (self.status is None or post.status == self.status)
            and (self.organisation_id is None or post.organisation_id == self.organisation_id)
            and (self.type is None or post.organisation.type == self.type)
        )


@dataclass
class TeamRecruitment:
    team: Team
    posts: list[Post]  # after the filters
    share: Share  # adult specialists recruited, whatever the filters
    total: int = 0  # posts before the filters
    explanation: str | None = None  # what the share leaves out, in words


@dataclass
class LocalityRecruitment:
    locality: Locality
    teams: list[TeamRecruitment]
    share: Share
    funnel: list[FunnelStage]
    shown: int = 0
    total: int = 0
    shared: list[SharedTeam] = field(default_factory=list)  # teams of other localities
    explanation: str | None = None  # what the share leaves out, in words

    @property
    def rows(self) -> list[tuple[Team, Post]]:
        return [(entry.team, post) for entry in self.teams for post in entry.posts]


def _facts(post: Post) -> PostFacts:
    return PostFacts(post.status, post.role.adult_specialist, post.frozen, post.start_date)


def locality_recruitment(
    locality: Locality, filters: PostFilters = PostFilters(), as_of: date | None = None
) -> LocalityRecruitment:
    """The locality's posts by team (with those of teams serving it from other localities), with
    shares and the funnel, in two queries. A share counts a post once it is recruited and its
    holder has started by `as_of`, as the go-live gate does."""
    recruited = locality.programme.recruited
    serving = teams_served.teams_serving([locality.id])
    # Its own teams first, then those of other localities that serve it; the programme's teams
    # only are read (a team serving the locality is one of them), not the instance's.
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.id.in_(serving), teams_served.in_programmes([locality.programme_id]))
            .order_by(Team.locality_id != locality.id, Team.name)
        )
    )
    posts_by_team: dict[int, list[Post]] = defaultdict(list)
    for post in db.session.scalars(
        select(Post)
        .where(Post.team_id.in_(serving))
        .options(joinedload(Post.role))
        .order_by(Post.id)
    ):
        posts_by_team[post.team_id].append(post)
    entries = []
    every_post = []
    for team in teams:
        posts = posts_by_team[team.id]
        every_post += posts
        counted = count_recruited(map(_facts, posts), recruited, as_of)
        kept = [post for post in posts if filters.keeps(post)]
        entries.append(
            TeamRecruitment(team, kept, counted.share, len(posts), explain_recruited(counted))
        )
    facts = [_facts(post) for post in every_post]
    counted = count_recruited(facts, recruited, as_of)
    return LocalityRecruitment(
        locality,
        entries,
        counted.share,
        pipeline_funnel(facts),
        shown=sum(len(entry.posts) for entry in entries),
        total=len(every_post),
        shared=[
            SharedTeam(
                team,
                sum(not post.frozen for post in posts_by_team[team.id]),
                sum(
                    post.role.adult_specialist and not post.frozen
                    for post in posts_by_team[team.id]
                ),
            )
            for team in teams
            if team.locality_id != locality.id
        ],
        explanation=explain_recruited(counted),
    )


@dataclass
class ProgrammeRecruitment:
    localities: list[tuple[Locality, Share]]
    share: Share
    funnel: list[FunnelStage]
    posts: int = 0
    # What each share leaves out, in words: the programme's, and each locality's by its id.
    explanation: str | None = None
    explanations: dict[int, str | None] = field(default_factory=dict)


def programme_recruitment(programme: Programme, as_of: date | None = None) -> ProgrammeRecruitment:
    """Every locality's adult-specialist share and the programme's funnel, in two queries. A
    team serving several localities counts in each of them, and once in the programme's."""
    facts_by_locality: dict[int, list[PostFacts]] = defaultdict(list)
    every_post: dict[int, PostFacts] = {}
    # The programme's teams and roles only: joining every team of the instance would grow
    # with other programmes (issue 18).
    served = teams_served.served_within([programme.id])
    rows = db.session.execute(
        select(
            served.c.locality_id,
            Post.id,
            Post.status,
            Role.adult_specialist,
            Post.frozen,
            Post.start_date,
        )
        .join(served, served.c.team_id == Post.team_id)
        .join(Role, Role.id == Post.role_id)
        .where(Post.programme_id == programme.id, Role.programme_id == programme.id)
    )
    for locality_id, post_id, status, adult, frozen, start_date in rows:
        fact = PostFacts(status, adult, frozen, start_date)
        facts_by_locality[locality_id].append(fact)
        every_post[post_id] = fact
    localities = db.session.scalars(
        select(Locality)
        .where(Locality.programme_id == programme.id)
        .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
    ).all()
    recruited = programme.recruited
    every = list(every_post.values())
    counts = {
        locality.id: count_recruited(facts_by_locality[locality.id], recruited, as_of)
        for locality in localities
    }
    total = count_recruited(every, recruited, as_of)
    return ProgrammeRecruitment(
        [(locality, counts[locality.id].share) for locality in localities],
        total.share,
        pipeline_funnel(every),
        posts=len(every),
        explanation=explain_recruited(total),
        explanations={key: explain_recruited(value) for key, value in counts.items()},
    )
