"""A locality's exceptions to the go-live gate: held to another threshold for a criterion, or
excused from it, for a stated reason. Every change is in the locality's audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.clock import utc_now
from programme.domain.formatting import percent
from programme.extensions import db
from programme.models import GateCriterion, GateException, Locality, User
from programme.services.errors import NotFound, ServiceError
from programme.services.readiness.gate_criteria import (
    audit_locality,
    checked_threshold,
    refuse_if_all_or_nothing,
)
from programme.services.transaction import transactional


def _exception(locality: Locality, criterion: GateCriterion) -> GateException | None:
    return db.session.scalar(
        select(GateException).where(
            GateException.locality_id == locality.id,
            GateException.criterion_id == criterion.id,
        )
    )


def exceptions(locality: Locality) -> list[GateException]:
    return list(
        db.session.scalars(
            select(GateException)
            .where(GateException.locality_id == locality.id)
            .options(joinedload(GateException.criterion), joinedload(GateException.set_by))
        )
    )


@transactional
def set_exception(
    locality: Locality,
    criterion: GateCriterion,
    reason: str,
    actor: User | None,
    *,
    threshold: int | None = None,
    waived: bool = False,
) -> GateException:
    """Hold one locality to another threshold for a criterion, or excuse it, for a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Give the reason for the exception; the board will read it.", "reason")
    if not waived:
        refuse_if_all_or_nothing(criterion, "waived")
    threshold = None if waived else checked_threshold(threshold)
    exception = _exception(locality, criterion)
    before = (
        {"threshold": exception.threshold, "waived": exception.waived, "reason": exception.reason}
        if exception
        else None
    )
    if exception is None:
        exception = GateException(locality_id=locality.id, criterion_id=criterion.id)
        db.session.add(exception)
    exception.threshold, exception.waived, exception.reason = threshold, waived, reason
    exception.set_by_id, exception.set_at = (actor.id if actor else None), utc_now()
    what = "waived" if waived else f"threshold {percent(threshold)}"
    audit_locality(
        actor,
        "exception",
        locality,
        criterion,
        f"{locality.name}: “{criterion.label}” {what} ({reason})",
        before=before,
        after={"threshold": threshold, "waived": waived, "reason": reason},
    )
    return exception


@transactional
def clear_exception(locality: Locality, criterion: GateCriterion, actor: User | None) -> None:
    exception = _exception(locality, criterion)
    if exception is None:
        raise NotFound(f"{locality.name} has no exception for “{criterion.label}”.")
    audit_locality(
        actor,
        "exception_cleared",
        locality,
        criterion,
        f"{locality.name}: “{criterion.label}” back to the programme's threshold",
        before={"threshold": exception.threshold, "waived": exception.waived},
    )
    db.session.delete(exception)
