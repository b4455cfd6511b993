"""The spreadsheets the imports read, for the measured programme's localities and teams, and the
state they update (`seed_base`, loaded through the imports themselves, untimed).

Each file's first UPDATES[rows] rows change records the base already holds (posts by post
reference, staff by e-mail, recorded attendance by person and session: 1,600 of 10,000, the
16% of a real tracker; 2,000 of 50,000, so that 48,000 posts are new as in the issue's target);
the rest create new ones. Files are written by openpyxl in its normal mode, as Excel writes
them (with the sheet's <dimension>).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import import_recruitment  # bench/import_recruitment.py
import openpyxl
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Course, CourseModule, Locality, Programme, Team, TrainingSession
from programme.services.attendance_import import ATTENDANCE
from programme.services.recruitment_import import RECRUITMENT
from programme.services.staff_import import STAFF

HEADERS, ROLES, STATUSES = (
    import_recruitment.HEADERS,
    import_recruitment.ROLES,
    import_recruitment.STATUSES,
)
# Without "HMPPS": a type of organisation, ambiguous (and so rejected) once the base's import
# has added a second probation service beside one the dataset may have.
EMPLOYERS = tuple(
    tuple(name for name in names if name != "HMPPS") for names in import_recruitment.EMPLOYERS
)
UPDATES = {10_000: 1_600, 50_000: 2_000}
SEEDED = 2_000  # records the base holds for the files to update
SESSIONS = 30  # extra past sessions: SESSIONS x SEEDED people >= 50,000 distinct places
STAFF_HEADERS = ("Name", "E-mail", "Locality", "Team", "Role", "Start date")
ATTENDANCE_HEADERS = ("Course", "Module", "Session date", "E-mail", "Attended")


@dataclass(frozen=True)
class Layout:
    """What the files name: the programme's (locality, team) names and its extra sessions as
    (course name, module, day)."""

    teams: list[tuple[str, str]]
    sessions: list[tuple[str, int, date]]


def layout(programme: Programme, today: date) -> Layout:
    teams = db.session.execute(
        select(Locality.name, Team.name)
        .join(Team, Team.locality_id == Locality.id)
        .where(Locality.programme_id == programme.id)
        .order_by(Locality.name, Team.name)
    ).all()
    course = db.session.scalar(
        select(Course).where(Course.programme_id == programme.id).order_by(Course.position)
    )
    modules = [module.number for module in course.modules]
    # A day no session of that module already has: two on one day would be ambiguous.
    taken = set(
        db.session.execute(
            select(CourseModule.number, TrainingSession.on)
            .join(CourseModule, CourseModule.id == TrainingSession.module_id)
            .where(TrainingSession.course_id == course.id)
        ).all()
    )
    sessions, day = [], today - timedelta(days=900)
    for n in range(SESSIONS):
        module = modules[n % len(modules)]
        while (module, day) in taken:
            day -= timedelta(days=1)
        sessions.append((course.name, module, day))
        day -= timedelta(days=1)
    return Layout([tuple(team) for team in teams], sessions)


def workbook(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Rows: n below `updates` names a record of the base; above, a new one ------------------------


def _post(n: int, layout: Layout, today: date, new: bool, status: str | None = None) -> list:
    locality, team = layout.teams[n % len(layout.teams)]
    role = (n // len(layout.teams)) % len(ROLES)
    status = status or STATUSES[n % len(STATUSES)]
    placed = status == "In post"
    return [
        f"{'NEW' if new else 'BEN'}-{n + 1:06}", locality, team, ROLES[role],
        EMPLOYERS[role][n % len(EMPLOYERS[role])], 1, status,
        f"Worker {n}" if placed or status == "Offer made" else None,
        f"worker.{n}@example.org" if placed else None,
        today - timedelta(days=30 + n % 600) if placed else None, "",
    ]  # fmt: skip


def _person(n: int, layout: Layout, today: date, new: bool, days: int = 400) -> list:
    locality, team = layout.teams[n % len(layout.teams)]
    prefix = "new" if new else "staff"
    start = today - timedelta(days=days + n % 300)
    return [f"Bench Person {prefix} {n}", f"{prefix}.{n}@bench.example.org", locality, team,
            "Social worker", start]  # fmt: skip


def _place(n: int, layout: Layout, attended: str) -> list:
    course, module, day = layout.sessions[n % SESSIONS]
    return [course, module, day, f"staff.{n // SESSIONS}@bench.example.org", attended]


def recruitment_file(rows: int, layout: Layout, today: date) -> bytes:
    updates = UPDATES[rows]
    return workbook(HEADERS, (_post(n, layout, today, new=n >= updates) for n in range(rows)))


def staff_file(rows: int, layout: Layout, today: date) -> bytes:
    updates = UPDATES[rows]
    return workbook(
        STAFF_HEADERS,
        (_person(n, layout, today, new=n >= updates, days=500) for n in range(rows)),
    )


def attendance_file(rows: int, layout: Layout) -> bytes:
    """Rows beyond the updates name places no one recorded: walk-ins, people and sessions of the
    base beyond the seeded places."""
    updates = UPDATES[rows]
    numbers = [n if n < updates else n + SEEDED for n in range(rows)]
    return workbook(ATTENDANCE_HEADERS, (_place(n, layout, "Present") for n in numbers))


FILES = {"recruitment": recruitment_file, "staff": staff_file}
IMPORTERS = {"recruitment": RECRUITMENT, "staff": STAFF, "attendance": ATTENDANCE}


def limits_for(data: bytes) -> ReadLimits:
    return ReadLimits(max_bytes=max(len(data), ReadLimits.max_bytes), max_rows=60_000)


def seed_base(programme: Programme, layout: Layout, today: date) -> None:
    """What the files update: SEEDED posts (vacant, out to advert), SEEDED staff and the
    attendance of the first SEEDED places (absent), each through its own import; and the
    SESSIONS past sessions the attendance file names."""
    posts = workbook(
        HEADERS, (_post(n, layout, today, new=False, status="Out to advert") for n in range(SEEDED))
    )
    people = workbook(STAFF_HEADERS, (_person(n, layout, today, new=False) for n in range(SEEDED)))
    _commit(RECRUITMENT, programme, posts, today)
    _commit(STAFF, programme, people, today)
    course = db.session.scalar(
        select(Course).where(Course.programme_id == programme.id).order_by(Course.position)
    )
    modules = {module.number: module for module in course.modules}
    for _name, number, day in layout.sessions:
        db.session.add(
            TrainingSession(
                programme_id=programme.id, course=course, module=modules[number], on=day,
                capacity=SEEDED, venue="Bench hall", cost_pence=0,
            )
        )  # fmt: skip
    db.session.commit()
    places = workbook(ATTENDANCE_HEADERS, (_place(n, layout, "Absent") for n in range(SEEDED)))
    _commit(ATTENDANCE, programme, places, today)


def _commit(importer, programme: Programme, data: bytes, today: date) -> None:
    plan = importer.import_file(
        programme, data, f"seed-{importer.kind}.xlsx", None, today=today, limits=limits_for(data)
    )
    if plan.count("rejected"):
        raise SystemExit(f"Seeding the {importer.kind} import rejected rows: {plan.errors[:3]}")
    db.session.commit()
