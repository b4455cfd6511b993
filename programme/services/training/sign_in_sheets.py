"""A session's sign-in sheet: everyone with a place, as the page and the workbook show them."""

from __future__ import annotations

from sqlalchemy import select

from programme import clock
from programme.domain.sign_in_sheet import SheetPerson, SignInSheet, download_stem
from programme.extensions import db
from programme.models import Attendance, Programme, Role, StaffMember, Team, TrainingSession
from programme.services.errors import NotFound
from programme.services.exports.workbook import CREATOR


def sign_in_sheet(programme: Programme, session: TrainingSession) -> SignInSheet:
    """The session's sheet; a cancelled session has none. Its people: one query."""
    if session.cancelled:
        raise NotFound("This session was cancelled, so it has no sign-in sheet.")
    people = tuple(
        SheetPerson(*row)
        for row in db.session.execute(
            select(StaffMember.name, StaffMember.email, Team.name, Role.name)
            .join(Attendance, Attendance.staff_id == StaffMember.id)
            .join(Team, Team.id == StaffMember.team_id)
            .join(Role, Role.id == StaffMember.role_id)
            .where(Attendance.session_id == session.id)
            .order_by(StaffMember.name, StaffMember.id)
        )
    )
    return SignInSheet(
        programme=programme.name,
        course=session.course.name,
        module_number=session.module.number,
        module_title=session.module.title,
        on=session.on,
        starts_at=session.starts_at,
        venue=session.venue or "",
        trainer=session.trainer.name if session.trainer else "",
        people=people,
    )


def workbook(programme: Programme, session: TrainingSession) -> tuple[bytes, str]:
    """The sheet as .xlsx bytes, and the file's name."""
    from programme.domain.sign_in_sheet_xlsx import sign_in_sheet_xlsx  # openpyxl: not at start-up

    sheet = sign_in_sheet(programme, session)
    data = sign_in_sheet_xlsx(sheet, creator=CREATOR, created=clock.utc_now())
    return data, f"{download_stem(sheet, session.course.key)}.xlsx"
