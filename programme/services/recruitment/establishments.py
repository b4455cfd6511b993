"""Establishment templates: a new programme's defaults, and a team's posts made in one step."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from programme.domain.formatting import count
from programme.domain.recruitment import PostStatus, load_establishment
from programme.extensions import db
from programme.models import (
    EstablishmentTemplate,
    EstablishmentTemplateLine,
    Post,
    Programme,
    Role,
    Team,
    User,
)
from programme.seed_files import ESTABLISHMENTS_DIR
from programme.services import audit, organisations
from programme.services.errors import Conflict, NotFound
from programme.services.recruitment.posts import record_status
from programme.services.recruitment.roles import taxonomy
from programme.services.transaction import transactional


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


def get_establishment(programme: Programme, key: str) -> EstablishmentTemplate:
    for template in programme.establishment_templates:
        if template.key == key:
            return template
    known = ", ".join(t.key for t in programme.establishment_templates) or "none"
    raise NotFound(f"There is no establishment template {key!r} (known: {known}).", "template")


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
    # Each line's type of employer (its own, else its role's usual one) goes to the programme's
    # organisation of that type, made when it has none.
    programme = team.locality.programme
    employers = {
        kind: organisations.organisation_for_type(programme, kind, actor)
        for kind in dict.fromkeys(line.agency or line.role.agency for line in template.lines)
    }
    posts = []
    with db.session.no_autoflush:
        for line in template.lines:
            for _ in range(line.count):
                post = Post(
                    programme_id=team.locality.programme_id,
                    team=team,
                    role=line.role,
                    organisation=employers[line.agency or line.role.agency],
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
