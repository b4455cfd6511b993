"""Who still needs which module, read from the database in a fixed number of queries: the
enrolment picker's filter, the matrix's module cells and each locality's "still to book"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from programme.domain.module_progress import Booking, ModuleInfo, still_needs
from programme.domain.training import Attended
from programme.extensions import db
from programme.models import Course, Programme, StaffMember, TrainingSession
from programme.services import facts


def module_infos(course: Course) -> list[ModuleInfo]:
    return [ModuleInfo(m.number, m.title, m.required) for m in course.modules]


def _by_person(records: Sequence[Attended] | Sequence[Booking]) -> dict[int, list]:
    by_person: dict[int, list] = defaultdict(list)
    for record in records:
        by_person[record.staff_id].append(record)
    return by_person


def needing_module(session: TrainingSession, people: Sequence[StaffMember]) -> set[int]:
    """The ids of these people who still need the session's module on its day (attendance and
    bookings read in two queries, however many people)."""
    ids = [person.id for person in people]
    if not ids:
        return set()
    course = session.course
    programme = db.session.get(Programme, course.programme_id)  # loaded already: no query
    attended = _by_person(facts.attendance_of(programme, ids).get(course.id, []))
    booked = _by_person(facts.bookings_of(programme, ids).get(course.id, []))
    roles = frozenset(role.id for role in course.roles)
    counted = course.counted
    return {
        person.id
        for person, fact in zip(people, facts.staff_facts(people), strict=True)
        if still_needs(
            fact,
            roles,
            session.module.number,
            attended.get(person.id, []),
            booked.get(person.id, []),
            counted,
            session.on,
            except_session=session.id,
        )
    }
