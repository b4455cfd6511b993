"""Posts, roles and establishment templates: setting them up, changing them, and counting them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from programme.domain.formatting import count
from programme.domain.recruitment import (
    MAX_LENGTHS,
    POST_STATUSES,
    FunnelStage,
    PostFacts,
    PostStatus,
    Share,
    Taxonomy,
    adult_specialists_recruited,
    is_email,
    load_establishment,
    load_taxonomy,
    pipeline_funnel,
    valid_fte,
)
from programme.domain.slugs import slugify
from programme.extensions import db
from programme.models import (
    AuditEvent,
    EstablishmentTemplate,
    EstablishmentTemplateLine,
    Locality,
    Post,
    PostStatusChange,
    Programme,
    Role,
    Team,
    User,
    post_values,
)
from programme.seed_files import ESTABLISHMENTS_DIR, ROLES_FILE
from programme.services import audit
from programme.services.errors import Conflict, NotFound, ServiceError, StaleEdit
from programme.services.lookup import get_within
from programme.services.transaction import transactional


@cache
def taxonomy() -> Taxonomy:
    """The default roles and the agencies, from seed/roles.toml."""
    return load_taxonomy(ROLES_FILE)


def agencies() -> dict[str, str]:
    """Employing agencies, key -> label, in the order of the seed file."""
    return {agency.key: agency.label for agency in taxonomy().agencies}


def agency_label(key: str) -> str:
    return agencies().get(key, key)


# --- Setting a programme up -------------------------------------------------------------------


def install_defaults(programme: Programme) -> None:
    """Give a new programme the default role taxonomy and establishment templates from seed/."""
    roles = {}
    for position, spec in enumerate(taxonomy().roles):
        roles[spec.key] = Role(
            key=spec.key,
            name=spec.name,
            adult_specialist=spec.adult_specialist,
            agency=spec.agency,
            names=list(spec.names),
            position=position,
        )
        programme.roles.append(roles[spec.key])
    for path in sorted(ESTABLISHMENTS_DIR.glob("*.toml")):
        spec = load_establishment(path, roles)
        template = EstablishmentTemplate(
            key=spec.key, name=spec.name, description=spec.description, team_kind=spec.team_kind
        )
        for position, line in enumerate(spec.lines):
            template.lines.append(
                EstablishmentTemplateLine(
                    position=position,
                    role=roles[line.role],
                    count=line.count,
                    fte=line.fte,
                    agency=line.agency,
                )
            )
        programme.establishment_templates.append(template)


# --- Roles ------------------------------------------------------------------------------------


def get_role(programme: Programme, role_id: int) -> Role:
    return get_within(
        Role, role_id, "programme_id", programme.id, f"{programme.name} has no role {role_id}."
    )


def _clean_names(names: list[str], name: str) -> list[str]:
    """Distinct spreadsheet names, without the role's own name."""
    seen, cleaned = {name.casefold()}, []
    for entry in (n.strip() for n in names):
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            cleaned.append(entry[:120])
    return cleaned


def _check_role(programme: Programme, name: str, agency: str, role: Role | None = None) -> None:
    if not name:
        raise ServiceError("Enter the role's name.", "name")
    if len(name) > 120:
        raise ServiceError("A role's name must be 120 characters or fewer.", "name")
    if agency not in agencies():
        raise ServiceError("Choose the agency that usually employs this role.", "agency")
    clash = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, func.lower(Role.name) == name.lower())
    )
    if clash is not None and clash is not role:
        raise Conflict(f"{programme.name} already has a role called “{clash.name}”.", "name")


@transactional
def create_role(
    programme: Programme,
    actor: User | None,
    *,
    name: str,
    adult_specialist: bool,
    agency: str,
    names: list[str],
) -> Role:
    name = name.strip()
    _check_role(programme, name, agency)
    key = slugify(name).replace("-", "_")[:70] or "role"
    if db.session.scalar(select(Role.id).where(Role.programme_id == programme.id, Role.key == key)):
        key = f"{key}_{len(programme.roles) + 1}"
    role = Role(
        programme=programme,
        key=key,
        name=name,
        adult_specialist=adult_specialist,
        agency=agency,
        names=_clean_names(names, name),
        position=len(programme.roles),
    )
    db.session.add(role)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "role",
        role.id,
        f"Added role {name}",
        programme_id=programme.id,
        after=_role_values(role),
    )
    return role


def _role_values(role: Role) -> dict:
    return {
        "name": role.name,
        "adult_specialist": role.adult_specialist,
        "agency": role.agency,
        "names": list(role.names),
    }


@transactional
def update_role(
    role: Role,
    actor: User | None,
    *,
    name: str,
    adult_specialist: bool,
    agency: str,
    names: list[str],
) -> Role:
    name = name.strip()
    _check_role(role.programme, name, agency, role)
    before = _role_values(role)
    role.name, role.adult_specialist, role.agency = name, adult_specialist, agency
    role.names = _clean_names(names, name)
    old, new = audit.changed_fields(before, _role_values(role))
    if new:
        audit.record(
            actor,
            "update",
            "role",
            role.id,
            f"Changed role {name}: {', '.join(new)}",
            programme_id=role.programme_id,
            before=old,
            after=new,
        )
    return role


@transactional
def set_recruited_statuses(programme: Programme, statuses: list[str], actor: User | None) -> None:
    """Choose which pipeline statuses count as recruited for this programme's gate."""
    chosen = [status.value for status in POST_STATUSES if status.value in set(statuses or ())]
    if not chosen:
        raise ServiceError("Choose at least one status that counts as recruited.", "statuses")
    before = list(programme.recruited)
    if chosen != before:
        programme.recruited_statuses = chosen
        audit.record(
            actor,
            "update",
            "programme",
            programme.id,
            "Changed which statuses count as recruited",
            programme_id=programme.id,
            before={"recruited": before},
            after={"recruited": chosen},
        )


# --- Posts ------------------------------------------------------------------------------------


def get_post(programme: Programme, post_id: int) -> Post:
    return get_within(
        Post, post_id, "programme_id", programme.id, f"{programme.name} has no post {post_id}."
    )


def get_team(locality: Locality, team_id: int) -> Team:
    return get_within(
        Team, team_id, "locality_id", locality.id, f"{locality.name} has no team {team_id}."
    )


def get_establishment(programme: Programme, key: str) -> EstablishmentTemplate:
    for template in programme.establishment_templates:
        if template.key == key:
            return template
    known = ", ".join(t.key for t in programme.establishment_templates) or "none"
    raise NotFound(f"There is no establishment template {key!r} (known: {known}).", "template")


@dataclass
class PostInput:
    """What a person may set on a post through a form."""

    role_id: int
    agency: str
    fte: float = 1.0
    reference: str | None = None
    status: str = PostStatus.VACANT.value
    holder_name: str = ""
    holder_email: str = ""
    start_date: date | None = None
    notes: str = ""


def _checked(programme: Programme, values: PostInput, post: Post | None = None) -> dict:
    get_role(programme, values.role_id)
    if values.agency not in agencies():
        raise ServiceError("Choose the employing agency.", "agency")
    if values.fte is None or not valid_fte(values.fte):
        raise ServiceError("FTE must be more than 0 and no more than 1, such as 0.5.", "fte")
    if values.status not in {status.value for status in POST_STATUSES}:
        raise ServiceError("Choose the post's status.", "status")
    cleaned = {
        "role_id": values.role_id,
        "agency": values.agency,
        "fte": round(values.fte, 2),
        "status": values.status,
        "reference": (values.reference or "").strip() or None,
        "holder_name": values.holder_name.strip(),
        "holder_email": values.holder_email.strip().lower(),
        "start_date": values.start_date,
        "notes": values.notes.strip(),
    }
    for name, limit in MAX_LENGTHS.items():
        if len(cleaned[name] or "") > limit:
            raise ServiceError(f"This must be {limit} characters or fewer.", name)
    if cleaned["holder_email"] and not is_email(cleaned["holder_email"]):
        raise ServiceError(
            "Enter the post holder's e-mail address, like name@example.org.", "holder_email"
        )
    _check_reference_free(programme, cleaned["reference"], post)
    return cleaned


def _check_reference_free(programme: Programme, reference: str | None, post: Post | None) -> None:
    if not reference:
        return
    holder = db.session.scalar(
        select(Post).where(
            Post.programme_id == programme.id, func.upper(Post.reference) == reference.upper()
        )
    )
    if holder is not None and holder is not post:
        raise Conflict(
            f"The reference {reference} is already used by a {holder.role.name} post in "
            f"{holder.team.name}.",
            "reference",
        )


def record_status(
    post: Post, actor: User | None, today: date, import_id: int | None = None
) -> None:
    """Date the post's current status and add it to the post's history."""
    post.status_changed_on = today
    db.session.add(
        PostStatusChange(
            post=post, status=post.status, changed_on=today, actor=actor, import_id=import_id
        )
    )


def _audit_post(actor, action: str, post: Post, summary: str, before=None, after=None) -> None:
    audit.record(
        actor,
        action,
        "post",
        post.id,
        summary,
        programme_id=post.programme_id,
        locality_id=post.team.locality_id,
        before=before,
        after=after,
    )


@transactional
def create_post(team: Team, values: PostInput, actor: User | None, *, today: date) -> Post:
    programme = team.locality.programme
    with db.session.no_autoflush:
        cleaned = _checked(programme, values)
        post = Post(programme_id=programme.id, team=team, **cleaned)
        record_status(post, actor, today)
        db.session.add(post)
    db.session.flush()
    _audit_post(
        actor,
        "create",
        post,
        f"Added a {post.role.name} post to {team.name}",
        after=post_values(post),
    )
    return post


def _refuse_if_stale(post: Post, expected_version: int | None) -> None:
    if expected_version is not None and post.version != expected_version:
        raise StaleEdit(
            f"Someone else changed this {post.role.name} post after you opened it. Your changes "
            "were not saved: review the current values and make your change again."
        )


def _flush_or_refuse(post_name: str) -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit(
            f"Someone else saved this {post_name} post at the same moment. Your changes were not "
            "saved: review the current values and make your change again."
        ) from None


@transactional
def update_post(
    post: Post,
    values: PostInput,
    actor: User | None,
    *,
    today: date,
    expected_version: int | None,
) -> list[str]:
    """Change a post; returns the names of the fields that changed (none: nothing written)."""
    _refuse_if_stale(post, expected_version)
    role_name = post.role.name
    with db.session.no_autoflush:
        cleaned = _checked(post.team.locality.programme, values, post)
        old, new = audit.changed_fields(post_values(post), cleaned)
        if not new:
            return []
        for name, value in new.items():
            setattr(post, name, value)
        if "status" in new:
            record_status(post, actor, today)
        _audit_post(
            actor,
            "update",
            post,
            f"Changed a {role_name} post in {post.team.name}: {', '.join(new)}",
            before=old,
            after=new,
        )
    _flush_or_refuse(role_name)
    return list(new)


@transactional
def set_frozen(post: Post, frozen: bool, actor: User | None, expected_version: int | None) -> None:
    """Freeze a post (out of the counted establishment) or bring it back."""
    _refuse_if_stale(post, expected_version)
    if post.frozen == frozen:
        return
    post.frozen = frozen
    _audit_post(
        actor,
        "freeze" if frozen else "unfreeze",
        post,
        f"{'Froze' if frozen else 'Unfroze'} a {post.role.name} post in {post.team.name}",
        before={"frozen": not frozen},
        after={"frozen": frozen},
    )
    _flush_or_refuse(post.role.name)


@transactional
def remove_post(post: Post, actor: User | None, expected_version: int | None) -> None:
    _refuse_if_stale(post, expected_version)
    _audit_post(
        actor,
        "delete",
        post,
        f"Removed a {post.role.name} post from {post.team.name}",
        before=post_values(post),
    )
    db.session.delete(post)
    _flush_or_refuse(post.role.name)


@transactional
def apply_establishment(team: Team, key: str, actor: User | None, *, today: date) -> list[Post]:
    """Create the team's posts from an establishment template, all in one step.

    Only for a team with no posts yet: applying it twice would double the establishment.
    """
    template = get_establishment(team.locality.programme, key)
    existing = db.session.scalar(select(func.count(Post.id)).where(Post.team_id == team.id))
    if existing:
        raise Conflict(
            f"{team.name} already has {count(existing, 'post')}, so no template was applied. "
            "Add any missing posts one at a time.",
            "template",
        )
    posts = []
    with db.session.no_autoflush:
        for line in template.lines:
            for _ in range(line.count):
                post = Post(
                    programme_id=team.locality.programme_id,
                    team=team,
                    role=line.role,
                    agency=line.agency or line.role.agency,
                    fte=line.fte,
                    status=PostStatus.VACANT.value,
                )
                record_status(post, actor, today)
                posts.append(post)
    db.session.add_all(posts)
    db.session.flush()
    audit.record(
        actor,
        "apply_establishment",
        "team",
        team.id,
        f"Added {count(len(posts), 'post')} to {team.name} from {template.name}",
        programme_id=team.locality.programme_id,
        locality_id=team.locality_id,
        after={"template": key, "posts": len(posts)},
    )
    return posts


# --- Counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostFilters:
    role_id: int | None = None
    status: str | None = None
    agency: str | None = None

    @property
    def active(self) -> bool:
        return any((self.role_id, self.status, self.agency))

    def keeps(self, post: Post) -> bool:
        return (
            (self.role_id is None or post.role_id == self.role_id)
            and (self.status is None or post.status == self.status)
            and (self.agency is None or post.agency == self.agency)
        )


@dataclass
class TeamRecruitment:
    team: Team
    posts: list[Post]  # after the filters
    share: Share  # adult specialists recruited, whatever the filters
    total: int = 0  # posts before the filters


@dataclass
class LocalityRecruitment:
    locality: Locality
    teams: list[TeamRecruitment]
    share: Share
    funnel: list[FunnelStage]
    shown: int = 0
    total: int = 0

    @property
    def rows(self) -> list[tuple[Team, Post]]:
        return [(entry.team, post) for entry in self.teams for post in entry.posts]


def _facts(post: Post) -> PostFacts:
    return PostFacts(post.status, post.role.adult_specialist, post.frozen, post.start_date)


def locality_recruitment(
    locality: Locality, filters: PostFilters = PostFilters(), as_of: date | None = None
) -> LocalityRecruitment:
    """The locality's posts by team, with shares and the funnel, in two queries. A share counts
    a post once it is recruited and its holder has started by `as_of`, as the go-live gate does."""
    recruited = locality.programme.recruited
    teams = list(
        db.session.scalars(select(Team).where(Team.locality_id == locality.id).order_by(Team.name))
    )
    posts_by_team: dict[int, list[Post]] = defaultdict(list)
    for post in db.session.scalars(
        select(Post)
        .join(Team)
        .where(Team.locality_id == locality.id)
        .options(joinedload(Post.role))
        .order_by(Post.id)
    ):
        posts_by_team[post.team_id].append(post)
    entries = []
    every_post = []
    for team in teams:
        posts = posts_by_team[team.id]
        every_post += posts
        share = adult_specialists_recruited(map(_facts, posts), recruited, as_of)
        kept = [post for post in posts if filters.keeps(post)]
        entries.append(TeamRecruitment(team, kept, share, len(posts)))
    facts = [_facts(post) for post in every_post]
    return LocalityRecruitment(
        locality,
        entries,
        adult_specialists_recruited(facts, recruited, as_of),
        pipeline_funnel(facts),
        shown=sum(len(entry.posts) for entry in entries),
        total=len(every_post),
    )


@dataclass
class ProgrammeRecruitment:
    localities: list[tuple[Locality, Share]]
    share: Share
    funnel: list[FunnelStage]
    posts: int = 0


def programme_recruitment(programme: Programme, as_of: date | None = None) -> ProgrammeRecruitment:
    """Every locality's adult-specialist share and the programme's funnel, in two queries."""
    facts_by_locality: dict[int, list[PostFacts]] = defaultdict(list)
    rows = db.session.execute(
        select(Team.locality_id, Post.status, Role.adult_specialist, Post.frozen, Post.start_date)
        .join(Team, Team.id == Post.team_id)
        .join(Role, Role.id == Post.role_id)
        .where(Post.programme_id == programme.id)
    )
    for locality_id, status, adult, frozen, start_date in rows:
        facts_by_locality[locality_id].append(PostFacts(status, adult, frozen, start_date))
    localities = db.session.scalars(
        select(Locality)
        .where(Locality.programme_id == programme.id)
        .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
    )
    recruited = programme.recruited
    every = [fact for facts in facts_by_locality.values() for fact in facts]
    return ProgrammeRecruitment(
        [
            (
                locality,
                adult_specialists_recruited(facts_by_locality[locality.id], recruited, as_of),
            )
            for locality in localities
        ],
        adult_specialists_recruited(every, recruited, as_of),
        pipeline_funnel(every),
        posts=len(every),
    )


POSTS_CSV_HEADERS = (
    "Post ref",
    "Locality",
    "Team",
    "Role",
    "Adult specialist",
    "Agency",
    "FTE",
    "Status",
    "Post holder",
    "Email",
    "Start date",
    "Frozen",
    "Notes",
)


def posts_csv_rows(result: LocalityRecruitment) -> list[list]:
    """The filtered posts as rows under POSTS_CSV_HEADERS; the import reads these columns back."""
    return [
        [
            post.reference,
            result.locality.name,
            team.name,
            post.role.name,
            post.role.adult_specialist,
            agency_label(post.agency),
            post.fte,
            post.status_label,
            post.holder_name,
            post.holder_email,
            post.start_date,
            post.frozen,
            post.notes,
        ]
        for team, post in result.rows
    ]


def post_trail(post: Post, limit: int = 200) -> list:
    """The audit events about one post, newest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "post", AuditEvent.entity_id == post.id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
