"""Writing and reading the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from programme.extensions import db
from programme.models import AuditEvent, User
from programme.services.channel import current_channel


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON can hold them (dates as ISO text)."""
    return {key: _jsonable(value) for key, value in values.items()}


def record(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    summary: str,
    *,
    programme_id: int | None = None,
    locality_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary[:500],
        programme_id=programme_id,
        locality_id=locality_id,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        channel=current_channel(),
    )
    db.session.add(event)
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the keys whose value changed, for a compact before/after pair."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
