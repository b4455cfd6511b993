"""The workbook's Sessions sheet: every training session of the programme with how many were
enrolled and how many attended (by the course's counted statuses), and what it cost. A cancelled
session stays on the sheet, marked so with its reason; it has no places and cost nothing."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from programme.domain.export_tables import Column, Table
from programme.domain.formatting import clock_time
from programme.extensions import db
from programme.models import Attendance, Programme, TrainingSession
from programme.services.training.schedule import sessions_in_order

COLUMNS = (
    Column("Course"),
    Column("Module"),
    Column("Date", "date"),
    Column("Start", width=7),
    Column("Venue"),
    Column("Trainer"),
    Column("Capacity", "integer", width=9),
    Column("Enrolled", "integer", width=9),
    Column("Attended", "integer", width=9),
    Column("Cost", "money"),
    Column("Status"),
    Column("Reason cancelled", "wrap"),
)


def session_sheet(programme: Programme) -> Table:
    """Two queries however many sessions."""
    places: dict[int, dict[str | None, int]] = defaultdict(dict)
    for session_id, status, number in db.session.execute(
        select(Attendance.session_id, Attendance.status, func.count())
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(TrainingSession.programme_id == programme.id)
        .group_by(Attendance.session_id, Attendance.status)
    ):
        places[session_id][status] = number
    sessions = sessions_in_order(programme)
    return Table(
        COLUMNS,
        [_row(session, places.get(session.id, {})) for session in sessions],
        "This programme has no training sessions yet",
    )


def _row(session: TrainingSession, places: dict[str | None, int]) -> list:
    counted = set(session.course.counted)
    return [
        session.course.name,
        f"{session.module.number}. {session.module.title}",
        session.on,
        clock_time(session.starts_at, missing="") or None,
        session.venue or None,
        session.trainer.name if session.trainer else None,
        session.capacity,
        sum(places.values()),
        sum(number for status, number in places.items() if status in counted),
        None if session.cancelled else session.cost_pence / 100,
        "Cancelled" if session.cancelled else None,
        session.cancel_reason if session.cancelled else None,
    ]
