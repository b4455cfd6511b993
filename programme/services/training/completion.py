"""Who has completed what: a team's completion matrix, and the share of relevant staff trained
per course for each team of a locality and each locality of a programme.

The people and their attendance are read through `services/facts.py`, the same loaders the
go-live gate reads, so a page and the gate count training alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.module_progress import Booking, ModuleSpot, module_spots
from programme.domain.recruitment import Share
from programme.domain.training import (
    Attended,
    Completion,
    CourseCost,
    StaffFacts,
    completions,
    trained_share,
)
from programme.extensions import db
from programme.models import Course, Locality, Programme, StaffMember, Team
from programme.services import facts, teams_served
from programme.services.training import catalogue, costs, module_progress


@dataclass
class CourseProgress:
    """One course across a group of people: each person's completion, and the share trained."""

    course: Course
    done: dict[int, Completion]
    share: Share


def _progress(
    courses: Sequence[Course],
    staff: list[StaffFacts],
    attended: Mapping[int, list[Attended]],
    as_of: date,
) -> list[CourseProgress]:
    result = []
    for course in courses:
        done = completions(attended.get(course.id, []), catalogue.course_rule(course), as_of)
        roles = frozenset(role.id for role in course.roles)
        result.append(CourseProgress(course, done, trained_share(staff, done, roles, as_of)))
    return result


@dataclass
class MatrixRow:
    staff: StaffMember
    cells: list[Completion | None]  # per course; None where the course is not for their role
    relevant: bool  # counted today (in post)
    # Per course, the person's modules (attended, booked with the day, still needed); None
    # where the course is not for their role.
    spots: list[list[ModuleSpot] | None] = field(default_factory=list)


@dataclass
class TeamMatrix:
    team: Team
    courses: list[Course]
    rows: list[MatrixRow]
    shares: list[Share]  # per course


def _members(*criteria) -> list[StaffMember]:
    """The staff a matrix shows, by name, with their roles."""
    return list(
        db.session.scalars(
            select(StaffMember)
            .join(Team, Team.id == StaffMember.team_id)
            .where(*criteria)
            .options(joinedload(StaffMember.role))
            .order_by(StaffMember.name, StaffMember.id)
        )
    )


def team_matrix(team: Team, as_of: date) -> TeamMatrix:
    """Staff × course completion for a team, in a fixed number of queries however many staff."""
    programme = team.locality.programme
    members = _members(StaffMember.team_id == team.id)
    ids = [m.id for m in members]
    attended = facts.attendance_of(programme, ids)
    bookings = facts.bookings_of(programme, ids)
    return _matrix(team, catalogue.list_courses(programme), members, attended, as_of, bookings)


def _by_person(records) -> dict[int, list]:
    by_person: dict[int, list] = defaultdict(list)
    for record in records:
        by_person[record.staff_id].append(record)
    return by_person


def _matrix(
    team: Team,
    courses: list[Course],
    members: list[StaffMember],
    attended: Mapping[int, list[Attended]],
    as_of: date,
    bookings: Mapping[int, list[Booking]] | None = None,
) -> TeamMatrix:
    people = facts.staff_facts(members)
    progress = _progress(courses, people, attended, as_of)
    course_roles = [{role.id for role in course.roles} for course in courses]
    infos = [module_progress.module_infos(course) for course in courses]
    mine = [
        (_by_person(attended.get(c.id, [])), _by_person((bookings or {}).get(c.id, [])))
        for c in courses
    ]
    rows = []
    for member, person in zip(members, people, strict=True):
        cells = [
            p.done.get(member.id, Completion.NOT_STARTED) if member.role_id in roles else None
            for p, roles in zip(progress, course_roles, strict=True)
        ]
        spots = [
            module_spots(
                modules,
                done.get(member.id, []),
                booked.get(member.id, []),
                course.counted,
            )
            if member.role_id in roles
            else None
            for course, modules, roles, (done, booked) in zip(
                courses, infos, course_roles, mine, strict=True
            )
        ]
        rows.append(MatrixRow(member, cells, person.in_post(as_of), spots))
    return TeamMatrix(team, courses, rows, [p.share for p in progress])


@dataclass
class GroupShares:
    """Per course, the share trained of one team, locality or programme."""

    name: str
    shares: list[Share]
    item: object = None  # the team or locality


@dataclass
class TrainingSummary:
    courses: list[Course]
    groups: list[GroupShares]  # teams of a locality, or localities of a programme
    total: list[Share]  # per course, across the whole
    costs: list[CourseCost] = field(default_factory=list)
    matrices: list[TeamMatrix] = field(default_factory=list)  # a locality's, per team


def _grouped(
    courses: list[Course],
    staff_by_group: Mapping[int, list[StaffFacts]],
    attended: Mapping[int, list[Attended]],
    as_of: date,
    groups: Sequence[Team] | Sequence[Locality],
) -> tuple[list[GroupShares], list[Share]]:
    """Shares per course for each group (team or locality) and for all of them together."""
    # Once each, though a team serving several localities counts in each of them.
    every = list(
        {person.id: person for people in staff_by_group.values() for person in people}.values()
    )
    result = [
        GroupShares(
            group.name,
            [
                p.share
                for p in _progress(courses, staff_by_group.get(group.id, []), attended, as_of)
            ],
            group,
        )
        for group in groups
    ]
    return result, [p.share for p in _progress(courses, every, attended, as_of)]


def locality_training(locality: Locality, as_of: date) -> TrainingSummary:
    """The share of relevant staff trained, per course, for each team and the locality (teams
    serving it from other localities included, as the gate counts them), with each team's
    completion matrix: a fixed number of queries however many teams and staff."""
    programme = locality.programme
    courses = catalogue.list_courses(programme)
    serving = teams_served.teams_serving([locality.id])
    # The programme's teams only: a team serving the locality is one of them (issue 18).
    ours = teams_served.in_programmes([locality.programme_id])
    # Its own teams first, then those of other localities that serve it.
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.id.in_(serving), ours)
            .order_by(Team.locality_id != locality.id, Team.name)
        )
    )
    members = _members(Team.id.in_(serving), ours)
    ids = [m.id for m in members]
    attended = facts.attendance_of(programme, ids)
    bookings = facts.bookings_of(programme, ids)
    by_team: dict[int, list[StaffMember]] = defaultdict(list)
    for member in members:
        by_team[member.team_id].append(member)
    staff_by_team = {team_id: facts.staff_facts(people) for team_id, people in by_team.items()}
    groups, total = _grouped(courses, staff_by_team, attended, as_of, teams)
    matrices = [
        _matrix(team, courses, by_team[team.id], attended, as_of, bookings) for team in teams
    ]
    return TrainingSummary(courses, groups, total, matrices=matrices)


def programme_training(programme: Programme, as_of: date, today: date) -> TrainingSummary:
    """Per course, each locality's share trained and the programme's, with what it cost."""
    courses = catalogue.list_courses(programme)
    localities = list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
        )
    )
    staff = facts.staff_of(locality.id for locality in localities)
    attended = facts.attendance_of(programme)
    groups, total = _grouped(courses, staff, attended, as_of, localities)
    return TrainingSummary(
        courses, groups, total, costs.course_costs(programme, courses, total, today)
    )
