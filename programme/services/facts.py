"""Plain facts about localities, loaded in a fixed number of queries however many localities,
posts, staff or places there are.

Everything that judges or counts a locality's progress reads through this module: the go-live
gate (evaluation, board, go-live decisions, snapshots, projections) and the training pages
(a team's matrix, a locality's and the programme's shares trained). It answers with the plain
values of `programme.domain` (`PostFacts`, `StaffFacts`, `Attended`, `CourseFacts`,
`MilestoneFacts`, `SignOff`, `LocalityException`, `LocalityFacts`), never with records, so what
it returns can be judged by the domain and kept, compared or printed without a session.

`load` gives each locality everything its gate is decided on. The narrower loaders serve a page
that needs only part of it; each takes any number of localities (or people) at once and says how
many queries it runs. The gate's criteria themselves are read by `readiness.gate_criteria`, whose
records the pages show and edit; `load` takes them so that the caller reads them once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from programme.domain.gate_criteria import CriterionKind
from programme.domain.module_progress import Booking
from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    SignOff,
)
from programme.domain.recruitment import PostFacts
from programme.domain.training import Attended, StaffFacts
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
)
from programme.services import teams_served
from programme.services.training import catalogue


def load(
    programme: Programme,
    localities: Sequence[Locality],
    criteria: Sequence[GateCriterion],
    today: date,
    places: Places | None = None,
) -> dict[int, LocalityFacts]:
    """Everything the gate of each locality is decided on, by locality id: its posts with their
    status history, its staff, the attendance and bookings (on sessions from `today` on) at the
    courses the training criteria among `criteria` name, its milestones, and its exceptions and
    sign-offs. Ten queries, however many localities; nine when given the programme's `places`
    (from `places_of`, which a caller that reads them anyway shares)."""
    ids = [locality.id for locality in localities]
    posts, staff, milestones = posts_of(ids), staff_of(ids), milestones_of(ids)
    if places is None:
        courses = courses_of(programme, criteria, ids, today)
    else:
        courses = courses_from(programme, criteria, ids, today, places, staff)
    exceptions, sign_offs = exceptions_of(ids), sign_offs_of(ids)
    return {
        locality.id: LocalityFacts(
            go_live=locality.go_live,
            posts=tuple(posts[locality.id]),
            recruited=programme.recruited,
            staff=tuple(staff[locality.id]),
            courses=courses[locality.id],
            milestones=tuple(milestones[locality.id]),
            sign_offs=sign_offs[locality.id],
            exceptions=exceptions[locality.id],
        )
        for locality in localities
    }


def _rows(query: Select):
    """The rows of a query of plain columns, read through the session's connection rather than
    the ORM: a programme's posts, staff and places run to thousands of rows per page, and the
    ORM's handling of each row cost more than reading it (as in `places_of`)."""
    db.session.flush()
    return db.session.connection().execute(query).all()


# --- Posts and staff ---------------------------------------------------------------------------


def posts_of(locality_ids: Iterable[int]) -> dict[int, list[PostFacts]]:
    """Each locality's posts by team name, each with the history of its status (oldest first)
    and a label naming its role, team and reference; a team serving several localities counts
    in each of them. Two queries."""
    locality_ids = list(locality_ids)
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for post_id, changed_on, status in _rows(
        select(PostStatusChange.post_id, PostStatusChange.changed_on, PostStatusChange.status)
        .join(Post, Post.id == PostStatusChange.post_id)
        .where(Post.team_id.in_(teams_served.teams_serving(locality_ids)))
        .order_by(PostStatusChange.changed_on, PostStatusChange.id)
    ):
        history[post_id].append((changed_on, status))
    posts: dict[int, list[PostFacts]] = defaultdict(list)
    # The localities' programmes' teams and roles only, not the instance's (issue 18).
    programmes = teams_served.programmes_of(locality_ids)
    served = teams_served.served_for_localities(locality_ids)
    # Unpacked, not read by name: a row's attributes cost more than the rest of the loop.
    for post_id, reference, status, start_date, frozen, locality_id, team, role, adult in _rows(
        select(
            Post.id,
            Post.reference,
            Post.status,
            Post.start_date,
            Post.frozen,
            served.c.locality_id,
            Team.name.label("team"),
            Role.name.label("role"),
            Role.adult_specialist,
        )
        .join(Team, Team.id == Post.team_id)
        .join(served, served.c.team_id == Team.id)
        .join(Role, Role.id == Post.role_id)
        .where(served.c.locality_id.in_(locality_ids), Role.programme_id.in_(programmes))
        .order_by(Team.name, Post.id)
    ):
        label = f"{role}, {team}" + (f" ({reference})" if reference else "")
        posts[locality_id].append(
            PostFacts(status, adult, frozen, start_date, tuple(history[post_id]), post_id, label)
        )
    return posts


def staff_of(locality_ids: Iterable[int]) -> dict[int, list[StaffFacts]]:
    """Each locality's staff by name, labelled "name, team" for lists of who is still to
    train; a team serving several localities counts in each of them. One query."""
    locality_ids = list(locality_ids)
    staff: dict[int, list[StaffFacts]] = defaultdict(list)
    served = teams_served.served_for_localities(locality_ids)
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
        .where(served.c.locality_id.in_(locality_ids))
        .order_by(StaffMember.name, StaffMember.id)
    ):
        staff[locality_id].append(
            StaffFacts(staff_id, role_id, start_date, leaving_date, f"{name}, {team}")
        )
    return staff


def staff_facts(members: Iterable[StaffMember]) -> list[StaffFacts]:
    """The facts of staff records a page has already loaded to show (no query)."""
    return [StaffFacts(m.id, m.role_id, m.start_date, m.leaving_date) for m in members]


# --- Training places ---------------------------------------------------------------------------


def _places(programme: Programme, *columns) -> Select:
    """Every place at the programme's sessions as (course id, staff id, module number, status,
    day, *columns); status is None for an enrolment not yet marked. Private: each loader below
    finishes it, so no caller builds on a half-made query."""
    return (
        select(
            TrainingSession.course_id,
            Attendance.staff_id,
            CourseModule.number,
            Attendance.status,
            TrainingSession.on,
            *columns,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .where(TrainingSession.programme_id == programme.id)
    )


def attendance_of(
    programme: Programme, staff_ids: Iterable[int] | None = None
) -> dict[int, list[Attended]]:
    """Every recorded attendance at the programme's sessions (or only these people's), by
    course id. One query."""
    query = _places(programme).where(Attendance.status.is_not(None))
    if staff_ids is not None:
        query = query.where(Attendance.staff_id.in_(list(staff_ids)))
    by_course: dict[int, list[Attended]] = defaultdict(list)
    for course_id, staff_id, module, status, on in db.session.execute(query):
        by_course[course_id].append(Attended(staff_id, module, status, on))
    return by_course


def bookings_of(
    programme: Programme, staff_ids: Iterable[int] | None = None
) -> dict[int, list[Booking]]:
    """Every place not yet marked at the programme's sessions that are not cancelled (or only
    these people's), by course id. One query."""
    query = _places(programme, TrainingSession.id).where(
        Attendance.status.is_(None), TrainingSession.cancelled_at.is_(None)
    )
    if staff_ids is not None:
        query = query.where(Attendance.staff_id.in_(list(staff_ids)))
    by_course: dict[int, list[Booking]] = defaultdict(list)
    for course_id, staff_id, module, _status, on, session_id in db.session.execute(query):
        by_course[course_id].append(Booking(staff_id, module, session_id, on))
    return by_course


@dataclass(frozen=True)
class Places:
    """Every place at a programme's sessions, read once: the recorded attendance by course id
    (as `attendance_of` gives it), and the places not yet marked as (staff id, module number,
    day) by course id."""

    attended: dict[int, list[Attended]]
    unmarked: dict[int, list[tuple[int, int, date]]]


def places_of(programme: Programme) -> Places:
    """Every place at the programme's sessions, for a caller that needs the whole programme's
    attendance more than once (the programme workbook). One query."""
    attended: dict[int, list[Attended]] = defaultdict(list)
    unmarked: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    # Read through the session's connection, not the ORM: a large programme has hundreds of
    # thousands of places, and the ORM's handling of each row cost as much as reading it.
    db.session.flush()
    for course_id, staff_id, module, status, on in db.session.connection().execute(
        _places(programme)
    ):
        if status is None:
            unmarked[course_id].append((staff_id, module, on))
        else:
            attended[course_id].append(Attended(staff_id, module, status, on))
    return Places(attended, unmarked)


def courses_of(
    programme: Programme,
    criteria: Sequence[GateCriterion],
    locality_ids: Iterable[int],
    today: date,
) -> dict[int, dict[str, CourseFacts]]:
    """Per locality and course key, each course a training criterion among `criteria` names,
    with the attendance of the locality's staff and their bookings on sessions from `today` on
    (counted as if attended, for projections). Each locality sees only its own people (with
    those of teams serving it), so the work grows linearly. Four queries."""
    locality_ids = list(locality_ids)
    courses = _named_courses(programme, criteria)
    # (locality id, course id) -> records
    attended: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    booked: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    served = teams_served.served_within([programme.id])
    for course_id, staff_id, number, status, on, locality_id in _rows(
        _places(programme, served.c.locality_id)
        .join(StaffMember, StaffMember.id == Attendance.staff_id)
        .join(served, served.c.team_id == StaffMember.team_id)
        .where(served.c.locality_id.in_(locality_ids))
    ):
        if status is not None:
            attended[locality_id, course_id].append(Attended(staff_id, number, status, on))
        elif on >= today:
            booked[locality_id, course_id].append(Attended(staff_id, number, "present", on))
    return _course_facts(courses, locality_ids, attended, booked)


def courses_from(
    programme: Programme,
    criteria: Sequence[GateCriterion],
    locality_ids: Iterable[int],
    today: date,
    places: Places,
    staff: dict[int, list[StaffFacts]],
) -> dict[int, dict[str, CourseFacts]]:
    """What `courses_of` gives, from the programme's places already read and each locality's
    staff (from `staff_of`, teams serving several localities included): each place goes to
    every locality its person counts in. Three queries (the courses)."""
    locality_ids = list(locality_ids)
    courses = _named_courses(programme, criteria)
    homes: dict[int, list[int]] = defaultdict(list)
    for locality_id in locality_ids:
        for person in staff.get(locality_id, ()):
            homes[person.id].append(locality_id)
    attended: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    booked: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    for course_id in {course.id for course in courses.values()}:
        for record in places.attended.get(course_id, ()):
            for locality_id in homes.get(record.staff_id, ()):
                attended[locality_id, course_id].append(record)
        for staff_id, number, on in places.unmarked.get(course_id, ()):
            if on >= today and staff_id in homes:
                booking = Attended(staff_id, number, "present", on)
                for locality_id in homes[staff_id]:
                    booked[locality_id, course_id].append(booking)
    return _course_facts(courses, locality_ids, attended, booked)


def _named_courses(programme: Programme, criteria: Sequence[GateCriterion]) -> dict[str, Course]:
    """The programme's courses the training criteria among `criteria` name, by key."""
    keys = {key for c in criteria if c.kind == CriterionKind.TRAINED for key in c.courses or ()}
    return {
        course.key: course for course in catalogue.list_courses(programme) if course.key in keys
    }


def _course_facts(
    courses: dict[str, Course],
    locality_ids: list[int],
    attended: dict[tuple[int, int], list[Attended]],
    booked: dict[tuple[int, int], list[Attended]],
) -> dict[int, dict[str, CourseFacts]]:
    rules = {
        key: (catalogue.course_rule(course), frozenset(role.id for role in course.roles))
        for key, course in courses.items()
    }
    return {
        locality_id: {
            key: CourseFacts(
                course.name,
                *rules[key],
                tuple(attended[locality_id, course.id]),
                tuple(booked[locality_id, course.id]),
            )
            for key, course in courses.items()
        }
        for locality_id in locality_ids
    }


# --- Milestones and the gate's settings per locality ------------------------------------------


def milestones_of(locality_ids: Iterable[int]) -> dict[int, list[MilestoneFacts]]:
    """Each locality's milestones by due date. One query."""
    milestones: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for row in db.session.execute(
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
        .where(Milestone.locality_id.in_(list(locality_ids)))
        .order_by(Milestone.due, Milestone.id)
    ):
        milestones[row.locality_id].append(
            MilestoneFacts(
                row.id,
                row.title,
                row.workstream_id,
                row.status,
                row.gate_critical,
                row.completed_on,
                row.due,
            )
        )
    return milestones


def exceptions_of(locality_ids: Iterable[int]) -> dict[int, dict[str, LocalityException]]:
    """Each locality's exceptions to the gate, by criterion key. One query."""
    return {
        locality_id: {
            key: LocalityException(e.reason, e.threshold, e.waived) for key, e in found.items()
        }
        for locality_id, found in _by_locality(GateException, locality_ids).items()
    }


def sign_offs_of(locality_ids: Iterable[int]) -> dict[int, dict[str, SignOff]]:
    """Each locality's signed-off checks, by criterion key. One query."""
    return {
        locality_id: {
            key: SignOff(signed.signed_by_name, signed.signed_on) for key, signed in found.items()
        }
        for locality_id, found in _by_locality(CheckSignOff, locality_ids).items()
    }


def _by_locality(model, locality_ids: Iterable[int]) -> dict[int, dict[str, object]]:
    """Exceptions or sign-offs per locality (every locality asked about, even with none),
    keyed by their criterion's key."""
    locality_ids = list(locality_ids)
    found: dict[int, dict[str, object]] = {locality_id: {} for locality_id in locality_ids}
    for record, key in db.session.execute(
        select(model, GateCriterion.key)
        .join(GateCriterion, GateCriterion.id == model.criterion_id)
        .where(model.locality_id.in_(locality_ids))
    ):
        found[record.locality_id][key] = record
    return found
