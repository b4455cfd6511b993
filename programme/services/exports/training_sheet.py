"""The workbook's Training sheet: the completion matrix of every person against every course
(complete, in progress, not started, or not required for their role), grouped by locality and
team with a row of each team's share trained, and the modules each person still needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import groupby
from typing import NamedTuple

from sqlalchemy import select

from programme.domain.export_tables import Column, Emphasis, Table
from programme.domain.training import (
    Attended,
    Completion,
    StaffFacts,
    completion_of,
    modules_done,
    trained_share,
)
from programme.extensions import db
from programme.models import Course, Locality, Programme, Role, StaffMember, Team
from programme.services import facts
from programme.services.training import catalogue

NOT_REQUIRED = "Not required"


class _CourseState:
    """A course as the sheet shows it: whose role it is required of, each person's completion,
    and each person's cell and modules still needed, worked out once per person (and the
    words for the modules still needed once per set of modules done)."""

    def __init__(self, course: Course, attended: Sequence[Attended], as_of: date) -> None:
        rule = catalogue.course_rule(course)
        self.course = course
        self.roles = frozenset(role.id for role in course.roles)
        modules = modules_done(attended, rule, as_of)
        self.done = {staff_id: completion_of(found, rule) for staff_id, found in modules.items()}
        required, needed = rule.required_modules, {}
        for found in modules.values():
            key = frozenset(found)
            if key not in needed:
                needed[key] = self._needed(sorted(required - key))
        self.cells = {
            staff_id: (_LABELS[self.done[staff_id]], needed[frozenset(found)])
            for staff_id, found in modules.items()
        }
        self.nobody = (_LABELS[Completion.NOT_STARTED], self._needed(sorted(required)))

    def _needed(self, missing: list[int]) -> str | None:
        """ "Motivational Interviewing: 2, 3": the course and its module numbers still needed
        (nothing once complete: every required module done)."""
        if not missing:
            return None
        return f"{self.course.name}: {', '.join(str(n) for n in missing)}"


_LABELS = {completion: completion.label for completion in Completion}


def training_sheet(
    programme: Programme,
    localities: Sequence[Locality],
    as_of: date,
    attended: Mapping[int, Sequence[Attended]] | None = None,
) -> Table:
    """Five queries however many people: courses (three), staff, attendance; four when given
    the programme's recorded attendance by course id (`facts.places_of(...).attended`)."""
    courses = catalogue.list_courses(programme)
    order = {locality.id: index for index, locality in enumerate(localities)}
    last = len(order)
    members = sorted(
        _members(programme),
        key=lambda m: (order.get(m.locality_id, last), m.team, m.team_id),
    )
    if attended is None:
        attended = facts.attendance_of(programme)
    states = [_CourseState(course, attended.get(course.id, ()), as_of) for course in courses]
    columns = [
        Column("Locality"),
        Column("Team"),
        Column("Person"),
        Column("Role"),
        *(Column(course.name, width=14) for course in courses),
        Column("Modules still needed", "wrap"),
    ]
    names = {locality.id: locality.name for locality in localities}
    rows: list = []
    for _team_id, group in groupby(members, key=lambda m: m.team_id):
        people = list(group)
        rows += [_row(names, person, states) for person in people]
        rows.append(_team_share(names, people, states, as_of))
    return Table(columns, rows, "This programme has no staff yet")


class _Person(NamedTuple):
    id: int
    name: str
    role_id: int
    role: str
    team_id: int
    team: str
    locality_id: int
    start_date: date | None
    leaving_date: date | None


def _members(programme: Programme) -> list[_Person]:
    """Every person of the programme by name, as plain values (no records: a large programme
    has tens of thousands). One query."""
    return [
        _Person(*row)
        for row in db.session.execute(
            select(
                StaffMember.id,
                StaffMember.name,
                StaffMember.role_id,
                Role.name,
                Team.id,
                Team.name,
                Team.locality_id,
                StaffMember.start_date,
                StaffMember.leaving_date,
            )
            .join(Team, Team.id == StaffMember.team_id)
            .join(Role, Role.id == StaffMember.role_id)
            .where(StaffMember.programme_id == programme.id)
            .order_by(StaffMember.name, StaffMember.id)
        )
    ]


def _row(names: Mapping[int, str], person: _Person, states: Sequence[_CourseState]) -> list:
    words, needed = [], []
    for state in states:
        if person.role_id not in state.roles:
            words.append(NOT_REQUIRED)
            continue
        word, missing = state.cells.get(person.id, state.nobody)
        words.append(word)
        if missing:
            needed.append(missing)
    return [
        names.get(person.locality_id),
        person.team,
        person.name,
        person.role,
        *words,
        "; ".join(needed) or None,
    ]


def _team_share(
    names: Mapping[int, str],
    people: Sequence[_Person],
    states: Sequence[_CourseState],
    as_of: date,
) -> Emphasis:
    """The team's share of relevant staff (in post, in the course's roles) who completed each
    course, as the training pages and the gate count it."""
    known = [StaffFacts(p.id, p.role_id, p.start_date, p.leaving_date) for p in people]
    shares = []
    for state in states:
        share = trained_share(known, state.done, state.roles, as_of)
        shares.append(share.numerator / share.denominator if share.denominator else None)
    first = people[0]
    values = [names.get(first.locality_id), first.team, "% trained", None, *shares, None]
    return Emphasis(values, [None] * 4 + ["percent"] * len(states))
