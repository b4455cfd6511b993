"""What the programme holds that a trainer's sign-in sheet is read against: its courses and
their modules, its sessions by course, module and day, its people by e-mail and by name, and who
already has a place at which session. The attendance import (`attendance_import.py`) plans each
row against these, and its preview describes values through them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from programme.domain.formatting import short_date
from programme.domain.spreadsheet import normalise
from programme.domain.training import AttendanceStatus
from programme.domain.vocabulary import Vocabulary


@dataclass(frozen=True)
class CourseRef:
    id: int
    key: str
    name: str
    modules: tuple[int, ...]  # module numbers, in order


@dataclass(frozen=True)
class SessionRef:
    id: int
    course_id: int
    module: int
    on: date


@dataclass(frozen=True)
class StaffRef:
    id: int
    name: str
    email: str
    team: str


@dataclass(frozen=True)
class Place:
    """A person's place at a session as the programme holds it (status None: enrolled only)."""

    id: int
    session_id: int
    staff_id: int
    status: str | None


@dataclass
class Lookups:
    """What the programme holds, for resolving what a sign-in sheet says."""

    courses: Vocabulary  # by name and key
    course_by_id: dict[int, CourseRef]
    sessions: dict[tuple[int, int], list[SessionRef]]  # (course id, module) -> by date
    session_by_id: dict[int, SessionRef]
    by_email: dict[str, StaffRef]
    by_name: dict[str, list[StaffRef]]  # normalised name -> everyone so called
    staff_by_id: dict[int, StaffRef]

    def course_label(self, course_id: int) -> str:
        return self.course_by_id[course_id].name

    def session_label(self, session_id: int) -> str:
        session = self.session_by_id[session_id]
        course = self.course_label(session.course_id)
        return f"{course} module {session.module} · {short_date(session.on)}"


def build_lookups(
    courses: Iterable[CourseRef], sessions: Iterable[SessionRef], staff: Iterable[StaffRef]
) -> Lookups:
    lookups = Lookups(Vocabulary(), {}, defaultdict(list), {}, {}, defaultdict(list), {})
    for course in courses:
        lookups.course_by_id[course.id] = course
        lookups.courses.add(course, course.name, (course.key,))
    for session in sorted(sessions, key=lambda s: (s.on, s.id)):
        lookups.sessions[(session.course_id, session.module)].append(session)
        lookups.session_by_id[session.id] = session
    for person in staff:
        lookups.by_email[person.email.strip().lower()] = person
        lookups.by_name[normalise(person.name)].append(person)
        lookups.staff_by_id[person.id] = person
    return lookups


def describe_value(name: str, value: Any, lookups: Lookups) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "(not recorded)" if name == "status" else "(blank)"
    if name == "status":
        return AttendanceStatus(value).label
    if name == "session_id":
        return lookups.session_label(value)
    if name == "staff_id":
        person = lookups.staff_by_id.get(value)
        return person.name if person else str(value)
    if name == "walk_in":
        return "Walk-in" if value else "Enrolled"
    if isinstance(value, date):
        return short_date(value)
    return str(value)
