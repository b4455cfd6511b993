"""What moving a go-live date did, read back from the audit trail for the page that follows the
move (post/redirect/get: refreshing that page shows the summary again and moves nothing)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Locality
from programme.services.errors import NotFound
from programme.services.localities import GoLiveMove, reason_left_alone


def _moving_event(locality: Locality, event_id: int) -> AuditEvent:
    event = db.session.get(AuditEvent, event_id)
    if (
        event is None
        or event.locality_id != locality.id
        or event.entity_type != "locality"
        or event.action != "update"
        or "go_live" not in (event.after or {})
    ):
        raise NotFound(f"{locality.name} has no such change of its go-live date.")
    return event


def move_summary(locality: Locality, event_id: int) -> tuple[date, GoLiveMove]:
    """The go-live date the change set, and the milestones it moved (from the trail: the
    "move_due" entries written with it, before the locality's next change) and those left
    alone (as they stand now)."""
    event = _moving_event(locality, event_id)
    next_change = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.locality_id == locality.id,
            AuditEvent.entity_type == "locality",
            AuditEvent.id > event.id,
        )
        .order_by(AuditEvent.id)
        .limit(1)
    )
    moves = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.locality_id == locality.id,
            AuditEvent.action == "move_due",
            AuditEvent.actor_id.is_(event.actor_id)
            if event.actor_id is None
            else AuditEvent.actor_id == event.actor_id,
            AuditEvent.id > event.id,
            *([AuditEvent.id < next_change] if next_change else []),
        )
        .order_by(AuditEvent.id)
    ).all()
    milestones = {m.id: m for m in locality.milestones}
    result = GoLiveMove(event=event)
    for move in moves:
        milestone = milestones.get(move.entity_id)
        if milestone is not None:
            result.moved.append((milestone, _day(move.before["due"]), _day(move.after["due"])))
    moved_ids = {milestone.id for milestone, _old, _new in result.moved}
    for milestone in sorted(milestones.values(), key=lambda m: (m.due or date.max, m.id)):
        reason = reason_left_alone(milestone) if milestone.id not in moved_ids else None
        if reason:
            result.left_alone.append((milestone, reason))
    return _day(event.after["go_live"]), result


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
