"""Changing one person's place: taking them off a session, or moving them to another session
of the same module. Both tell the person's calendar and leave an audit entry in words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from programme.clock import today
from programme.domain.formatting import long_date
from programme.domain.training import ATTENDANCE_LABELS
from programme.extensions import db
from programme.models import Attendance, StaffMember, TrainingSession, User
from programme.services import audit
from programme.services.errors import NotFound, ServiceError
from programme.services.training import calendar_invites
from programme.services.training.enrolment import OverCapacity, check_open
from programme.services.transaction import transactional


def _name(session: TrainingSession) -> str:
    return f"{session.course.name}, module {session.module.number}, {long_date(session.on)}"


def get_place(session: TrainingSession, staff_id: int) -> Attendance:
    place = db.session.scalar(
        select(Attendance).where(
            Attendance.session_id == session.id, Attendance.staff_id == staff_id
        )
    )
    if place is None:
        raise NotFound(f"Staff member {staff_id} has no place at this session.", "staff")
    return place


def _check_movable(place: Attendance, doing: str) -> None:
    if place.status is not None:
        label = ATTENDANCE_LABELS.get(place.status, place.status).lower()
        raise ServiceError(
            f"{place.staff.name} cannot be {doing}: their attendance is recorded ({label}), "
            "and the register keeps it.",
            "staff",
        )


@transactional
def unenrol(session: TrainingSession, staff_id: int, actor: User | None) -> StaffMember:
    """Take a person off a session. Refused once their attendance is recorded."""
    place = get_place(session, staff_id)
    _check_movable(place, "removed")
    staff = place.staff
    db.session.delete(place)
    db.session.flush()
    audit.record(
        actor,
        "unenrol",
        "training_session",
        session.id,
        f"Removed {staff.name} from {_name(session)}",
        programme_id=session.programme_id,
        before={"enrolled": [staff.email]},
    )
    calendar_invites.withdraw(session, [staff])
    return staff


@dataclass(frozen=True)
class MoveTarget:
    session: TrainingSession
    enrolled: int

    @property
    def seats_left(self) -> int:
        return self.session.capacity - self.enrolled


def move_targets(session: TrainingSession) -> list[MoveTarget]:
    """Other sessions of the same module, not cancelled and not yet past, soonest first, with
    how many hold a place at each. One query."""
    enrolled = (
        select(func.count(Attendance.id))
        .where(Attendance.session_id == TrainingSession.id)
        .correlate(TrainingSession)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(TrainingSession, enrolled)
        .where(
            TrainingSession.course_id == session.course_id,
            TrainingSession.module_id == session.module_id,
            TrainingSession.id != session.id,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.on >= today(),
        )
        .order_by(TrainingSession.on, TrainingSession.id)
    )
    return [MoveTarget(target, count) for target, count in rows]


@transactional
def move(
    session: TrainingSession,
    staff_id: int,
    target: TrainingSession | None,
    actor: User | None,
    *,
    confirm_over_capacity: bool = False,
) -> StaffMember:
    """Move a person's place to another upcoming session of the same module. Refused when the
    target is cancelled, past, of another module or (unless confirmed) full."""
    place = get_place(session, staff_id)
    _check_movable(place, "moved")
    staff = place.staff
    if target is None or target.programme_id != session.programme_id:
        raise NotFound("Choose the session to move them to.", "target")
    if target.id == session.id:
        raise ServiceError(f"{staff.name} already has a place at this session.", "target")
    if target.course_id != session.course_id or target.module_id != session.module_id:
        raise ServiceError(
            f"That session is of {target.course.name}, module {target.module.number}: "
            f"{staff.name} can only move to another session of {session.course.name}, "
            f"module {session.module.number}.",
            "target",
        )
    try:
        check_open(target)
    except ServiceError as error:
        raise ServiceError(error.message.replace("enrolled on", "moved to"), "target") from None
    if target.on < today():
        raise ServiceError(
            f"The session on {long_date(target.on)} has already happened: "
            "choose one still to come.",
            "target",
        )
    holders = {p.staff_id for p in target.places}
    if staff.id in holders:
        raise ServiceError(
            f"{staff.name} already has a place at the session on {long_date(target.on)}.", "target"
        )
    if len(holders) + 1 > target.capacity and not confirm_over_capacity:
        raise OverCapacity(target, len(holders) + 1, [staff.id])
    db.session.delete(place)
    target.places.append(Attendance(staff=staff))
    db.session.flush()
    audit.record(
        actor,
        "move_place",
        "training_session",
        session.id,
        f"Moved {staff.name} from {_name(session)} to {long_date(target.on)}",
        programme_id=session.programme_id,
        before={"session": session.id},
        after={"session": target.id},
    )
    calendar_invites.withdraw(session, [staff])
    calendar_invites.invite(target, [staff])
    return staff
