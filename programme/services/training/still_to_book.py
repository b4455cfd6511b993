"""Who still needs which module before a locality goes live, whether the sessions scheduled
have room for them, and which sessions of a module still have seats (the matrix's "Book" page).

The deadline is the locality's go-live day while it is still to come and the locality is not
live; otherwise (live already, or the day has passed) it is today and every session from today
on counts as available. A booking counts only when its session falls on or before the
deadline: someone booked after go-live still needs a place before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from programme.domain.module_progress import ModuleSpot, SeatsOutlook, module_spots, still_needs
from programme.extensions import db
from programme.models import (
    Attendance,
    Course,
    CourseModule,
    Locality,
    Programme,
    StaffMember,
    Team,
    TrainingSession,
)
from programme.services import facts, teams_served
from programme.services.errors import NotFound
from programme.services.training import catalogue, module_progress

MAX_ID = 2**63 - 1  # the largest id a database holds; a larger one finds nobody


@dataclass
class TeamNeeds:
    team: Team
    people: list[StaffMember]


@dataclass
class ModuleNeeds:
    module: CourseModule
    teams: list[TeamNeeds]
    outlook: SeatsOutlook
    sessions: int  # sessions of it with places counted as available


@dataclass
class CourseNeeds:
    course: Course
    modules: list[ModuleNeeds]


@dataclass
class StillToBook:
    locality: Locality
    deadline: date  # who is in post, and what is booked, by this day
    before_go_live: bool  # False: live already or the go-live day has passed
    courses: list[CourseNeeds] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(m.outlook.needed for c in self.courses for m in c.modules)


def deadline_of(locality: Locality, today: date) -> tuple[date, bool]:
    """The day people must be trained by, and whether it is the go-live day still to come."""
    if locality.state != "live" and locality.go_live > today:
        return locality.go_live, True
    return today, False


def free_places(
    programme: Programme, today: date, until: date | None
) -> dict[int, tuple[int, int]]:
    """Per module id, (free places, sessions) on the programme's sessions that are not cancelled
    from `today` to `until` (None: no end). An over-full session gives no places and takes none
    away. One query."""
    enrolled = (
        select(Attendance.session_id, func.count().label("taken"))
        .group_by(Attendance.session_id)
        .subquery()
    )
    query = (
        select(TrainingSession.module_id, TrainingSession.capacity, enrolled.c.taken)
        .outerjoin(enrolled, enrolled.c.session_id == TrainingSession.id)
        .where(
            TrainingSession.programme_id == programme.id,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.on >= today,
        )
    )
    if until is not None:
        query = query.where(TrainingSession.on <= until)
    places: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for module_id, capacity, taken in db.session.execute(query):
        places[module_id][0] += max(capacity - (taken or 0), 0)
        places[module_id][1] += 1
    return {module_id: (free, count) for module_id, (free, count) in places.items()}


def still_to_book(locality: Locality, today: date) -> StillToBook:
    """Per course and required module, the people of the teams serving the locality who still
    need it by the deadline, by team, and the places scheduled for them. Seven queries however
    many people."""
    programme = locality.programme
    deadline, before_go_live = deadline_of(locality, today)
    courses = catalogue.list_courses(programme)  # three queries
    serving = teams_served.teams_serving([locality.id])
    members = list(
        db.session.scalars(
            select(StaffMember)
            .join(Team, Team.id == StaffMember.team_id)
            .where(Team.id.in_(serving))
            .options(joinedload(StaffMember.team).joinedload(Team.locality))
            .order_by(Team.locality_id != locality.id, Team.name, StaffMember.name, StaffMember.id)
        )
    )
    ids = [m.id for m in members]
    attended = facts.attendance_of(programme, ids)
    bookings = facts.bookings_of(programme, ids)
    places = free_places(programme, today, deadline if before_go_live else None)
    people = facts.staff_facts(members)
    result = StillToBook(locality, deadline, before_go_live)
    for course in courses:
        roles = frozenset(role.id for role in course.roles)
        done_by: dict[int, list] = defaultdict(list)
        for record in attended.get(course.id, []):
            done_by[record.staff_id].append(record)
        booked_by: dict[int, list] = defaultdict(list)
        for booking in bookings.get(course.id, []):
            if booking.on <= deadline or not before_go_live:
                booked_by[booking.staff_id].append(booking)
        modules = []
        for module in course.modules:
            if not module.required:
                continue
            by_team: dict[int, TeamNeeds] = {}
            needed = 0
            for member, fact in zip(members, people, strict=True):
                if still_needs(
                    fact,
                    roles,
                    module.number,
                    done_by.get(member.id, []),
                    booked_by.get(member.id, []),
                    course.counted,
                    deadline,
                ):
                    by_team.setdefault(member.team_id, TeamNeeds(member.team, [])).people.append(
                        member
                    )
                    needed += 1
            free, sessions = places.get(module.id, (0, 0))
            modules.append(
                ModuleNeeds(
                    module,
                    list(by_team.values()),
                    SeatsOutlook(module.number, needed, free),
                    sessions,
                )
            )
        result.courses.append(CourseNeeds(course, modules))
    return result


@dataclass
class OpenSession:
    session: TrainingSession
    places_left: int


def get_module(programme: Programme, course_key: str, number: int) -> tuple[Course, CourseModule]:
    course = catalogue.get_course(programme, course_key)
    for module in course.modules:
        if module.number == number:
            return course, module
    raise NotFound(f"{course.name} has no module {number}.")


def sessions_with_places(module: CourseModule, today: date) -> list[OpenSession]:
    """The sessions of a module from today on, not cancelled, with places left, soonest first.
    One query (two with their trainers)."""
    enrolled = (
        select(Attendance.session_id, func.count().label("taken"))
        .group_by(Attendance.session_id)
        .subquery()
    )
    rows = db.session.execute(
        select(TrainingSession, func.coalesce(enrolled.c.taken, 0))
        .outerjoin(enrolled, enrolled.c.session_id == TrainingSession.id)
        .where(
            TrainingSession.module_id == module.id,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.on >= today,
        )
        .options(joinedload(TrainingSession.trainer))
        .order_by(TrainingSession.on, TrainingSession.starts_at, TrainingSession.id)
    )
    return [
        OpenSession(session, session.capacity - taken)
        for session, taken in rows
        if session.capacity > taken
    ]


def get_person(programme: Programme, staff_id: int | None) -> StaffMember | None:
    if staff_id is None:
        return None
    person = db.session.get(StaffMember, staff_id) if staff_id <= MAX_ID else None
    if person is None or person.programme_id != programme.id:
        raise NotFound(f"There is no staff member {staff_id} in {programme.name}.")
    return person


def person_spot(person: StaffMember, course: Course, number: int) -> ModuleSpot:
    """Where one person stands on one module (two queries), for the Book page to say when
    they have attended it or are booked already."""
    programme = db.session.get(Programme, person.programme_id)
    attended = facts.attendance_of(programme, [person.id]).get(course.id, [])
    bookings = facts.bookings_of(programme, [person.id]).get(course.id, [])
    infos = [info for info in module_progress.module_infos(course) if info.number == number]
    return module_spots(infos, attended, bookings, course.counted)[0]
