"""Programmes: creating one with the default configuration, and its overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from programme.domain.slugs import is_valid_slug, slugify
from programme.domain.timeline_templates import load_template
from programme.extensions import db
from programme.models import (
    Locality,
    Membership,
    Milestone,
    MilestoneStatus,
    Programme,
    TimelineTemplate,
    TimelineTemplateItem,
    User,
    Workstream,
)
from programme.seed_files import TIMELINES_DIR
from programme.services import audit, memberships
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.outcomes import catalogue as outcome_catalogue
from programme.services.readiness import gate_criteria
from programme.services.recruitment import establishments
from programme.services.training import catalogue
from programme.services.transaction import transactional


def list_programmes(user: User | None = None) -> list[Programme]:
    """Every programme, or with `user` only those they are a member of (all, for an admin)."""
    query = select(Programme).order_by(Programme.name)
    if user is not None:
        visible = memberships.visible_programme_ids(user)
        if visible is not None:
            query = query.where(Programme.id.in_(visible))
    return list(db.session.scalars(query))


def get_programme(slug: str) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None:
        raise NotFound(f"There is no programme with the slug {slug!r}.")
    return programme


def checked_slug(slug: str | None, name: str) -> str:
    """The given slug, or one made from the name; refused unless lower-case and hyphenated."""
    slug = (slug or slugify(name)).strip()
    if not is_valid_slug(slug):
        raise ServiceError(
            f"The slug {slug!r} must be lower-case letters and numbers joined by hyphens.", "slug"
        )
    return slug


@transactional
def create_programme(name: str, slug: str | None, actor: User | None) -> Programme:
    """Create a programme with the default Family Safeguarding configuration from seed/:
    timeline templates, the role taxonomy, the establishment templates, the two courses, the
    default gate criteria and the outcome indicators."""
    name = name.strip()
    if not name:
        raise ServiceError("Enter the programme's name.", "name")
    slug = checked_slug(slug, name)
    if db.session.scalar(select(Programme.id).where(Programme.slug == slug)):
        raise Conflict(f"A programme with the slug {slug!r} already exists.", "slug")
    programme = Programme(name=name, slug=slug)
    db.session.add(programme)
    for path in sorted(TIMELINES_DIR.glob("*.toml")):
        _add_template(programme, load_template(path))
    establishments.install_defaults(programme)
    db.session.flush()  # the courses name the roles just added
    catalogue.install_courses(programme)
    gate_criteria.install_gate(programme)
    outcome_catalogue.install_indicators(programme)
    db.session.flush()
    after = {"name": name, "slug": slug}
    if actor is not None and not actor.is_admin:
        # A programme manager who starts a programme manages it: without a membership they could
        # not even open it. Administrators see every programme without one.
        db.session.add(
            Membership(user_id=actor.id, programme_id=programme.id, role="programme_manager")
        )
        db.session.flush()
        memberships.forget_roles(actor)
        after["programme_manager"] = actor.email
    audit.record(
        actor,
        "create",
        "programme",
        programme.id,
        f"Created programme {name}",
        programme_id=programme.id,
        after=after,
    )
    return programme


def _add_template(programme: Programme, template) -> None:
    row = TimelineTemplate(
        programme=programme,
        key=template.key,
        name=template.name,
        description=template.description,
    )
    for position, item in enumerate(template.items):
        row.items.append(
            TimelineTemplateItem(
                position=position,
                workstream=item.workstream,
                title=item.title,
                description=item.description,
                offset_amount=item.offset.amount,
                offset_unit=item.offset.unit,
                gate_critical=item.gate_critical,
                stands_for=item.stands_for,
                source=item.provenance.source if item.provenance else None,
                source_reason=item.provenance.reason if item.provenance else None,
            )
        )
    db.session.add(row)
    for workstream in template.workstreams():
        workstream_for(programme, workstream)


def workstream_for(programme: Programme, name: str) -> Workstream:
    """The programme's workstream called `name`, created (at the end) when it is new."""
    for workstream in programme.workstreams:
        if workstream.name == name:
            return workstream
    workstream = Workstream(name=name, position=len(programme.workstreams))
    programme.workstreams.append(workstream)
    return workstream


@dataclass(frozen=True)
class LocalitySummary:
    locality: Locality
    milestones_done: int
    milestones_total: int
    overdue: int


def milestone_counts(programme: Programme, today: date) -> dict[int, tuple[int, int, int]]:
    """(done, total, overdue) of each locality's milestones, by locality id. One query."""
    done = case((Milestone.status == MilestoneStatus.DONE.value, 1), else_=0)
    overdue = case(
        ((Milestone.due < today) & (Milestone.status != MilestoneStatus.DONE.value), 1), else_=0
    )
    return {
        row.locality_id: (int(row.done), int(row.total), int(row.overdue))
        for row in db.session.execute(
            select(
                Milestone.locality_id,
                func.count(Milestone.id).label("total"),
                func.coalesce(func.sum(done), 0).label("done"),
                func.coalesce(func.sum(overdue), 0).label("overdue"),
            )
            .join(Locality, Locality.id == Milestone.locality_id)
            .where(Locality.programme_id == programme.id)
            .group_by(Milestone.locality_id)
        )
    }


def overview(programme: Programme, today: date) -> list[LocalitySummary]:
    """Each locality with its milestone counts, in two queries however many there are."""
    counts = milestone_counts(programme, today)
    localities = db.session.scalars(
        select(Locality)
        .where(Locality.programme_id == programme.id)
        .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
    )
    return [
        LocalitySummary(locality, *counts.get(locality.id, (0, 0, 0))) for locality in localities
    ]


def get_workstream(programme: Programme, workstream_id: int) -> Workstream:
    return get_within(
        Workstream,
        workstream_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no workstream {workstream_id}.",
    )


@transactional
def set_workstream_lead(
    workstream: Workstream, lead: User | None, actor: User | None
) -> Workstream:
    """Name (or clear) the person who leads a workstream."""
    if lead is not None and not lead.active:
        raise ServiceError(f"{lead.name} is deactivated and cannot lead a workstream.", "lead")
    before = workstream.lead.email if workstream.lead else None
    after = lead.email if lead else None
    if before != after:
        workstream.lead = lead
        audit.record(
            actor,
            "update",
            "workstream",
            workstream.id,
            f"{workstream.name}: lead {'set to ' + lead.name if lead else 'cleared'}",
            programme_id=workstream.programme_id,
            before={"lead": before},
            after={"lead": after},
        )
    return workstream
