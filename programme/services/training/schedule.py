"""Scheduling training sessions, and the programme's schedule of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import long_date
from programme.domain.permissions import PERMISSIONS
from programme.extensions import db
from programme.models import Attendance, Course, Membership, Programme, TrainingSession, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional


def trainer_candidates(programme_id: int) -> list[tuple[User, str]]:
    """The programme's active members whose role there may lead its sessions (permission
    "lead_sessions": trainers and programme managers), with that role, by name: what the
    Trainer field offers."""
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.active,
            Membership.programme_id == programme_id,
            Membership.role.in_(PERMISSIONS["lead_sessions"]),
        )
        .order_by(User.name, User.id)
    )
    return [(user, role) for user, role in rows]


def get_session(programme: Programme, session_id: int) -> TrainingSession:
    return get_within(
        TrainingSession,
        session_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no training session {session_id}.",
    )


@transactional
def create_session(
    course: Course,
    module_number: int,
    on: date,
    actor: User | None,
    *,
    trainer: User | None = None,
    capacity: int | None = None,
    venue: str = "",
    starts_at: time | None = None,
    cost_pence: int | None = None,
) -> TrainingSession:
    """Schedule a module of a course. Its cost defaults to the course's cost per cohort shared
    across its modules."""
    module = next((m for m in course.modules if m.number == module_number), None)
    if module is None:
        numbers = ", ".join(str(m.number) for m in course.modules)
        raise ServiceError(
            f"{course.name} has modules {numbers}; there is no module {module_number}.", "module"
        )
    capacity = course.capacity if capacity is None else capacity
    if not 1 <= capacity <= 500:
        raise ServiceError("Capacity must be a whole number from 1 to 500.", "capacity")
    if trainer is not None and not trainer.active:
        raise ServiceError(f"{trainer.name} is deactivated and cannot run a session.", "trainer")
    if cost_pence is None:
        cost_pence = course.cost_per_cohort_pence // max(len(course.modules), 1)
    session = TrainingSession(
        programme_id=course.programme_id,
        course=course,
        module=module,
        on=on,
        starts_at=starts_at,
        venue=venue.strip()[:200],
        trainer=trainer,
        capacity=capacity,
        cost_pence=cost_pence,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "training_session",
        session.id,
        f"Scheduled {course.name}, module {module.number}, on {long_date(on)}",
        programme_id=course.programme_id,
        after={"course": course.key, "module": module.number, "on": on, "capacity": capacity},
    )
    return session


@dataclass
class SessionSummary:
    session: TrainingSession
    enrolled: int
    recorded: int

    @property
    def over_capacity(self) -> bool:
        return self.enrolled > self.session.capacity


@dataclass
class Schedule:
    upcoming: list[SessionSummary]
    past: list[SessionSummary]

    @property
    def missing_registers(self) -> list[SessionSummary]:
        """Past sessions whose register was never saved (a cancelled one has none to take)."""
        return [
            s for s in self.past if s.session.register_saved_at is None and not s.session.cancelled
        ]


def sessions_in_order(programme: Programme) -> list[TrainingSession]:
    """Every session of the programme by date and time, with its course, module and trainer
    loaded in the same query."""
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.programme_id == programme.id)
            .options(
                joinedload(TrainingSession.course),
                joinedload(TrainingSession.module),
                joinedload(TrainingSession.trainer),
            )
            .order_by(TrainingSession.on, TrainingSession.starts_at, TrainingSession.id)
        )
    )


def schedule(programme: Programme, today: date) -> Schedule:
    """Every session of the programme, upcoming (soonest first) and past (latest first)."""
    counts = {
        row.session_id: row
        for row in db.session.execute(
            select(
                Attendance.session_id,
                func.count(Attendance.id).label("enrolled"),
                func.count(Attendance.status).label("recorded"),
            )
            .join(TrainingSession)
            .where(TrainingSession.programme_id == programme.id)
            .group_by(Attendance.session_id)
        )
    }
    sessions = sessions_in_order(programme)
    upcoming, past = [], []
    for session in sessions:
        row = counts.get(session.id)
        summary = SessionSummary(session, row.enrolled if row else 0, row.recorded if row else 0)
        (upcoming if session.on >= today else past).append(summary)
    past.reverse()
    return Schedule(upcoming, past)
