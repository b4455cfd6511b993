"""The training pages' tables as downloads: a locality's staff list (in the columns the staff
import reads back), its completion matrix, and the programme's sessions."""

from __future__ import annotations

from datetime import date

from programme.domain.export_tables import Column, Emphasis, Table
from programme.domain.formatting import clock_time, listed, share_text
from programme.domain.module_progress import ModuleState
from programme.domain.training import REGISTER_WORDS, register_state
from programme.services.training.completion import TrainingSummary
from programme.services.training.schedule import Schedule, SessionSummary

# Headers the staff import recognises (domain/staff_import.FIELDS), so a saved list imports
# back unchanged; the employer the page shows under a name is for reading only.
STAFF_COLUMNS = (
    Column("Name"),
    Column("Email"),
    Column("Locality"),
    Column("Team"),
    Column("Role"),
    Column("Start date", "date"),
    Column("Leaving date", "date"),
    Column("Employing organisation"),
)
_EMAIL = 1  # the Email column's place in STAFF_COLUMNS

NOT_REQUIRED, NOT_COUNTED = "Not required", "Not counted"
CANCELLED = "Cancelled"

SESSION_COLUMNS = (
    Column("Session"),
    Column("Module", "wrap"),
    Column("Date", "date"),
    Column("Time"),
    Column("Venue"),
    Column("Trainer"),
    Column("Enrolled", "integer"),
    Column("Capacity", "integer"),
    Column("Register"),
    Column("Status"),
    Column("Reason cancelled", "wrap"),
)


def staff_table(summary: TrainingSummary, with_email: bool) -> Table:
    """Everyone the locality's training page lists, team by team, by name. The page shows no
    e-mail addresses; the list carries them only for those who may import staff lists (they
    need them to import it back, and hold them already)."""
    rows = [
        [
            row.staff.name,
            row.staff.email,
            matrix.team.locality.name,
            matrix.team.name,
            row.staff.role.name,
            row.staff.start_date,
            row.staff.leaving_date,
            row.staff.organisation.name if row.staff.organisation else None,
        ]
        for matrix in summary.matrices
        for row in matrix.rows
    ]
    if with_email:
        return Table(STAFF_COLUMNS, rows)
    return Table(
        [column for column in STAFF_COLUMNS if column.header != "Email"],
        [values[:_EMAIL] + values[_EMAIL + 1 :] for values in rows],
        # No "nobody here" row: a saved list must import back, and a message is not a person.
    )


def matrix_table(summary: TrainingSummary) -> Table:
    """The completion matrix: person by course, each team's people then its share trained."""
    columns = [
        Column("Team"),
        Column("Name"),
        Column("Role"),
        *(Column(course.name) for course in summary.courses),
        Column("Modules still needed", "wrap"),
    ]
    rows: list = []
    for group, matrix in zip(summary.groups, summary.matrices, strict=True):
        for row in matrix.rows:
            rows.append(
                [
                    matrix.team.name,
                    row.staff.name,
                    row.staff.role.name,
                    *(_cell(cell, row.relevant) for cell in row.cells),
                    still_needed(summary.courses, row) if row.relevant else NOT_COUNTED,
                ]
            )
        rows.append(
            Emphasis(
                [
                    matrix.team.name,
                    "Trained",
                    None,
                    *(share_text(share, nothing="No relevant staff") for share in group.shares),
                    None,
                ]
            )
        )
    return Table(columns, rows, "No teams yet")


def still_needed(courses, row) -> str:
    """The required modules a person has neither attended nor booked, in the matrix's words:
    "Motivational Interviewing: modules 3 and 4; FS workshops: module 1", or "None"."""
    parts = []
    for course, spots in zip(courses, row.spots, strict=True):
        required = {module.number for module in course.modules if module.required}
        needed = [
            str(spot.number)
            for spot in spots or ()
            if spot.state == ModuleState.NEEDED and spot.number in required
        ]
        if needed:
            noun = "module" if len(needed) == 1 else "modules"
            parts.append(f"{course.name}: {noun} {listed(needed)}")
    return "; ".join(parts) or "None"


def _cell(cell, relevant: bool) -> str:
    if cell is None:
        return NOT_REQUIRED
    return cell.label if relevant else NOT_COUNTED


def sessions_table(schedule: Schedule, today: date) -> Table:
    """Every session the sessions page lists: upcoming (soonest first), then past (latest
    first)."""
    return Table(
        SESSION_COLUMNS,
        [_session_row(row, today) for row in [*schedule.upcoming, *schedule.past]],
        "No sessions yet",
    )


def _session_row(row: SessionSummary, today: date) -> list:
    session = row.session
    return [
        f"{session.course.name}, module {session.module.number}",
        session.module.title,
        session.on,
        clock_time(session.starts_at, missing="") or None,
        session.venue or None,
        session.trainer.name if session.trainer else None,
        row.enrolled,
        session.capacity,
        CANCELLED
        if session.cancelled
        else REGISTER_WORDS[register_state(session.on, bool(session.register_saved_at), today)],
        session_status(session, today),
        session.cancel_reason if session.cancelled else None,
    ]


def session_status(session, today: date) -> str:
    """Cancelled, or whether the session is still to come or past."""
    if session.cancelled:
        return CANCELLED
    return "Upcoming" if session.on >= today else "Past"
