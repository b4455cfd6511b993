"""Turning the rows of trainers' sign-in sheets into a plan: record, change, leave or reject.

Each row names a course, a module, the session's date, a person (by e-mail, or by name when
only one person in the programme has it) and whether they attended. The plan is made from
plain values (the file's table, what the programme holds), so the dry run, the commit and the
CLI all see the same outcome for every row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from programme.domain.attendance_lookups import (
    CourseRef,
    Lookups,
    Place,
    SessionRef,
    StaffRef,
    describe_value,
)
from programme.domain.formatting import listed, short_date
from programme.domain.imports import ImportPlan, RowError, RowPlan, columns_for, consume_rows
from programme.domain.recruitment import is_email
from programme.domain.sign_in_sheets import FIELDS, parse_attendance
from programme.domain.spreadsheet import (
    CellValue,
    SheetRow,
    Table,
    cell_text,
    nearest,
    normalise,
    parse_date,
)
from programme.domain.training import AttendanceStatus, register_open

_NUMBER = re.compile(r"\d+")


def parse_module(value: CellValue, course: CourseRef) -> int:
    """A module number from "2", 2.0, "Module 2", "Day 2" or a module's number in its title."""
    text = cell_text(value)
    if not text:
        raise ValueError("The module is blank.")
    found = _NUMBER.search(text)
    if found is None:
        raise ValueError(f"“{text}” is not a module number: {_numbers_of(course)}.")
    number = int(found.group())
    if number not in course.modules:
        raise ValueError(
            f"{course.name} has modules {listed(map(str, course.modules))}; there is no module "
            f"{number}."
        )
    return number


def _numbers_of(course: CourseRef) -> str:
    return f"{course.name} has modules {listed(map(str, course.modules))}"


@dataclass
class _Reading:
    """A row as read, before its session is chosen among the ones that day."""

    plan: RowPlan
    person_column: str
    status: AttendanceStatus | None = None
    person: StaffRef | None = None
    candidates: list[SessionRef] = field(default_factory=list)
    session: SessionRef | None = None


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    lookups: Lookups,
    places_for: Callable[[Collection[int]], Iterable[Place]],
    today: date,
) -> ImportPlan:
    """Read every row, find its session and person, then compare with what is recorded.

    `places_for(session_ids)` gives the places (enrolments and attendance) at those sessions:
    the caller fetches them once, for the sessions the file names. The table's rows are
    consumed as they are read.
    """
    columns = columns_for(FIELDS, mapping, table.headers)
    readings = [_read_row(row, mapping, columns, lookups) for row in consume_rows(table)]
    wanted = {session.id for reading in readings for session in reading.candidates}
    places = {(p.session_id, p.staff_id): p for p in places_for(sorted(wanted))}
    for reading in readings:
        _choose_session(reading, places, lookups, today, columns)
    _reject_repeats(readings, lookups)
    for reading in readings:
        if reading.plan.action == "pending":
            _compare(reading, places, lookups)
    return ImportPlan(
        [reading.plan for reading in readings],
        lambda name, value: describe_value(name, value, lookups),
    )


def _column(columns: Mapping[str, str], name: str) -> str:
    return columns.get(name, FIELDS[name].label)


def _read_row(
    sheet_row: SheetRow, mapping: Mapping[str, int], columns: Mapping[str, str], lookups: Lookups
) -> _Reading:
    plan = RowPlan(sheet_row.number, "rejected")

    def cell(name: str) -> CellValue:
        return sheet_row.cells[mapping[name]] if name in mapping else None

    def reject(name: str, message: str) -> None:
        plan.errors.append(RowError(sheet_row.number, _column(columns, name), message))

    email_text = cell_text(cell("email")).lower()
    by_email = bool(email_text) or "name" not in mapping
    reading = _Reading(plan, _column(columns, "email" if by_email else "name"))
    course = _read_course(cell("course"), lookups, reject)
    module = on = None
    if course is not None:
        try:
            module = parse_module(cell("module"), course)
        except ValueError as error:
            reject("module", str(error))
    try:
        on = parse_date(cell("date"))
        if on is None:
            reject("date", "The session date is blank.")
    except ValueError as error:
        reject("date", str(error))
    reading.person = _read_person(email_text, cell_text(cell("name")), mapping, lookups, reject)
    try:
        reading.status = parse_attendance(cell("attended"))
    except ValueError as error:
        reject("attended", str(error))
    if course is not None and module is not None and on is not None:
        reading.candidates = [
            s for s in lookups.sessions.get((course.id, module), []) if s.on == on
        ]
        if not reading.candidates:
            reject("date", _no_session(course, module, on, lookups))
    if reading.person is not None:
        plan.key = reading.person.email
    plan.label = reading.person.name if reading.person else (email_text or cell_text(cell("name")))
    if not plan.errors:
        plan.action = "pending"
    return reading


def _read_course(value: CellValue, lookups: Lookups, reject) -> CourseRef | None:
    text = cell_text(value)
    if not text:
        reject("course", "The course is blank.")
        return None
    course = lookups.courses.find(text)
    if course is None:
        known = list(lookups.course_by_id.values())
        if ambiguity := lookups.courses.ambiguity(text, "course"):
            reject("course", ambiguity)
            return None
        suggestion = lookups.courses.suggest(text)
        if suggestion is not None:
            hint = f" Did you mean “{suggestion}”?"
        elif known:
            hint = " The courses are " + listed(f"“{c.name}” ({c.key})" for c in known) + "."
        else:
            hint = " The programme has no courses."
        reject("course", f"There is no course “{text}”.{hint}")
    return course


def _no_session(course: CourseRef, module: int, on: date, lookups: Lookups) -> str:
    """Why no session matches, with the nearest ones that do exist."""
    message = f"There is no {course.name} module {module} session on {short_date(on)}"
    same_module = lookups.sessions.get((course.id, module), [])
    if same_module:
        closest = min(same_module, key=lambda s: (abs((s.on - on).days), s.on))
        message += f"; there is one on {short_date(closest.on)}"
    else:
        message += "; none has been scheduled"
    same_day = sorted(
        {
            number
            for number in course.modules
            if number != module
            and any(s.on == on for s in lookups.sessions.get((course.id, number), []))
        }
    )
    if same_day:
        modules = listed(str(number) for number in same_day)
        word = "module" if len(same_day) == 1 else "modules"
        message += f", and a {word} {modules} session on {short_date(on)}"
    return message + "."


def _read_person(
    email: str, name: str, mapping: Mapping[str, int], lookups: Lookups, reject
) -> StaffRef | None:
    if email:
        if not is_email(email):
            reject("email", f"“{email}” is not an e-mail address.")
            return None
        person = lookups.by_email.get(email)
        if person is None:
            named = lookups.by_name.get(normalise(name), []) if name else []
            # The row's name, when it is someone's, says whose address was meant.
            suggestion = named[0].email if len(named) == 1 else nearest(email, lookups.by_email)
            hint = f" Did you mean “{suggestion}”?" if suggestion else ""
            reject("email", f"There is no one with the e-mail “{email}” in the programme.{hint}")
        return person
    if name:
        named = lookups.by_name.get(normalise(name), [])
        if len(named) == 1:
            return named[0]
        if named:
            teams = listed(sorted({person.team for person in named}))
            reject(
                "name",
                f"{len(named)} people in the programme are called “{name}” ({teams}); give "
                "their e-mail address instead.",
            )
            return None
        spellings = [people[0].name for people in lookups.by_name.values()]
        suggestion = nearest(name, spellings)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        reject("name", f"There is no one called “{name}” in the programme.{hint}")
        return None
    if "email" in mapping:
        either = " or name" if "name" in mapping else ""
        reject("email", f"Give the person's e-mail address{either}.")
    elif "name" in mapping:
        reject("name", "Give the person's name.")
    else:
        reject("email", "The file has no column for the person's e-mail address or name.")
    return None


def _choose_session(
    reading: _Reading,
    places: Mapping[tuple[int, int], Place],
    lookups: Lookups,
    today: date,
    columns: Mapping[str, str],
) -> None:
    """The session of the row's course, module and day: the one the person is enrolled on
    when two were held that day. A session still to come cannot have a register."""
    plan, candidates = reading.plan, reading.candidates
    if plan.action != "pending" or reading.person is None:
        return
    column = _column(columns, "date")
    if len(candidates) == 1:
        session = candidates[0]
    else:
        enrolled = [s for s in candidates if (s.id, reading.person.id) in places]
        if len(enrolled) != 1:
            first = candidates[0]
            where = "neither" if not enrolled else "more than one"
            plan.action = "rejected"
            plan.errors.append(
                RowError(
                    plan.row,
                    column,
                    f"There are {len(candidates)} {lookups.course_label(first.course_id)} "
                    f"module {first.module} sessions on {short_date(first.on)} and "
                    f"{reading.person.name} is enrolled on {where}; record their attendance "
                    "on the session's page.",
                )
            )
            return
        session = enrolled[0]
    if not register_open(session.on, today):
        plan.action = "rejected"
        plan.errors.append(
            RowError(
                plan.row,
                column,
                f"The session on {short_date(session.on)} has not happened yet; import its "
                "register on or after the day.",
            )
        )
        return
    reading.session = session


def _reject_repeats(readings: list[_Reading], lookups: Lookups) -> None:
    """Two rows for one person at one session: neither can be trusted."""
    claims: dict[tuple[int, int], list[_Reading]] = defaultdict(list)
    for reading in readings:
        if reading.session is not None and reading.person is not None:
            claims[(reading.session.id, reading.person.id)].append(reading)
    for (session_id, _staff_id), claimants in claims.items():
        if len(claimants) < 2:
            continue
        numbers = listed(str(reading.plan.row) for reading in claimants)
        for reading in claimants:
            reading.plan.action = "rejected"
            reading.plan.errors.append(
                RowError(
                    reading.plan.row,
                    reading.person_column,
                    f"{reading.person.name} is on rows {numbers} for "
                    f"{lookups.session_label(session_id)}; each person may appear once per "
                    "session.",
                )
            )


def _compare(reading: _Reading, places: Mapping[tuple[int, int], Place], lookups: Lookups) -> None:
    plan, session, person = reading.plan, reading.session, reading.person
    status = reading.status.value
    plan.values = {"session_id": session.id, "staff_id": person.id, "status": status}
    plan.label = f"{person.name} · {lookups.session_label(session.id)}"
    place = places.get((session.id, person.id))
    if place is None:  # not enrolled: they walked in
        plan.action = "created"
        plan.values["walk_in"] = True
        plan.label += " · walk-in"
        return
    plan.target_id = place.id
    if place.status is None:
        plan.action = "created"
    elif place.status == status:
        plan.action = "unchanged"
    else:
        plan.action = "updated"
        plan.changes = {"status": (place.status, status)}
