"""Timeline templates: applying one to a locality, and editing a programme's templates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from programme.domain.formatting import count
from programme.domain.provenance import set_by
from programme.domain.timeline import OFFSET_UNITS, Offset, due_date
from programme.extensions import db
from programme.models import (
    Locality,
    Milestone,
    Programme,
    TimelineTemplate,
    TimelineTemplateItem,
    User,
)
from programme.seed_files import DEFAULT_TIMELINE_KEY
from programme.services import audit
from programme.services.errors import NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.programmes import workstream_for
from programme.services.transaction import transactional


def get_template(programme: Programme, key: str) -> TimelineTemplate:
    template = db.session.scalar(
        select(TimelineTemplate).where(
            TimelineTemplate.programme_id == programme.id, TimelineTemplate.key == key
        )
    )
    if template is None:
        known = ", ".join(t.key for t in programme.timeline_templates) or "none"
        raise NotFound(f"{programme.name} has no timeline template {key!r} (known: {known}).")
    return template


def get_template_item(template: TimelineTemplate, item_id: int) -> TimelineTemplateItem:
    return get_within(
        TimelineTemplateItem,
        item_id,
        "template_id",
        template.id,
        f"{template.name} has no item {item_id}.",
    )


@dataclass(frozen=True)
class ApplyResult:
    template: TimelineTemplate
    created: int
    already_there: int


@transactional
def apply_template(
    locality: Locality, actor: User | None, key: str = DEFAULT_TIMELINE_KEY
) -> ApplyResult:
    """Create the locality's milestones from a template; items already applied are skipped."""
    programme = locality.programme
    template = get_template(programme, key)
    applied = set(
        db.session.scalars(
            select(Milestone.template_item_id).where(
                Milestone.locality_id == locality.id, Milestone.template_item_id.is_not(None)
            )
        )
    )
    created = 0
    for item in template.items:
        if item.id in applied:
            continue
        offset = Offset(item.offset_amount, item.offset_unit)
        db.session.add(
            Milestone(
                workstream=workstream_for(programme, item.workstream),
                locality=locality,
                template_item_id=item.id,
                title=item.title,
                description=item.description,
                offset_amount=item.offset_amount,
                offset_unit=item.offset_unit,
                due=due_date(locality.go_live, offset),
                gate_critical=item.gate_critical,
                stands_for=item.stands_for,
            )
        )
        created += 1
    if created:
        audit.record(
            actor,
            "apply_template",
            "locality",
            locality.id,
            f"Applied {template.name} to {locality.name}: {count(created, 'milestone')} created",
            programme_id=programme.id,
            locality_id=locality.id,
            after={"template": template.key, "created": created},
        )
    return ApplyResult(template, created, len(applied & {i.id for i in template.items}))


def _validated_item_fields(
    workstream: str, title: str, offset_amount: int, offset_unit: str
) -> tuple[str, str]:
    workstream, title = workstream.strip(), title.strip()
    if not title:
        raise ServiceError("Enter the milestone's title.", "title")
    if not workstream:
        raise ServiceError("Enter the workstream.", "workstream")
    if offset_unit not in OFFSET_UNITS:
        raise ServiceError(f"Unit must be one of {', '.join(OFFSET_UNITS)}.", "offset_unit")
    if offset_amount < 0 or offset_amount > 520:
        raise ServiceError("How long before go-live must be from 0 to 520.", "offset_amount")
    return workstream, title


def _item_fields(item: TimelineTemplateItem) -> dict:
    return {
        "workstream": item.workstream,
        "title": item.title,
        "description": item.description,
        "offset_amount": item.offset_amount,
        "offset_unit": item.offset_unit,
        "gate_critical": item.gate_critical,
    }


@transactional
def save_template_item(
    template: TimelineTemplate,
    actor: User,
    *,
    item: TimelineTemplateItem | None,
    workstream: str,
    title: str,
    description: str,
    offset_amount: int,
    offset_unit: str,
    gate_critical: bool,
) -> TimelineTemplateItem:
    """Add an item (item=None) or change one; milestones already made keep their values."""
    workstream, title = _validated_item_fields(workstream, title, offset_amount, offset_unit)
    before = _item_fields(item) if item else None
    if item is None:
        item = TimelineTemplateItem(position=len(template.items))
        template.items.append(item)
    item.workstream, item.title, item.description = workstream, title, description.strip()
    item.offset_amount, item.offset_unit, item.gate_critical = (
        offset_amount,
        offset_unit,
        gate_critical,
    )
    _ensure_workstream(template.programme, workstream, actor)
    _mark_if_set_by_hand(item, before, template.programme)
    db.session.flush()
    old, new = audit.changed_fields(before or {}, _item_fields(item))
    if before and not new:
        return item  # nothing changed: nothing to audit
    audit.record(
        actor,
        "update" if before else "create",
        "timeline_template_item",
        item.id,
        f"{'Changed' if before else 'Added'} “{title}” in {template.name}",
        programme_id=template.programme_id,
        before=old if before else None,
        after=new,
    )
    return item


# A change to any of these makes the item the programme's own; a new description does not.
SOURCED_FIELDS = ("workstream", "title", "offset_amount", "offset_unit", "gate_critical")


def _mark_if_set_by_hand(
    item: TimelineTemplateItem, before: dict | None, programme: Programme
) -> None:
    after = _item_fields(item)
    if before is None or any(before[field] != after[field] for field in SOURCED_FIELDS):
        item.source, item.source_reason = set_by(programme.name), None


def _ensure_workstream(programme: Programme, name: str, actor: User) -> None:
    """A template item may name a new workstream; creating it is a change worth auditing."""
    if any(existing.name == name for existing in programme.workstreams):
        return
    workstream = workstream_for(programme, name)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "workstream",
        workstream.id,
        f"Added workstream {name}",
        programme_id=programme.id,
        after={"name": name},
    )


@transactional
def remove_template_item(item: TimelineTemplateItem, actor: User) -> None:
    """Remove an item; milestones already made from it stay, no longer linked."""
    template = item.template
    audit.record(
        actor,
        "delete",
        "timeline_template_item",
        item.id,
        f"Removed “{item.title}” from {template.name}",
        programme_id=template.programme_id,
        before=_item_fields(item),
    )
    template.items.remove(item)
