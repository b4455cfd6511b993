"""Reading back what a test wrote: a row as the database now holds it, audit events, row counts."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, inspect, select

from programme.extensions import db
from programme.models import AuditEvent

Entity = TypeVar("Entity")


def reread(entity: Entity) -> Entity:
    """The entity as the database holds it now: the session forgets what it had, then re-reads."""
    model, identity = type(entity), inspect(entity).identity
    db.session.expire_all()
    return db.session.get(model, identity)


def audit_events_for(entity_type: str, entity_id: int) -> list[AuditEvent]:
    """The audit events recorded about one entity (e.g. "milestone", 7), oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        )
    )


def count_rows(model, *where) -> int:
    """How many rows a model (or table) holds, or how many of them match the `where` conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
