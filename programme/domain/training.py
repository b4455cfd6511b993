"""Training: courses and their modules, attendance, who has completed what, and what it cost.

Plain Python: the same completion rule serves the matrix, the shares and (later) the go-live gate.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from programme.domain.provenance import (
    COST_SOURCE_FIELDS,
    MODULES_SOURCE_FIELDS,
    Provenance,
    read_provenance,
)
from programme.domain.recruitment import SeedError, Share


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return ATTENDANCE_LABELS[self]


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.LEFT_EARLY: "Left early",
    AttendanceStatus.ABSENT: "Absent",
}
ATTENDANCE_STATUSES = tuple(AttendanceStatus)
# Present or late counts toward completing a module; absent and left early do not.
DEFAULT_COUNTED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)
# The default gate's training criterion, and the one-course criteria older programmes have.
CRITERIA = {
    "trained_mi_and_fs": "Trained in MI and the FS practice and change workshops",
    "trained_mi": "Trained in Motivational Interviewing",
    "trained_fs_workshops": "Trained in the FS practice and change workshops",
}


class Completion(StrEnum):
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return COMPLETION_LABELS[self]


COMPLETION_LABELS = {
    Completion.COMPLETE: "Complete",
    Completion.IN_PROGRESS: "In progress",
    Completion.NOT_STARTED: "Not started",
}


# --- Courses from seed/courses.toml ------------------------------------------------------------


@dataclass(frozen=True)
class ModuleSpec:
    number: int
    title: str
    required: bool = True


@dataclass(frozen=True)
class CourseSpec:
    key: str
    name: str
    criterion: str | None
    modules: tuple[ModuleSpec, ...]
    roles: tuple[str, ...]  # role keys whose staff must complete it
    cost_per_cohort_pence: int = 0
    capacity: int = 16
    counted: tuple[str, ...] = DEFAULT_COUNTED
    provenance: Provenance | None = None
    cost_provenance: Provenance | None = None
    modules_provenance: Provenance | None = None  # the module titles, when not the course's


def parse_courses(text: str, source: str = "courses.toml") -> tuple[CourseSpec, ...]:
    courses = []
    for entry in tomllib.loads(text).get("courses", []):
        modules = tuple(
            ModuleSpec(int(m["number"]), m["title"], bool(m.get("required", True)))
            for m in entry.get("modules", [])
        )
        course = CourseSpec(
            key=entry["key"],
            name=entry["name"],
            criterion=entry.get("criterion"),
            modules=modules,
            roles=tuple(entry.get("roles", ())),
            cost_per_cohort_pence=round(float(entry.get("cost_per_cohort", 0)) * 100),
            capacity=int(entry.get("capacity", 16)),
            counted=tuple(entry.get("counted", DEFAULT_COUNTED)),
            **_course_provenance(entry, f"{source}: course {entry['key']}"),
        )
        _check_course(course, source)
        courses.append(course)
    return tuple(courses)


def _course_provenance(entry: Mapping, where: str) -> dict[str, Provenance | None]:
    """A course's source, its cost's own source, and the module titles' if they differ."""
    modules = None
    if any(field in entry for field in MODULES_SOURCE_FIELDS):
        modules = read_provenance(entry, f"{where} modules", MODULES_SOURCE_FIELDS)
    return {
        "provenance": read_provenance(entry, where),
        "cost_provenance": read_provenance(entry, f"{where} cost", COST_SOURCE_FIELDS),
        "modules_provenance": modules,
    }


def _check_course(course: CourseSpec, source: str) -> None:
    numbers = [module.number for module in course.modules]
    if not numbers or len(set(numbers)) != len(numbers):
        raise SeedError(f"{source}: {course.key} needs modules with distinct numbers.")
    if course.criterion is not None and course.criterion not in CRITERIA:
        raise SeedError(f"{source}: {course.key} names an unknown criterion {course.criterion!r}.")
    unknown = set(course.counted) - {status.value for status in ATTENDANCE_STATUSES}
    if unknown:
        raise SeedError(f"{source}: {course.key} counts unknown attendance {sorted(unknown)}.")


def load_courses(path: Path) -> tuple[CourseSpec, ...]:
    return parse_courses(path.read_text(encoding="utf-8"), path.name)


# --- Registers ---------------------------------------------------------------------------------


def register_open(session_on: date, today: date) -> bool:
    """A session's register can be recorded on or after the session's day, never before: who
    attended a session still to come is not known yet."""
    return session_on <= today


# Where a session's register stands, in the words its pages and downloads use.
REGISTER_WORDS = {
    "saved": "Register saved",
    "missing": "No register",
    "today": "Register open today",
    "upcoming": "Opens on the day",
}


def register_state(session_on: date, saved: bool, today: date) -> str:
    """A key of REGISTER_WORDS: saved, missing (the day has passed without one), open today,
    or still to come."""
    if saved:
        return "saved"
    if session_on < today:
        return "missing"
    return "today" if session_on == today else "upcoming"


# --- Completion --------------------------------------------------------------------------------


class Attended(NamedTuple):
    """One recorded attendance of one person at one session of a course. A named tuple, like
    `StaffFacts`: a programme has hundreds of thousands, made and read in bulk."""

    staff_id: int
    module: int
    status: str
    on: date


@dataclass(frozen=True)
class CourseRule:
    """What completing a course takes."""

    required_modules: frozenset[int]
    counted: frozenset[str] = frozenset(DEFAULT_COUNTED)


def completion(
    attended: Iterable[Attended], rule: CourseRule, as_of: date | None = None
) -> Completion:
    """Complete once every required module was attended with a counted status (by `as_of`);
    in progress once any module was; otherwise not started. Logging a person twice changes
    nothing: modules are a set."""
    done = {
        a.module for a in attended if a.status in rule.counted and (as_of is None or a.on <= as_of)
    }
    return completion_of(done, rule)


def completion_of(done: set[int], rule: CourseRule) -> Completion:
    """What the modules a person attended with a counted status make of a course."""
    if rule.required_modules and rule.required_modules <= done:
        return Completion.COMPLETE
    return Completion.IN_PROGRESS if done else Completion.NOT_STARTED


def modules_done(
    attended: Iterable[Attended], rule: CourseRule, as_of: date | None = None
) -> dict[int, set[int]]:
    """The modules each person attended with a counted status (by `as_of`), by staff id: an
    empty set for someone whose every record does not count (people with no attendance are
    left out). One pass, however many people: a programme's records are read in one go."""
    counted, modules = rule.counted, {}
    for record in attended:
        done = modules.get(record.staff_id)
        if done is None:
            done = modules[record.staff_id] = set()
        if record.status in counted and (as_of is None or record.on <= as_of):
            done.add(record.module)
    return modules


def completions(
    attended: Iterable[Attended], rule: CourseRule, as_of: date | None = None
) -> dict[int, Completion]:
    """Each person's completion, by staff id (people with no attendance are left out): what
    `completion` makes of each person's records."""
    return {
        staff_id: completion_of(done, rule)
        for staff_id, done in modules_done(attended, rule, as_of).items()
    }


class StaffFacts(NamedTuple):
    id: int
    role_id: int
    start_date: date | None = None
    leaving_date: date | None = None
    label: str = ""  # the person's name, for lists of who is still to train

    def in_post(self, as_of: date) -> bool:
        """Started (or no start date known) and not yet left."""
        started = self.start_date is None or self.start_date <= as_of
        return started and (self.leaving_date is None or self.leaving_date > as_of)


def is_relevant(staff: StaffFacts, course_roles: frozenset[int], as_of: date) -> bool:
    """Counted for a course: in one of its roles and in post on the day. Leavers stop counting;
    new starters count (as untrained) from their start date."""
    return staff.role_id in course_roles and staff.in_post(as_of)


def trained_share(
    staff: Iterable[StaffFacts],
    done: Mapping[int, Completion],
    course_roles: frozenset[int],
    as_of: date,
) -> Share:
    relevant = [person for person in staff if is_relevant(person, course_roles, as_of)]
    trained = sum(1 for person in relevant if done.get(person.id) == Completion.COMPLETE)
    return Share(trained, len(relevant))


# --- Cost --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCost:
    module: int
    on: date
    cost_pence: int


@dataclass(frozen=True)
class CourseCost:
    cohorts: int
    total_pence: int
    trained: int

    @property
    def per_cohort_pence(self) -> int | None:
        return self.total_pence // self.cohorts if self.cohorts else None

    @property
    def per_person_pence(self) -> int | None:
        return self.total_pence // self.trained if self.trained else None


def course_cost(
    sessions: Iterable[SessionCost], first_module: int, trained: int, today: date
) -> CourseCost:
    """What the sessions held so far cost. A cohort starts with the course's first module, so
    the cohorts run are the sessions of that module held by today."""
    held = [session for session in sessions if session.on <= today]
    cohorts = sum(1 for session in held if session.module == first_module)
    return CourseCost(cohorts, sum(session.cost_pence for session in held), trained)
