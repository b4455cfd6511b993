"""Changing a scheduled session: correcting its details, moving it to another day or time, and
cancelling it.

A change of date or start time is a reschedule: the places move with the session and everyone on
it is sent an update at a raised calendar SEQUENCE. Other corrections (venue, trainer, capacity,
cost) tell nobody. Cancelling tells everyone on the session, releases their places and keeps the
session in the schedule, marked cancelled with its reason.

What is refused, and why:
- a cancelled session changes no more (it stays as the record of what was planned);
- a capacity below the number enrolled (move or un-enrol people first);
- a new date before today;
- a new date for a session whose attendance is recorded: the register belongs to the day it was
  taken, so moving it would misdate everyone's training. Its venue, trainer, cost and start time
  can still be corrected;
- cancelling a session that was held (any attendance recorded, or its day has passed);
- cancelling without a reason (the people on it are told it);
- a form opened before someone else saved the session (its version no longer matches).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from types import EllipsisType
from typing import Any

from sqlalchemy import select

from programme.clock import today, utc_now, zone
from programme.domain.formatting import clock_time, count, long_date, money
from programme.extensions import db
from programme.models import Attendance, StaffMember, TrainingSession, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.training import calendar_invites
from programme.services.transaction import transactional

MAX_CAPACITY = 500
MAX_REASON = 1000


@dataclass(frozen=True)
class SessionChange:
    """What an edit did: each changed field's words before and after, whether it moved the
    session (a reschedule), and who was told."""

    session: TrainingSession
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    rescheduled: bool = False
    told: list[StaffMember] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.after)


def _name(session: TrainingSession) -> str:
    return f"{session.course.name}, module {session.module.number}"


def changed_since_opened(session: TrainingSession) -> str:
    return (
        f"Someone else changed {_name(session)} on {long_date(session.on)} after you opened it. "
        "Your changes were not saved: review the current values and make your change again."
    )


def _people(session: TrainingSession) -> list[StaffMember]:
    """Everyone with a place on the session, by name."""
    return list(
        db.session.scalars(
            select(StaffMember)
            .join(Attendance, Attendance.staff_id == StaffMember.id)
            .where(Attendance.session_id == session.id)
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def _places(session: TrainingSession) -> tuple[int, int]:
    """How many people hold a place, and how many of them have their attendance recorded."""
    places = list(session.places)
    return len(places), sum(1 for place in places if place.status is not None)


def _refuse_if_cancelled(session: TrainingSession) -> None:
    if session.cancelled:
        raise ServiceError(
            f"{_name(session)} on {long_date(session.on)} was cancelled on "
            f"{long_date(session.cancelled_at, zone())}: a cancelled session cannot be changed. "
            "Schedule a new session instead."
        )


def _stored(name: str, value: Any) -> Any:
    """A value as the audit trail keeps it: a start time as "09:30", a trainer by name."""
    if name == "starts_at":
        return clock_time(value) if value is not None else None
    if name == "trainer":
        return value.name if value is not None else None
    return value


def _shown(name: str, value: Any) -> str:
    """A stored value in a sentence."""
    if value is None or value == "":
        return {"starts_at": "no start time", "trainer": "no trainer"}.get(name, "none")
    if name == "on":
        return long_date(value)
    if name == "cost_pence":
        return money(value)
    return str(value)


_LABELS = {
    "on": "date",
    "starts_at": "start time",
    "venue": "venue",
    "trainer": "trainer",
    "capacity": "capacity",
    "cost_pence": "cost",
}


def _check_values(
    session: TrainingSession, wanted: dict[str, Any], enrolled: int, recorded: int
) -> None:
    if "capacity" in wanted:
        capacity = wanted["capacity"]
        if not 1 <= capacity <= MAX_CAPACITY:
            raise ServiceError(
                f"Capacity must be a whole number from 1 to {MAX_CAPACITY}.", "capacity"
            )
        if capacity < enrolled:
            raise ServiceError(
                f"{count(enrolled, 'person is', 'people are')} enrolled, so the capacity cannot "
                f"be less than {enrolled}. Move or un-enrol people first.",
                "capacity",
            )
    if "on" in wanted:
        new_day: date = wanted["on"]
        if recorded:
            raise ServiceError(
                f"Attendance is recorded for {count(recorded, 'person', 'people')} on "
                f"{long_date(session.on)}, so the "
                "session's date cannot change: the register belongs to the day it was taken. Its "
                "venue, trainer, start time and cost can still be corrected.",
                "on",
            )
        if new_day < today():
            raise ServiceError(
                f"A session cannot be moved into the past: choose {long_date(today())} or a "
                "later date.",
                "on",
            )
    trainer = wanted.get("trainer")
    if trainer is not None and not trainer.active:
        raise ServiceError(f"{trainer.name} is deactivated and cannot run a session.", "trainer")
    if wanted.get("cost_pence") is not None and wanted["cost_pence"] < 0:
        raise ServiceError("The cost cannot be less than nothing.", "cost")


@transactional
def edit_session(
    session: TrainingSession,
    actor: User | None,
    *,
    expected_version: int | None = None,
    on: date | EllipsisType = ...,
    starts_at: time | None | EllipsisType = ...,
    venue: str | EllipsisType = ...,
    trainer: User | None | EllipsisType = ...,
    capacity: int | EllipsisType = ...,
    cost_pence: int | EllipsisType = ...,
) -> SessionChange:
    """Change the session's details; a field left out (`...`) keeps its value. A new date or
    start time is a reschedule: the calendar SEQUENCE goes up and everyone on the session is sent
    the update. Nothing changed: nothing is written and nobody is told."""
    _refuse_if_cancelled(session)
    refuse_if_stale(session, expected_version, changed_since_opened(session))
    given = {
        "on": on,
        "starts_at": starts_at,
        "venue": venue.strip()[:200] if isinstance(venue, str) else venue,
        "trainer": trainer,
        "capacity": capacity,
        "cost_pence": cost_pence,
    }
    wanted = {
        name: value
        for name, value in given.items()
        if value is not ... and value != getattr(session, name)
    }
    if not wanted:
        return SessionChange(session)
    enrolled, recorded = _places(session)
    _check_values(session, wanted, enrolled, recorded)

    before = {name: _stored(name, getattr(session, name)) for name in wanted}
    after = {name: _stored(name, value) for name, value in wanted.items()}
    title = f"{_name(session)} on {long_date(session.on)}"
    message = changed_since_opened(session)
    rescheduled = "on" in wanted or "starts_at" in wanted
    for name, value in wanted.items():
        setattr(session, name, value)
    if rescheduled:
        session.sequence = (session.sequence or 0) + 1
    flush_or_refuse(message)
    told = _people(session) if rescheduled else []
    if rescheduled:
        calendar_invites.update(session, told)
    changes = "; ".join(
        f"{_LABELS[name]} from {_shown(name, before[name])} to {_shown(name, after[name])}"
        for name in wanted
    )
    audit.record(
        actor,
        "reschedule" if rescheduled else "update",
        "training_session",
        session.id,
        f"{'Rescheduled' if rescheduled else 'Changed'} {title}: {changes}"
        + (f"; told {count(len(told), 'person', 'people')}" if told else ""),
        programme_id=session.programme_id,
        before=before,
        after=after,
    )
    return SessionChange(session, before, after, rescheduled, told)


def held_reason(session: TrainingSession) -> str | None:
    """Why the session counts as held (and so cannot be cancelled), or None."""
    recorded = sum(1 for place in session.places if place.status is not None)
    if recorded:
        return (
            f"Attendance is recorded for {count(recorded, 'person', 'people')}: a session that "
            "was held cannot be cancelled."
        )
    if session.on < today():
        return (
            f"Its day, {long_date(session.on)}, has passed: a session that was held cannot be "
            "cancelled. Record its register instead."
        )
    return None


@transactional
def cancel_session(
    session: TrainingSession,
    actor: User | None,
    reason: str,
    *,
    expected_version: int | None = None,
) -> list[StaffMember]:
    """Cancel a session that has not been held: everyone with a place is sent a cancellation
    carrying the reason, then their places are released. The session stays in the schedule,
    marked cancelled. Returns the people who were told."""
    _refuse_if_cancelled(session)
    refuse_if_stale(session, expected_version, changed_since_opened(session))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(
            "Enter the reason for cancelling: everyone on the session is told it.", "reason"
        )
    if len(reason) > MAX_REASON:
        raise ServiceError(f"The reason must be {MAX_REASON} characters or fewer.", "reason")
    if (held := held_reason(session)) is not None:
        raise ServiceError(held)
    people = _people(session)
    title = f"{_name(session)} on {long_date(session.on)}"
    message = changed_since_opened(session)
    # The cancellation carries the reason and a raised SEQUENCE, as calendars expect of a
    # CANCEL that follows the REQUESTs they hold.
    session.cancelled_at = utc_now()
    session.cancel_reason = reason
    session.sequence = (session.sequence or 0) + 1
    flush_or_refuse(message)
    calendar_invites.cancel(session, people)
    session.places.clear()  # the places are released: delete-orphan removes the rows
    flush_or_refuse(message)
    audit.record(
        actor,
        "cancel",
        "training_session",
        session.id,
        f"Cancelled {title}: {reason}. Released {count(len(people), 'place')}"
        + (f" ({', '.join(person.name for person in people)})" if people else ""),
        programme_id=session.programme_id,
        before={"cancelled": False, "enrolled": [person.email for person in people]},
        after={"cancelled": True, "reason": reason, "enrolled": []},
    )
    return people


def reschedule(
    session: TrainingSession,
    actor: User | None,
    on: date | EllipsisType = ...,
    starts_at: time | None | EllipsisType = ...,
    *,
    expected_version: int | None = None,
    **details: Any,
) -> SessionChange:
    """Move the session to another day (and/or start time): `edit_session` by another name,
    for callers that only move sessions."""
    return edit_session(
        session, actor, expected_version=expected_version, on=on, starts_at=starts_at, **details
    )


# `cancel` reads as the calendar's word for it.
cancel = cancel_session
