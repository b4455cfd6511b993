"""A person's staff record: their details, their training history per course and module, and
corrections to it (team, role, dates, name, e-mail), audited and refused when stale."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import listed, long_date
from programme.domain.module_progress import ModuleState, module_spots
from programme.domain.recruitment import is_email
from programme.domain.training import ATTENDANCE_LABELS, AttendanceStatus
from programme.extensions import db
from programme.models import (
    Attendance,
    Course,
    Locality,
    Programme,
    StaffMember,
    Team,
    TrainingSession,
    User,
)
from programme.services import audit, facts
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.recruitment import roles
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.training import catalogue, module_progress
from programme.services.training.staff_members import find_staff
from programme.services.transaction import transactional


def get_staff_member(programme: Programme, staff_id: int) -> StaffMember:
    if staff_id > 2**63 - 1:
        raise NotFound(f"There is no staff member {staff_id} in {programme.name}.")
    person = db.session.scalar(
        select(StaffMember)
        .where(StaffMember.id == staff_id, StaffMember.programme_id == programme.id)
        .options(
            joinedload(StaffMember.team).joinedload(Team.locality),
            joinedload(StaffMember.role),
            joinedload(StaffMember.post),
        )
    )
    if person is None:
        raise NotFound(f"There is no staff member {staff_id} in {programme.name}.")
    return person


@dataclass
class Place:
    session: TrainingSession
    status: str  # "Enrolled" until the register says otherwise


@dataclass
class ModuleHistory:
    number: int
    title: str
    required: bool
    state: ModuleState
    places: list[Place]


@dataclass
class CourseHistory:
    course: Course
    for_role: bool
    modules: list[ModuleHistory] = field(default_factory=list)


def history(person: StaffMember) -> list[CourseHistory]:
    """Per course (those for the person's role, and any other they have a place on), each
    module's state and every place they had at a session of it, oldest first."""
    programme = db.session.get(Programme, person.programme_id)
    rows = db.session.execute(
        select(Attendance, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(Attendance.staff_id == person.id)
        .options(joinedload(TrainingSession.module))
        .order_by(TrainingSession.on, TrainingSession.id)
    ).all()
    places: dict[int, list[Place]] = defaultdict(list)  # by module id
    courses_with_places = set()
    for place, session in rows:
        status = (
            ATTENDANCE_LABELS[AttendanceStatus(place.status)]
            if place.status
            else ("Cancelled" if session.cancelled else "Enrolled")
        )
        places[session.module_id].append(Place(session, status))
        courses_with_places.add(session.course_id)
    attended = facts.attendance_of(programme, [person.id])
    bookings = facts.bookings_of(programme, [person.id])
    result = []
    for course in catalogue.list_courses(programme):
        for_role = person.role_id in {role.id for role in course.roles}
        if not for_role and course.id not in courses_with_places:
            continue
        spots = module_spots(
            module_progress.module_infos(course),
            attended.get(course.id, []),
            bookings.get(course.id, []),
            course.counted,
        )
        result.append(
            CourseHistory(
                course,
                for_role,
                [
                    ModuleHistory(
                        spot.number,
                        spot.title,
                        module.required,
                        spot.state,
                        places.get(module.id, []),
                    )
                    for spot, module in zip(spots, course.modules, strict=True)
                ],
            )
        )
    return result


def team_choices(programme: Programme) -> list[Team]:
    """Every team of the programme, by locality then name."""
    return list(
        db.session.scalars(
            select(Team)
            .join(Locality, Locality.id == Team.locality_id)
            .where(Locality.programme_id == programme.id)
            .options(joinedload(Team.locality))
            .order_by(Locality.name, Team.name)
        )
    )


def _in_words(person: StaffMember) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "team": f"{person.team.name}, {person.team.locality.name}",
        "role": person.role.name,
        "start_date": long_date(person.start_date),
        "leaving_date": long_date(person.leaving_date),
    }


_LABELS = {
    "name": "name",
    "email": "e-mail address",
    "team": "team",
    "role": "role",
    "start_date": "start date",
    "leaving_date": "leaving date",
}


def _stale_message(person: StaffMember) -> str:
    return (
        f"Someone else changed {person.name}'s record after you opened it. Nothing was saved: "
        "the form now shows the current values; check them and save again."
    )


@dataclass
class RecordChange:
    person: StaffMember
    changed: list[str]  # the fields changed, in words


@transactional
def update_staff_member(
    person: StaffMember,
    actor: User | None,
    *,
    expected_version: int | None,
    name: str,
    email: str,
    team_id: int,
    role_id: int,
    start_date: date | None,
    leaving_date: date | None,
) -> RecordChange:
    """Correct a person's record. Their team may be any team of the programme; their e-mail
    stays unique in it. A save over someone else's since the form was opened is refused."""
    programme = db.session.get(Programme, person.programme_id)
    refuse_if_stale(person, expected_version, _stale_message(person))
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ServiceError("Enter the person's name.", "name")
    if not is_email(email):
        raise ServiceError("Enter the person's e-mail address, like name@example.org.", "email")
    if leaving_date and start_date and leaving_date < start_date:
        raise ServiceError(
            f"The leaving date must be on or after the start date ({long_date(start_date)}).",
            "leaving_date",
        )
    with db.session.no_autoflush:
        other = find_staff(programme, email)
        if other is not None and other.id != person.id:
            raise Conflict(
                f"{email} is already the e-mail address of {other.name} in {programme.name}.",
                "email",
            )
        team = db.session.get(Team, team_id)
        if team is None or team.locality.programme_id != programme.id:
            raise ServiceError(f"There is no team {team_id} in {programme.name}.", "team")
        role = roles.get_role(programme, role_id)
        before = _in_words(person)
        person.name, person.email = name, email
        person.team, person.role = team, role
        person.start_date, person.leaving_date = start_date, leaving_date
        old, new = audit.changed_fields(before, _in_words(person))
    if not new:
        return RecordChange(person, [])
    changed = [_LABELS[key] for key in new]
    audit.record(
        actor,
        "update",
        "staff",
        person.id,
        f"Changed {name}'s {listed(changed)}",
        programme_id=programme.id,
        locality_id=team.locality_id,
        before=old,
        after=new,
    )
    flush_or_refuse(_stale_message(person))
    return RecordChange(person, changed)
