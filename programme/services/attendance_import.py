"""Importing trainers' attendance registers: preview every row, then apply all of them or none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import select

from programme.collector import collector_paused
from programme.domain.attendance_import import plan_import
from programme.domain.attendance_lookups import (
    CourseRef,
    Lookups,
    Place,
    SessionRef,
    StaffRef,
    build_lookups,
)
from programme.domain.imports import ImportPlan, RowPlan
from programme.domain.sign_in_sheets import FIELDS
from programme.domain.spreadsheet import Table
from programme.extensions import db
from programme.models import (
    Course,
    CourseModule,
    ImportRecord,
    Programme,
    StaffMember,
    Team,
    TrainingSession,
    User,
)
from programme.services import audit, import_flow
from programme.services.errors import StaleEdit
from programme.services.training import registers

KIND = "attendance"


def _lookups(programme: Programme) -> Lookups:
    """The programme's courses, sessions and staff as plain values: three queries."""
    modules: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for course_id, key, name, number in db.session.execute(
        select(Course.id, Course.key, Course.name, CourseModule.number)
        .outerjoin(CourseModule, CourseModule.course_id == Course.id)
        .where(Course.programme_id == programme.id)
        .order_by(Course.position, Course.id, CourseModule.number)
    ):
        numbers = modules[(course_id, key, name)]
        if number is not None:
            numbers.append(number)
    sessions = db.session.execute(
        select(
            TrainingSession.id, TrainingSession.course_id, CourseModule.number, TrainingSession.on
        )
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        # A cancelled session was never held: no register imports into it.
        .where(TrainingSession.programme_id == programme.id, TrainingSession.cancelled_at.is_(None))
    )
    staff = db.session.execute(
        select(StaffMember.id, StaffMember.name, StaffMember.email, Team.name)
        .join(Team, Team.id == StaffMember.team_id)
        .where(StaffMember.programme_id == programme.id)
        .order_by(StaffMember.name, StaffMember.id)
    )
    return build_lookups(
        [CourseRef(*course, tuple(numbers)) for course, numbers in modules.items()],
        [SessionRef(*row) for row in sessions],
        [StaffRef(*row) for row in staff],
    )


def _places(session_ids: Collection[int]) -> list[Place]:
    """Everyone enrolled on (or recorded at) these sessions: one query."""
    return [
        Place(row.id, row.session_id, row.staff_id, row.status)
        for row in registers.places_at(session_ids).values()
    ]


def _plan(
    programme: Programme, table: Table, mapping: dict[str, int], today: date, _mappings
) -> ImportPlan:
    """Attendance has no values a user maps: its courses and people are matched as written."""
    with collector_paused():  # planning frees nothing until it ends
        return plan_import(table, mapping, _lookups(programme), _places, today)


def _write_and_audit(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """Every row recorded goes through the one writer of attendance, set-based (walk-ins
    inserted by one statement, recorded places updated by another); each session recorded has
    its register marked saved and its own audit entry."""
    recorded = [row for row in plan.rows if row.action in ("created", "updated")]
    if not recorded:
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Attendance import of {record.original_name}: nothing to change",
            programme_id=programme.id,
            after={"import": record.id, **plan.counts},
        )
        return
    _refuse_if_changed(recorded, sorted({row.values["session_id"] for row in recorded}))
    registers.record_attendance(
        [
            registers.Mark(
                row.values["session_id"], row.values["staff_id"], row.values["status"], row.key
            )
            for row in recorded
        ],
        actor,
        today=today,
        action="import",
        describe=lambda _session, changed: (
            f"Attendance import of {record.original_name}: {changed} recorded"
        ),
    )


def _refuse_if_changed(rows: list[RowPlan], sessions: list[int]) -> None:
    """The places are as the plan found them: nothing was recorded or enrolled meanwhile."""
    current = {key: place.status for key, place in registers.places_at(sessions).items()}
    for row in rows:
        key = (row.values["session_id"], row.values["staff_id"])
        expected = row.changes["status"][0] if "status" in row.changes else None
        if (row.target_id is None and key in current) or (
            row.target_id is not None and (key not in current or current[key] != expected)
        ):
            raise StaleEdit(
                f"Row {row.row}'s attendance was recorded while the import ran. Nothing was "
                "saved: try the import again."
            )


ATTENDANCE = import_flow.Importer(
    kind=KIND,
    title="attendance registers",
    fields=FIELDS,
    plan=_plan,
    write=_write_and_audit,
    undo=None,
)
