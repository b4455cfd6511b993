"""Training: courses, staff, sessions, registers, and who has completed what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from programme.clock import utc_now
from programme.domain.formatting import long_date
from programme.domain.recruitment import Share, is_email
from programme.domain.training import (
    ATTENDANCE_STATUSES,
    Attended,
    Completion,
    CourseCost,
    CourseRule,
    CourseSpec,
    SessionCost,
    StaffFacts,
    completions,
    course_cost,
    is_relevant,
    load_courses,
    trained_share,
)
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
    User,
)
from programme.seed_files import COURSES_FILE
from programme.services import audit, recruitment
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional

# --- Courses ------------------------------------------------------------------------------------


@cache
def default_courses() -> tuple[CourseSpec, ...]:
    return load_courses(COURSES_FILE)


def install_courses(programme: Programme) -> None:
    """Give a new programme the default courses; its role taxonomy must be installed first."""
    roles = {role.key: role for role in programme.roles}
    for position, spec in enumerate(default_courses()):
        course = Course(
            programme_id=programme.id,
            key=spec.key,
            name=spec.name,
            criterion=spec.criterion,
            cost_per_cohort_pence=spec.cost_per_cohort_pence,
            capacity=spec.capacity,
            counted=list(spec.counted),
            position=position,
            modules=[
                CourseModule(number=m.number, title=m.title, required=m.required)
                for m in spec.modules
            ],
            roles=[roles[key] for key in spec.roles if key in roles],
        )
        db.session.add(course)


def list_courses(programme: Programme) -> list[Course]:
    return list(
        db.session.scalars(
            select(Course)
            .where(Course.programme_id == programme.id)
            .options(selectinload(Course.modules), selectinload(Course.roles))
            .order_by(Course.position, Course.id)
        )
    )


def get_course(programme: Programme, key: str) -> Course:
    course = db.session.scalar(
        select(Course).where(Course.programme_id == programme.id, Course.key == key)
    )
    if course is None:
        known = ", ".join(c.key for c in list_courses(programme)) or "none"
        raise NotFound(f"{programme.name} has no course {key!r} (known: {known}).", "course")
    return course


def course_rule(course: Course) -> CourseRule:
    required = frozenset(m.number for m in course.modules if m.required)
    return CourseRule(
        required or frozenset(m.number for m in course.modules), frozenset(course.counted)
    )


def course_document(course: Course) -> dict:
    """A course as `courses list --json` prints it (CLI.md)."""
    return {
        "key": course.key,
        "name": course.name,
        "modules": [
            {"number": m.number, "title": m.title, "required": m.required} for m in course.modules
        ],
        "criterion": course.criterion,
    }


# --- Staff --------------------------------------------------------------------------------------


def get_staff(programme: Programme, staff_id: int) -> StaffMember:
    return get_within(
        StaffMember,
        staff_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no staff member {staff_id}.",
    )


def find_staff(programme: Programme, email: str) -> StaffMember | None:
    return db.session.scalar(
        select(StaffMember).where(
            StaffMember.programme_id == programme.id,
            StaffMember.email == email.strip().lower(),
        )
    )


@transactional
def create_staff(
    team: Team,
    actor: User | None,
    *,
    name: str,
    email: str,
    role_id: int,
    start_date: date | None = None,
    leaving_date: date | None = None,
    post_id: int | None = None,
) -> StaffMember:
    programme = team.locality.programme
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ServiceError("Enter the person's name.", "name")
    if not is_email(email):
        raise ServiceError("Enter the person's e-mail address, like name@example.org.", "email")
    if leaving_date and start_date and leaving_date < start_date:
        raise ServiceError("The leaving date must be on or after the start date.", "leaving_date")
    recruitment.get_role(programme, role_id)  # a role of this programme, or NotFound
    if find_staff(programme, email) is not None:
        raise Conflict(f"{email} is already in {programme.name}.", "email")
    staff = StaffMember(
        programme_id=programme.id,
        team=team,
        role_id=role_id,
        post_id=post_id,
        name=name,
        email=email,
        start_date=start_date,
        leaving_date=leaving_date,
    )
    db.session.add(staff)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "staff",
        staff.id,
        f"Added {name} to {team.name}",
        programme_id=programme.id,
        locality_id=team.locality_id,
        after={"name": name, "email": email, "team": team.name},
    )
    return staff


# --- Sessions -----------------------------------------------------------------------------------


def get_session(programme: Programme, session_id: int) -> TrainingSession:
    return get_within(
        TrainingSession,
        session_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no training session {session_id}.",
    )


@transactional
def create_session(
    course: Course,
    module_number: int,
    on: date,
    actor: User | None,
    *,
    trainer: User | None = None,
    capacity: int | None = None,
    venue: str = "",
    starts_at: time | None = None,
    cost_pence: int | None = None,
) -> TrainingSession:
    """Schedule a module of a course. Its cost defaults to the course's cost per cohort shared
    across its modules."""
    module = next((m for m in course.modules if m.number == module_number), None)
    if module is None:
        numbers = ", ".join(str(m.number) for m in course.modules)
        raise ServiceError(
            f"{course.name} has modules {numbers}; there is no module {module_number}.", "module"
        )
    capacity = course.capacity if capacity is None else capacity
    if not 1 <= capacity <= 500:
        raise ServiceError("Capacity must be a whole number from 1 to 500.", "capacity")
    if trainer is not None and not trainer.active:
        raise ServiceError(f"{trainer.name} is deactivated and cannot run a session.", "trainer")
    if cost_pence is None:
        cost_pence = course.cost_per_cohort_pence // max(len(course.modules), 1)
    session = TrainingSession(
        programme_id=course.programme_id,
        course=course,
        module=module,
        on=on,
        starts_at=starts_at,
        venue=venue.strip()[:200],
        trainer=trainer,
        capacity=capacity,
        cost_pence=cost_pence,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "training_session",
        session.id,
        f"Scheduled {course.name}, module {module.number}, on {long_date(on)}",
        programme_id=course.programme_id,
        after={"course": course.key, "module": module.number, "on": on, "capacity": capacity},
    )
    return session


@dataclass
class SessionSummary:
    session: TrainingSession
    enrolled: int
    recorded: int

    @property
    def over_capacity(self) -> bool:
        return self.enrolled > self.session.capacity


@dataclass
class Schedule:
    upcoming: list[SessionSummary]
    past: list[SessionSummary]

    @property
    def missing_registers(self) -> list[SessionSummary]:
        """Past sessions whose register was never saved."""
        return [s for s in self.past if s.session.register_saved_at is None]


def schedule(programme: Programme, today: date) -> Schedule:
    """Every session of the programme, upcoming (soonest first) and past (latest first)."""
    counts = {
        row.session_id: row
        for row in db.session.execute(
            select(
                Attendance.session_id,
                func.count(Attendance.id).label("enrolled"),
                func.count(Attendance.status).label("recorded"),
            )
            .join(TrainingSession)
            .where(TrainingSession.programme_id == programme.id)
            .group_by(Attendance.session_id)
        )
    }
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.programme_id == programme.id)
        .options(
            joinedload(TrainingSession.course),
            joinedload(TrainingSession.module),
            joinedload(TrainingSession.trainer),
        )
        .order_by(TrainingSession.on, TrainingSession.starts_at, TrainingSession.id)
    )
    upcoming, past = [], []
    for session in sessions:
        row = counts.get(session.id)
        summary = SessionSummary(session, row.enrolled if row else 0, row.recorded if row else 0)
        (upcoming if session.on >= today else past).append(summary)
    past.reverse()
    return Schedule(upcoming, past)


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


@dataclass
class Enrolment:
    added: list[StaffMember] = field(default_factory=list)
    already: list[StaffMember] = field(default_factory=list)
    enrolled: int = 0
    capacity: int = 0

    @property
    def over_capacity(self) -> bool:
        return self.enrolled > self.capacity


@transactional
def enrol(session: TrainingSession, staff_ids: list[int], actor: User | None) -> Enrolment:
    """Give people places at a session. Enrolling someone twice changes nothing; going past
    the session's capacity is allowed but reported, for the page to warn about."""
    programme_id = session.programme_id
    present = {place.staff_id for place in session.places}
    result = Enrolment(capacity=session.capacity)
    for staff_id in dict.fromkeys(staff_ids):
        staff = db.session.get(StaffMember, staff_id)
        if staff is None or staff.programme_id != programme_id:
            raise NotFound(f"There is no staff member {staff_id} in this programme.", "staff")
        if staff_id in present:
            result.already.append(staff)
            continue
        session.places.append(Attendance(staff=staff))
        present.add(staff_id)
        result.added.append(staff)
    result.enrolled = len(present)
    if result.added:
        db.session.flush()  # the new places get their staff_id, which save_register keys on
        audit.record(
            actor,
            "enrol",
            "training_session",
            session.id,
            f"Enrolled {len(result.added)} on {session.course.name}, module "
            f"{session.module.number}, {long_date(session.on)}",
            programme_id=programme_id,
            after={"enrolled": [s.email for s in result.added]},
        )
    return result


def enrolment_candidates(session: TrainingSession) -> list[StaffMember]:
    """The programme's staff in post on the session's day and not yet enrolled on it, by team
    and name: whom the enrol form and the register's walk-ins offer."""
    enrolled = select(Attendance.staff_id).where(Attendance.session_id == session.id)
    members = db.session.scalars(
        select(StaffMember)
        .join(Team, Team.id == StaffMember.team_id)
        .where(StaffMember.programme_id == session.programme_id, StaffMember.id.not_in(enrolled))
        .options(
            joinedload(StaffMember.team).joinedload(Team.locality), joinedload(StaffMember.role)
        )
        .order_by(Team.name, StaffMember.name, StaffMember.id)
    )
    return [member for member, fact in _with_facts(members) if fact.in_post(session.on)]


@transactional
def enrol_team(session: TrainingSession, team_id: int, actor: User | None) -> Enrolment:
    """Enrol the team's staff whom the session's course is for and who are in post that day."""
    team = db.session.get(Team, team_id)
    if team is None or team.locality.programme_id != session.programme_id:
        raise NotFound(f"There is no team {team_id} in this programme.", "team")
    roles = frozenset(role.id for role in session.course.roles)
    members = db.session.scalars(select(StaffMember).where(StaffMember.team_id == team.id))
    relevant = [m.id for m, fact in _with_facts(members) if is_relevant(fact, roles, session.on)]
    return enrol(session, relevant, actor)


def _with_facts(members) -> list[tuple[StaffMember, StaffFacts]]:
    members = list(members)
    return list(zip(members, _staff_facts(members), strict=True))


@transactional
def save_register(
    session: TrainingSession,
    marks: dict[int, str],
    actor: User | None,
    *,
    today: date,
    walk_ins: list[int] | None = None,
) -> int:
    """Record attendance for the people enrolled (and walk-ins), all at once.

    `marks` maps a staff id to present, late, left_early or absent. A mark equal to what is
    recorded changes nothing, so saving the same register twice writes nothing the second time.
    Returns how many people's attendance changed.
    """
    if session.on > today:
        raise ServiceError(
            f"This session is on {long_date(session.on)}; record attendance on or after the day.",
            "register",
        )
    marks = dict(marks)  # walk-ins are added to it; the caller's stays as it was
    valid = {status.value for status in ATTENDANCE_STATUSES}
    bad = sorted({status for status in marks.values() if status not in valid})
    if bad:
        raise ServiceError(f"Unknown attendance {', '.join(bad)}.", "register")
    arrived = {staff.id for staff in enrol(session, walk_ins, actor).added} if walk_ins else set()
    db.session.flush()  # every place has its staff id
    places = {place.staff_id: place for place in session.places}
    for staff_id in arrived:
        places[staff_id].walk_in = True
        marks.setdefault(staff_id, "present")
    unknown = sorted(set(marks) - set(places))
    if unknown:
        raise ServiceError("Someone on the register is not enrolled; reload the page.", "register")
    changes = {}
    for staff_id, status in marks.items():
        place = places[staff_id]
        if place.status != status:
            changes[place.staff.email] = (place.status, status)
            place.status, place.recorded_at = status, utc_now()
            place.recorded_by_id = actor.id if actor else None  # the model has no relationship
    if changes or session.register_saved_at is None:  # an empty register is a register too
        session.register_saved_at = utc_now()
    if changes:
        audit.record(
            actor,
            "register",
            "training_session",
            session.id,
            f"Recorded attendance for {len(changes)} on {session.course.name}, module "
            f"{session.module.number}, {long_date(session.on)}",
            programme_id=session.programme_id,
            before={email: old for email, (old, _new) in changes.items()},
            after={email: new for email, (_old, new) in changes.items()},
        )
    return len(changes)


# --- Completion and shares ----------------------------------------------------------------------


def _staff_facts(members) -> list[StaffFacts]:
    return [StaffFacts(m.id, m.role_id, m.start_date, m.leaving_date) for m in members]


def places(programme: Programme):
    """Every place at the programme's sessions as (course id, staff id, module number, status,
    day); status is None for an enrolment not yet marked."""
    return (
        select(
            TrainingSession.course_id,
            Attendance.staff_id,
            CourseModule.number,
            Attendance.status,
            TrainingSession.on,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .where(TrainingSession.programme_id == programme.id)
    )


def _attended(programme: Programme, staff_ids=None) -> dict[int, list[Attended]]:
    """Every recorded attendance in the programme (or of these people), by course id."""
    query = places(programme).where(Attendance.status.is_not(None))
    if staff_ids is not None:
        query = query.where(Attendance.staff_id.in_(staff_ids))
    by_course: dict[int, list[Attended]] = defaultdict(list)
    for course_id, staff_id, module, status, on in db.session.execute(query):
        by_course[course_id].append(Attended(staff_id, module, status, on))
    return by_course


@dataclass
class CourseProgress:
    """One course across a group of people: each person's completion, and the share trained."""

    course: Course
    done: dict[int, Completion]
    share: Share


def _progress(courses, staff: list[StaffFacts], attended, as_of: date) -> list[CourseProgress]:
    result = []
    for course in courses:
        done = completions(attended.get(course.id, []), course_rule(course), as_of)
        roles = frozenset(role.id for role in course.roles)
        result.append(CourseProgress(course, done, trained_share(staff, done, roles, as_of)))
    return result


@dataclass
class MatrixRow:
    staff: StaffMember
    cells: list[Completion | None]  # per course; None where the course is not for their role
    relevant: bool  # counted today (in post)


@dataclass
class TeamMatrix:
    team: Team
    courses: list[Course]
    rows: list[MatrixRow]
    shares: list[Share]  # per course


def _members(*criteria) -> list[StaffMember]:
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
    attended = _attended(programme, [m.id for m in members])
    return _matrix(team, list_courses(programme), members, attended, as_of)


def _matrix(team: Team, courses, members: list[StaffMember], attended, as_of: date) -> TeamMatrix:
    facts = _staff_facts(members)
    progress = _progress(courses, facts, attended, as_of)
    course_roles = [{role.id for role in course.roles} for course in courses]
    rows = []
    for member, fact in zip(members, facts, strict=True):
        cells = [
            p.done.get(member.id, Completion.NOT_STARTED) if member.role_id in roles else None
            for p, roles in zip(progress, course_roles, strict=True)
        ]
        rows.append(MatrixRow(member, cells, fact.in_post(as_of)))
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


def _grouped(courses, members, attended, as_of, groups) -> tuple[list[GroupShares], list[Share]]:
    """Shares per course for each group (team or locality) and for all of them together."""
    facts_by_group: dict[int, list[StaffFacts]] = defaultdict(list)
    for member, group_id in members:
        facts_by_group[group_id].append(
            StaffFacts(member.id, member.role_id, member.start_date, member.leaving_date)
        )
    every = [fact for facts in facts_by_group.values() for fact in facts]
    result = [
        GroupShares(
            group.name,
            [p.share for p in _progress(courses, facts_by_group[group.id], attended, as_of)],
            group,
        )
        for group in groups
    ]
    return result, [p.share for p in _progress(courses, every, attended, as_of)]


def locality_training(locality: Locality, as_of: date) -> TrainingSummary:
    """The share of relevant staff trained, per course, for each team and the locality, with
    each team's completion matrix: a fixed number of queries however many teams and staff."""
    programme = locality.programme
    courses = list_courses(programme)
    teams = list(
        db.session.scalars(select(Team).where(Team.locality_id == locality.id).order_by(Team.name))
    )
    members = _members(Team.locality_id == locality.id)
    attended = _attended(programme, [m.id for m in members])
    groups, total = _grouped(courses, [(m, m.team_id) for m in members], attended, as_of, teams)
    by_team: dict[int, list[StaffMember]] = defaultdict(list)
    for member in members:
        by_team[member.team_id].append(member)
    matrices = [_matrix(team, courses, by_team[team.id], attended, as_of) for team in teams]
    return TrainingSummary(courses, groups, total, matrices=matrices)


def programme_training(programme: Programme, as_of: date, today: date) -> TrainingSummary:
    """Per course, each locality's share trained and the programme's, with what it cost."""
    courses = list_courses(programme)
    localities = list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
        )
    )
    members = list(
        db.session.execute(
            select(StaffMember, Team.locality_id)
            .join(Team, Team.id == StaffMember.team_id)
            .where(StaffMember.programme_id == programme.id)
        ).all()
    )
    attended = _attended(programme)
    groups, total = _grouped(courses, members, attended, as_of, localities)
    return TrainingSummary(courses, groups, total, _costs(programme, courses, total, today))


def _costs(programme: Programme, courses, total: list[Share], today: date) -> list[CourseCost]:
    sessions: dict[int, list[SessionCost]] = defaultdict(list)
    for course_id, number, on, cost in db.session.execute(
        select(
            TrainingSession.course_id,
            CourseModule.number,
            TrainingSession.on,
            TrainingSession.cost_pence,
        )
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .where(TrainingSession.programme_id == programme.id)
    ):
        sessions[course_id].append(SessionCost(number, on, cost))
    return [
        course_cost(
            sessions[course.id],
            min((m.number for m in course.modules), default=1),
            share.numerator,
            today,
        )
        for course, share in zip(courses, total, strict=True)
    ]
