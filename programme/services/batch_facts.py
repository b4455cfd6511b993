"""The go-live gate's facts for many programmes at once, for the daily snapshot of a national
instance (issue 18: 150 programmes, 900 localities).

`facts.load` answers for one programme's localities; run once per programme, its queries grow
with the number of programmes, and reading them through the ORM cost more than the SQL. Here
each kind of fact is one query for a whole batch of programmes, filtered by those programmes
first, and read as plain rows from the session's connection (no ORM objects). What it gives
each locality is what `facts.load` gives it, so `domain.readiness.evaluate` decides alike;
a test compares the two. Bookings are left out unless asked for: a reading of the day does not
look at them (only projections do).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    SignOff,
)
from programme.domain.recruitment import DEFAULT_RECRUITED, PostFacts
from programme.domain.training import Attended, CourseRule, StaffFacts
from programme.extensions import db
from programme.models import (
    Attendance,
    CheckSignOff,
    Course,
    CourseModule,
    GateCriterion,
    GateException,
    Locality,
    Milestone,
    Post,
    PostStatusChange,
    Programme,
    Role,
    StaffMember,
    Team,
    TrainingSession,
    User,
    Workstream,
    course_role,
)
from programme.services import teams_served


@dataclass(frozen=True)
class ProgrammeGate:
    """A programme's gate as the domain judges it, and the facts of each of its localities (by
    locality id)."""

    id: int
    criteria: tuple[Criterion, ...]
    localities: dict[int, LocalityFacts]


def gates_of(
    programme_ids: Sequence[int], bookings_from: date | None = None
) -> list[ProgrammeGate]:
    """Each programme's gate and its localities' facts, as `facts.load` gives them (bookings on
    sessions from `bookings_from` on, none without it). Thirteen queries, however many
    programmes; a caller bounds memory by asking for a batch of programmes at a time."""
    db.session.flush()  # the rows are read past the ORM: let them see its pending changes
    ids = list(programme_ids)
    recruited = dict(
        _rows(select(Programme.id, Programme.recruited_statuses).where(Programme.id.in_(ids)))
    )
    localities = list(
        _rows(
            select(Locality.id, Locality.programme_id, Locality.go_live)
            .where(_in(Locality, ids))
            .order_by(Locality.id)
        )
    )
    criteria = _criteria_of(ids)
    locality_ids = [row.id for row in localities]
    programme_of = {row.id: row.programme_id for row in localities}
    posts, staff = _posts_of(ids), _staff_of(ids)
    courses = _courses_of(ids, criteria, programme_of, bookings_from)
    milestones = _milestones_of(locality_ids)
    exceptions, sign_offs = _exceptions_of(locality_ids), _sign_offs_of(locality_ids)
    by_programme: dict[int, dict[int, LocalityFacts]] = {programme_id: {} for programme_id in ids}
    for row in localities:
        by_programme[row.programme_id][row.id] = LocalityFacts(
            go_live=row.go_live,
            posts=tuple(posts[row.id]),
            recruited=tuple(recruited.get(row.programme_id) or DEFAULT_RECRUITED),
            staff=tuple(staff[row.id]),
            courses=courses[row.id],
            milestones=tuple(milestones[row.id]),
            sign_offs=sign_offs[row.id],
            exceptions=exceptions[row.id],
        )
    return [
        ProgrammeGate(programme_id, tuple(criteria[programme_id]), by_programme[programme_id])
        for programme_id in ids
    ]


def _rows(query: Select) -> list:
    # Fetched at once: psycopg's row-at-a-time fetch cost more than the query (0.9 s per 100k
    # rows); a batch of programmes is what bounds the memory.
    return db.session.connection().execute(query).all()


def _in(model, programme_ids: list[int]):
    return model.programme_id.in_(programme_ids)


def _criteria_of(programme_ids: list[int]) -> dict[int, list[Criterion]]:
    """Each programme's criteria in order, as `GateCriterion.definition` makes them."""
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for row in _rows(
        select(
            GateCriterion.programme_id,
            GateCriterion.key,
            GateCriterion.label,
            GateCriterion.kind,
            GateCriterion.threshold,
            GateCriterion.milestone_title,
            GateCriterion.workstream_id,
            GateCriterion.courses,
            Workstream.name.label("workstream_name"),
            User.name.label("signer"),
        )
        .outerjoin(Workstream, Workstream.id == GateCriterion.workstream_id)
        .outerjoin(User, User.id == GateCriterion.signer_id)
        .where(_in(GateCriterion, programme_ids))
        .order_by(GateCriterion.programme_id, GateCriterion.position, GateCriterion.id)
    ):
        criteria[row.programme_id].append(
            Criterion(
                key=row.key,
                label=row.label,
                kind=CriterionKind(row.kind),
                threshold=row.threshold,
                milestone_title=row.milestone_title,
                workstream_id=row.workstream_id,
                workstream_name=row.workstream_name,
                signer=row.signer if row.signer is not None else "nobody (no one is named)",
                courses=tuple(row.courses or ()),
            )
        )
    return criteria


# --- Posts and staff ---------------------------------------------------------------------------


def _posts_of(programme_ids: list[int]) -> dict[int, list[PostFacts]]:
    """As `facts.posts_of`, for every locality of the programmes. Two queries."""
    served = teams_served.served_within(programme_ids)
    teams = teams_served.in_programmes(programme_ids)
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for post_id, changed_on, status in _rows(
        select(PostStatusChange.post_id, PostStatusChange.changed_on, PostStatusChange.status)
        .join(Post, Post.id == PostStatusChange.post_id)
        .where(Post.team_id.in_(select(Team.id).where(teams)))
        .order_by(PostStatusChange.changed_on, PostStatusChange.id)
    ):
        history[post_id].append((changed_on, status))
    posts: dict[int, list[PostFacts]] = defaultdict(list)
    # Unpacked rather than read by name: the fastest way through tens of thousands of rows.
    for post_id, reference, status, start_date, frozen, locality_id, team, role, adult in _rows(
        select(
            Post.id,
            Post.reference,
            Post.status,
            Post.start_date,
            Post.frozen,
            served.c.locality_id,
            Team.name,
            Role.name,
            Role.adult_specialist,
        )
        .join(Team, Team.id == Post.team_id)
        .join(served, served.c.team_id == Team.id)
        .join(Role, Role.id == Post.role_id)
        .where(teams, _in(Role, programme_ids))  # the programmes' teams and roles, not all
        .order_by(Team.name, Post.id)
    ):
        label = f"{role}, {team}" + (f" ({reference})" if reference else "")
        posts[locality_id].append(
            PostFacts(status, adult, frozen, start_date, tuple(history[post_id]), post_id, label)
        )
    return posts


def _staff_of(programme_ids: list[int]) -> dict[int, list[StaffFacts]]:
    """As `facts.staff_of`, for every locality of the programmes. One query."""
    served = teams_served.served_within(programme_ids)
    staff: dict[int, list[StaffFacts]] = defaultdict(list)
    for staff_id, name, role_id, start_date, leaving_date, locality_id, team in _rows(
        select(
            StaffMember.id,
            StaffMember.name,
            StaffMember.role_id,
            StaffMember.start_date,
            StaffMember.leaving_date,
            served.c.locality_id,
            Team.name.label("team"),
        )
        .join(Team, Team.id == StaffMember.team_id)
        .join(served, served.c.team_id == Team.id)
        .where(teams_served.in_programmes(programme_ids))
        .order_by(StaffMember.name, StaffMember.id)
    ):
        staff[locality_id].append(
            StaffFacts(staff_id, role_id, start_date, leaving_date, f"{name}, {team}")
        )
    return staff


# --- Courses and places ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Course:
    id: int
    programme_id: int
    key: str
    name: str
    rule: CourseRule
    roles: frozenset[int]


def _courses_of(
    programme_ids: list[int],
    criteria: dict[int, list[Criterion]],
    programme_of: dict[int, int],
    bookings_from: date | None,
) -> dict[int, dict[str, CourseFacts]]:
    """As `facts.courses_of`, per locality of the programmes: the courses their training
    criteria name, with the attendance (and bookings) of each locality's people. Four
    queries."""
    courses = _named_courses(programme_ids, criteria)
    attended: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    booked: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    served = teams_served.served_within(programme_ids)
    query = (
        select(
            TrainingSession.programme_id,
            TrainingSession.course_id,
            Attendance.staff_id,
            CourseModule.number,
            Attendance.status,
            TrainingSession.on,
            served.c.locality_id,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .join(StaffMember, StaffMember.id == Attendance.staff_id)
        .join(served, served.c.team_id == StaffMember.team_id)
        .where(
            _in(TrainingSession, programme_ids),
            TrainingSession.course_id.in_([course.id for course in courses]),
        )
    )
    if bookings_from is None:
        query = query.where(Attendance.status.is_not(None))
    for programme_id, course_id, staff_id, number, status, on, locality_id in _rows(query):
        if programme_of[locality_id] != programme_id:
            continue  # a session of another programme: `facts.courses_of` does not see it
        if status is not None:
            attended[locality_id, course_id].append(Attended(staff_id, number, status, on))
        elif on >= bookings_from:
            booked[locality_id, course_id].append(Attended(staff_id, number, "present", on))
    by_programme: dict[int, list[_Course]] = defaultdict(list)
    for course in courses:
        by_programme[course.programme_id].append(course)
    return defaultdict(
        dict,
        {
            locality_id: {
                course.key: CourseFacts(
                    course.name,
                    course.rule,
                    course.roles,
                    tuple(attended[locality_id, course.id]),
                    tuple(booked[locality_id, course.id]),
                )
                for course in by_programme[programme_id]
            }
            for locality_id, programme_id in programme_of.items()
        },
    )


def _named_courses(programme_ids: list[int], criteria: dict[int, list[Criterion]]) -> list[_Course]:
    """The programmes' courses their training criteria name, with each one's rule (as
    `catalogue.course_rule` makes it) and roles. Three queries."""
    named = {
        (programme_id, key)
        for programme_id, found in criteria.items()
        for criterion in found
        if criterion.kind is CriterionKind.TRAINED
        for key in criterion.courses
    }
    rows = [
        row
        for row in _rows(
            select(Course.id, Course.programme_id, Course.key, Course.name, Course.counted)
            .where(_in(Course, programme_ids))
            .order_by(Course.position, Course.id)
        )
        if (row.programme_id, row.key) in named
    ]
    ids = [row.id for row in rows]
    modules: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for course_id, number, required in _rows(
        select(CourseModule.course_id, CourseModule.number, CourseModule.required).where(
            CourseModule.course_id.in_(ids)
        )
    ):
        modules[course_id].append((number, required))
    roles: dict[int, set[int]] = defaultdict(set)
    for course_id, role_id in _rows(
        select(course_role.c.course_id, course_role.c.role_id).where(
            course_role.c.course_id.in_(ids)
        )
    ):
        roles[course_id].add(role_id)
    return [
        _Course(
            row.id,
            row.programme_id,
            row.key,
            row.name,
            _rule(modules[row.id], row.counted),
            frozenset(roles[row.id]),
        )
        for row in rows
    ]


def _rule(modules: list[tuple[int, bool]], counted: Iterable[str] | None) -> CourseRule:
    """`catalogue.course_rule`, from a course's plain rows."""
    required = frozenset(number for number, is_required in modules if is_required)
    return CourseRule(
        required or frozenset(number for number, _ in modules), frozenset(counted or ())
    )


# --- Milestones, exceptions and sign-offs ------------------------------------------------------


def _milestones_of(locality_ids: list[int]) -> dict[int, list[MilestoneFacts]]:
    """As `facts.milestones_of`. One query."""
    milestones: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for row in _rows(
        select(
            Milestone.id,
            Milestone.title,
            Milestone.workstream_id,
            Milestone.status,
            Milestone.gate_critical,
            Milestone.completed_on,
            Milestone.due,
            Milestone.locality_id,
        )
        .where(Milestone.locality_id.in_(locality_ids))
        .order_by(Milestone.due, Milestone.id)
    ):
        milestones[row.locality_id].append(MilestoneFacts(*row[:7]))
    return milestones


def _exceptions_of(locality_ids: list[int]) -> dict[int, dict[str, LocalityException]]:
    """As `facts.exceptions_of`. One query."""
    found: dict[int, dict[str, LocalityException]] = defaultdict(dict)
    for locality_id, key, reason, threshold, waived in _rows(
        select(
            GateException.locality_id,
            GateCriterion.key,
            GateException.reason,
            GateException.threshold,
            GateException.waived,
        )
        .join(GateCriterion, GateCriterion.id == GateException.criterion_id)
        .where(GateException.locality_id.in_(locality_ids))
    ):
        found[locality_id][key] = LocalityException(reason, threshold, waived)
    return found


def _sign_offs_of(locality_ids: list[int]) -> dict[int, dict[str, SignOff]]:
    """As `facts.sign_offs_of`. One query."""
    found: dict[int, dict[str, SignOff]] = defaultdict(dict)
    for locality_id, key, by, on in _rows(
        select(
            CheckSignOff.locality_id,
            GateCriterion.key,
            CheckSignOff.signed_by_name,
            CheckSignOff.signed_on,
        )
        .join(GateCriterion, GateCriterion.id == CheckSignOff.criterion_id)
        .where(CheckSignOff.locality_id.in_(locality_ids))
    ):
        found[locality_id][key] = SignOff(by, on)
    return found
