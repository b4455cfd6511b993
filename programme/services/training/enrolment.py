"""Enrolling people on a training session: by name, by team, and whom the forms offer.

Going past a session's capacity needs the caller's confirmation (we chose a confirmation step,
not a waiting list): without it, `enrol` refuses with `OverCapacity`, which says by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import long_date
from programme.domain.module_progress import attended_modules
from programme.extensions import db
from programme.models import Attendance, Programme, StaffMember, Team, TrainingSession, User
from programme.services import audit, facts
from programme.services.errors import NotFound, ServiceError
from programme.services.training import calendar_invites
from programme.services.transaction import transactional


@dataclass
class Enrolment:
    added: list[StaffMember] = field(default_factory=list)
    already: list[StaffMember] = field(default_factory=list)
    enrolled: int = 0
    capacity: int = 0

    @property
    def over_capacity(self) -> bool:
        return self.enrolled > self.capacity


class OverCapacity(ServiceError):
    """Enrolling these people would put the session past its capacity: ask first."""

    def __init__(self, session: TrainingSession, enrolled: int, staff_ids: list[int]):
        self.enrolled = enrolled  # how many would then hold a place
        self.capacity = session.capacity
        self.over = enrolled - session.capacity
        self.staff_ids = staff_ids
        people = "person" if enrolled == 1 else "people"
        super().__init__(
            f"This puts {enrolled} {people} on {session.capacity} places: "
            f"{self.over} over capacity. Enrol anyway?",
            "staff",
        )


def _article(role: str) -> str:
    return "an" if role[:1].lower() in "aeiou" else "a"


def course_for_role_refusal(session: TrainingSession, staff: StaffMember) -> str | None:
    """Why the session's course is not for this person's role, or None when it is."""
    course = session.course
    if staff.role_id in {role.id for role in course.roles}:
        return None
    names = [role.name for role in course.roles]
    roles = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    wanted = f"is for {roles}" if roles else "is not for any role yet"
    role = staff.role.name
    return f"{staff.name} is {_article(role)} {role}; {course.name} {wanted}."


def check_open(session: TrainingSession) -> None:
    if session.cancelled:
        raise ServiceError(
            f"This session was cancelled on {long_date(session.cancelled_at.date())}: "
            "nobody can be enrolled on it.",
            "staff",
        )


def _already_attended(session: TrainingSession, people: list[StaffMember]) -> StaffMember | None:
    """The first of these people who attended the session's module (with a status that counts)
    at another session. One query."""
    if not people:
        return None
    course = session.course
    programme = db.session.get(Programme, course.programme_id)  # loaded already: no query
    attended = facts.attendance_of(programme, [p.id for p in people]).get(course.id, [])
    by_person: dict[int, list] = {}
    for record in attended:
        by_person.setdefault(record.staff_id, []).append(record)
    number = session.module.number
    for person in people:
        if number in attended_modules(by_person.get(person.id, []), course.counted):
            return person
    return None


@transactional
def enrol(
    session: TrainingSession,
    staff_ids: list[int],
    actor: User | None,
    *,
    confirm_over_capacity: bool = False,
    notify: bool = True,
    check_rules: bool = True,
) -> Enrolment:
    """Give people places at a session. Enrolling someone twice changes nothing. Refused, for
    everyone chosen, when the session is cancelled, when the course is not for someone's role,
    when someone already attended the module, or - unless confirmed - when the places run out.

    `check_rules=False` skips the role and already-attended refusals: for places that record
    what already happened (history loaded by tests or a demo), not for bookings."""
    check_open(session)
    programme_id = session.programme_id
    present = {place.staff_id for place in session.places}
    result = Enrolment(capacity=session.capacity)
    chosen = list(dict.fromkeys(staff_ids))
    for staff_id in chosen:
        staff = db.session.get(StaffMember, staff_id)
        if staff is None or staff.programme_id != programme_id:
            raise NotFound(f"There is no staff member {staff_id} in this programme.", "staff")
        if staff_id in present:
            result.already.append(staff)
            continue
        if check_rules and (refusal := course_for_role_refusal(session, staff)):
            raise ServiceError(refusal, "staff")
        result.added.append(staff)
    if check_rules and (done := _already_attended(session, result.added)):
        raise ServiceError(
            f"{done.name} has already attended module {session.module.number} of "
            f"{session.course.name}: nobody needs it twice.",
            "staff",
        )
    result.enrolled = len(present) + len(result.added)
    if result.added and result.over_capacity and not confirm_over_capacity:
        raise OverCapacity(session, result.enrolled, chosen)
    for staff in result.added:
        session.places.append(Attendance(staff=staff))
    if result.added:
        db.session.flush()  # the new places get their ids, which the register writer keys on
        over = " (over capacity, confirmed)" if result.over_capacity else ""
        audit.record(
            actor,
            "enrol",
            "training_session",
            session.id,
            f"Enrolled {len(result.added)} on {session.course.name}, module "
            f"{session.module.number}, {long_date(session.on)}{over}: "
            + ", ".join(staff.name for staff in result.added),
            programme_id=programme_id,
            after={"enrolled": [s.email for s in result.added]},
        )
        if notify:
            calendar_invites.invite(session, result.added)
    return result


def enrolment_candidates(session: TrainingSession) -> list[StaffMember]:
    """The programme's staff in post on the session's day and not yet enrolled on it, by team
    and name: whom the enrol form and the register's walk-ins offer."""
    enrolled = select(Attendance.staff_id).where(Attendance.session_id == session.id)
    members = list(
        db.session.scalars(
            select(StaffMember)
            .join(Team, Team.id == StaffMember.team_id)
            .where(
                StaffMember.programme_id == session.programme_id, StaffMember.id.not_in(enrolled)
            )
            .options(
                joinedload(StaffMember.team).joinedload(Team.locality),
                joinedload(StaffMember.role),
            )
            .order_by(Team.name, StaffMember.name, StaffMember.id)
        )
    )
    return [
        member
        for member, fact in zip(members, facts.staff_facts(members), strict=True)
        if fact.in_post(session.on)
    ]
