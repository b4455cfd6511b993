"""A session's register, and the one writer of attendance.

Attendance arrives two ways: a trainer's register form (`save_register`) and the import of
trainers' spreadsheets (`services/attendance_import.py`). Both record it through
`record_attendance`, so the same rules hold whichever way it came: never before the session's
day, only known statuses, `recorded_at` and the register's `register_saved_at` set, and one audit
entry per session whose attendance changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import joinedload

from programme.clock import utc_now
from programme.domain.formatting import listed, long_date
from programme.domain.training import (
    ATTENDANCE_LABELS,
    ATTENDANCE_STATUSES,
    AttendanceStatus,
    register_open,
)
from programme.extensions import db
from programme.models import Attendance, Course, CourseModule, StaffMember, TrainingSession, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.training.enrolment import enrol
from programme.services.training.register_versions import Seen, refuse_if_register_changed
from programme.services.transaction import transactional


def register(session: TrainingSession) -> list[Attendance]:
    """The session's places with their people, by name."""
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.session_id == session.id)
            .join(StaffMember)
            .options(joinedload(Attendance.staff).joinedload(StaffMember.team))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


class Unmarked(ServiceError):
    """Saving a whole register with people on it marked neither way: nothing is saved."""

    def __init__(self, people: Sequence[StaffMember]):
        names = [person.name for person in people]
        super().__init__(f"Mark the attendance of {listed(names)}: nothing was saved.", "register")
        self.people = list(people)


def unmarked(session: TrainingSession, marks: dict[int, str]) -> list[StaffMember]:
    """Everyone with a place whose attendance is neither recorded nor in `marks`, by name."""
    return [
        place.staff
        for place in register(session)
        if place.status is None and not marks.get(place.staff_id)
    ]


def mark_everyone_present(session: TrainingSession, marks: dict[int, str]) -> dict[int, str]:
    """Everyone's mark: as given, else as recorded, else present. Nothing is saved."""
    return {
        place.staff_id: marks.get(place.staff_id) or place.status or "present"
        for place in register(session)
    }


@transactional
def save_register(
    session: TrainingSession,
    marks: dict[int, str],
    actor: User | None,
    *,
    today: date,
    walk_ins: list[int] | None = None,
    everyone: bool = False,
    seen: Seen | None = None,
) -> int:
    """Record attendance for the people enrolled (and walk-ins), all at once.

    `marks` maps a staff id to present, late, left_early or absent. A mark equal to what is
    recorded changes nothing, so saving the same register twice writes nothing the second time;
    a held register saved again changes only the marks that differ, each change audited.
    Walk-ins are enrolled (and marked present unless marked otherwise). With `everyone` (the
    register form), anyone enrolled left unmarked refuses the whole save (`Unmarked`). Returns
    how many people's attendance changed.

    With `seen` (the marks the form was opened with), a register someone else saved since is
    refused (`StaleRegister`, naming whose marks changed) and nothing is written.
    """
    if session.cancelled:
        raise ServiceError("This session was cancelled, so it has no register.", "register")
    check_recordable(session.on, marks.values(), today)  # before enrolling any walk-in
    refuse_if_register_changed(session, seen)
    if everyone and (missing := unmarked(session, marks)):
        raise Unmarked(missing)
    marks = dict(marks)  # walk-ins are added to it; the caller's stays as it was
    arrived = (
        {s.id for s in enrol(session, walk_ins, actor, confirm_over_capacity=True).added}
        if walk_ins
        else set()
    )  # they are in the room: a walk-in past capacity needs no question
    db.session.flush()  # every place has its staff id
    places = {place.staff_id: place for place in session.places}
    for staff_id in arrived:
        marks.setdefault(staff_id, "present")
    if set(marks) - set(places):
        raise ServiceError("Someone on the register is not enrolled; reload the page.", "register")
    marked = [
        Mark(session.id, staff_id, status, places[staff_id].staff.email, staff_id in arrived)
        for staff_id, status in marks.items()
    ]
    # A held register saved again: each mark it changes is named in the audit summary.
    corrections = [
        (places[staff_id].staff.name, places[staff_id].status, status)
        for staff_id, status in marks.items()
        if places[staff_id].status and places[staff_id].status != status
    ]
    changed = record_attendance(
        marked,
        actor,
        today=today,
        action="register",
        describe=lambda register, count: _register_summary(register, count, corrections),
        registers=[session.id],
    )
    return changed[session.id]


def _register_summary(
    session: RegisterSession, changed: int, corrections: Sequence[tuple[str, str, str]] = ()
) -> str:
    summary = (
        f"Recorded attendance for {changed} on {session.course}, module {session.module}, "
        f"{long_date(session.on)}"
    )
    if corrections:
        summary += "; changed " + listed(
            f"{name} from {_word(before)} to {_word(after)}" for name, before, after in corrections
        )
    return summary


def _word(status: str) -> str:
    return ATTENDANCE_LABELS[AttendanceStatus(status)].lower()


# --- The one writer of attendance -------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One person's attendance at one session, to be recorded."""

    session_id: int
    staff_id: int
    status: str
    who: str  # how the audit trail names them: their e-mail address
    walk_in: bool = False  # came without being enrolled (a place made for them just now)


@dataclass(frozen=True)
class RegisterSession:
    """What the writer knows of a session whose attendance it records."""

    id: int
    programme_id: int
    on: date
    register_saved_at: datetime | None
    course: str  # its course's name
    module: int  # its module's number


def check_recordable(on: date, statuses: Iterable[str], today: date) -> None:
    """Refuse attendance at a session on `on` that cannot be recorded `today`: before the
    session's day, or with a status that is not an attendance status."""
    if not register_open(on, today):
        raise ServiceError(
            f"This session is on {long_date(on)}; record attendance on or after the day.",
            "register",
        )
    valid = {status.value for status in ATTENDANCE_STATUSES}
    bad = sorted({status for status in statuses if status not in valid})
    if bad:
        raise ServiceError(f"Unknown attendance {', '.join(bad)}.", "register")


@transactional
def record_attendance(
    marks: Sequence[Mark],
    actor: User | None,
    *,
    today: date,
    action: str,
    describe: Callable[[RegisterSession, int], str],
    registers: Collection[int] = (),
) -> dict[int, int]:
    """Record attendance, set-based: the same statements for five marks or five thousand.

    A person with no place at the session gets one, as a walk-in; a mark equal to what is
    recorded changes nothing. Each session whose attendance changed, and each of `registers`
    (sessions whose register is being saved) never saved before, has its register marked
    saved; each session whose attendance changed gets one audit entry, with the `action` and
    the summary `describe` gives it. All or nothing: a session before its day or an unknown
    status refuses every mark. Returns, per session, how many people's attendance changed.
    """
    session_ids = sorted({mark.session_id for mark in marks} | set(registers))
    sessions = _sessions(session_ids)
    by_session: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_session[mark.session_id].append(mark)
    for session_id in session_ids:
        statuses = (mark.status for mark in by_session[session_id])
        check_recordable(sessions[session_id].on, statuses, today)
    places = places_at(session_ids)
    now, actor_id = utc_now(), (actor.id if actor else None)
    recorded = {"status": None, "recorded_at": now, "recorded_by_id": actor_id}
    new, updated = [], []
    changes: dict[int, list[tuple[Mark, str | None]]] = defaultdict(list)
    for mark in marks:
        place = places.get((mark.session_id, mark.staff_id))
        if place is None:
            new.append(
                {
                    **recorded,
                    "session_id": mark.session_id,
                    "staff_id": mark.staff_id,
                    "status": mark.status,
                    "walk_in": True,
                }
            )
        elif place.status != mark.status:
            walk_in = place.walk_in or mark.walk_in
            updated.append({**recorded, "id": place.id, "status": mark.status, "walk_in": walk_in})
        else:
            continue
        changes[mark.session_id].append((mark, None if place is None else place.status))
    if new:
        db.session.execute(insert(Attendance), new)
    if updated:
        db.session.execute(update(Attendance), updated)
    saved = [
        session_id
        for session_id in session_ids
        if changes[session_id]
        or (session_id in registers and sessions[session_id].register_saved_at is None)
    ]
    if saved:
        db.session.execute(
            update(TrainingSession)
            .where(TrainingSession.id.in_(saved))
            .values(register_saved_at=now)
        )
    _audit(sessions, changes, actor, action, describe)
    return {session_id: len(changes[session_id]) for session_id in session_ids}


def _sessions(session_ids: list[int]) -> dict[int, RegisterSession]:
    return {
        row[0]: RegisterSession(*row)
        for row in db.session.execute(
            select(
                TrainingSession.id,
                TrainingSession.programme_id,
                TrainingSession.on,
                TrainingSession.register_saved_at,
                Course.name,
                CourseModule.number,
            )
            .join(Course, Course.id == TrainingSession.course_id)
            .join(CourseModule, CourseModule.id == TrainingSession.module_id)
            .where(TrainingSession.id.in_(session_ids))
        )
    }


def places_at(session_ids: Collection[int]) -> dict[tuple[int, int], tuple]:
    """Everyone with a place at these sessions (id, session_id, staff_id, status, walk_in), by
    (session id, staff id): one query, for the register writer and the attendance import."""
    return {
        (row.session_id, row.staff_id): row
        for row in db.session.execute(
            select(
                Attendance.id,
                Attendance.session_id,
                Attendance.staff_id,
                Attendance.status,
                Attendance.walk_in,
            ).where(Attendance.session_id.in_(list(session_ids)))
        )
    }


def _audit(
    sessions: dict[int, RegisterSession],
    changes: dict[int, list[tuple[Mark, str | None]]],
    actor: User | None,
    action: str,
    describe: Callable[[RegisterSession, int], str],
) -> None:
    """One entry per session whose attendance changed, so each session's trail shows it."""
    for session_id, changed in sorted(changes.items()):
        if not changed:
            continue
        session = sessions[session_id]
        audit.record(
            actor,
            action,
            "training_session",
            session_id,
            describe(session, len(changed)),
            programme_id=session.programme_id,
            before={mark.who: before for mark, before in changed},
            after={mark.who: mark.status for mark, _before in changed},
        )
