"""Issuing a board pack: the programme workbook frozen for a meeting, with a Changes sheet
comparing it with the last pack, stored byte for byte and audited."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from programme.domain.formatting import long_date
from programme.domain.pack_changes import changes_between
from programme.extensions import db
from programme.models import BoardPack, Programme, User
from programme.services import audit, locks
from programme.services.board_packs import listing, state
from programme.services.board_packs.sheet import changes_sheet
from programme.services.errors import Conflict, ServiceError
from programme.services.exports import workbook
from programme.services.transaction import transactional

# A pack may be issued for a meeting up to this long ago (papers filed late), or ahead.
MAX_DAYS_BACK = 365
MAX_DAYS_AHEAD = 365


def pack_filename(programme: Programme, meeting_date: date) -> str:
    return f"{programme.slug}-board-pack-{meeting_date.isoformat()}.xlsx"


def pack_title(programme: Programme, meeting_date: date) -> str:
    return f"{programme.name} board pack, {long_date(meeting_date)}"


def check_meeting_date(programme: Programme, meeting_date: date, today: date) -> None:
    """Refuse a meeting date that already has a pack, is earlier than the latest pack's, or is
    more than a year away either side of today."""
    if meeting_date < today - timedelta(days=MAX_DAYS_BACK):
        raise ServiceError(
            f"The meeting date {long_date(meeting_date)} is more than a year ago: enter the date "
            "of the meeting the pack is for.",
            field="meeting_date",
        )
    if meeting_date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ServiceError(
            f"The meeting date {long_date(meeting_date)} is more than a year ahead: enter the "
            "date of the meeting the pack is for.",
            field="meeting_date",
        )
    if listing.pack_for(programme, meeting_date) is not None:
        raise Conflict(
            f"There is already a board pack for the meeting on {long_date(meeting_date)}. "
            "A pack cannot be replaced: download that one, or choose another meeting date.",
            field="meeting_date",
        )
    latest = listing.latest_pack(programme)
    if latest is not None and meeting_date < latest.meeting_date:
        raise ServiceError(
            f"The last pack was for the meeting on {long_date(latest.meeting_date)}; a new pack "
            "compares with it, so it must be for a later meeting.",
            field="meeting_date",
        )


@transactional
def issue_pack(programme: Programme, meeting_date: date, actor: User, today: date) -> BoardPack:
    """Issue the board pack for a meeting: the workbook as of `today` with the changes since
    the latest pack, kept unchangeable. Packs of one programme are issued in turn, so two
    issued at once cannot both compare with the same last pack."""
    locks.lock(programme)
    check_meeting_date(programme, meeting_date, today)
    previous = listing.latest_pack(programme)
    current = state.capture(programme, today)
    changes = changes_between(previous.state if previous else None, current)
    content = pack_workbook(programme, meeting_date, changes, today)
    pack = BoardPack(
        programme_id=programme.id,
        meeting_date=meeting_date,
        issued_by_id=actor.id,
        issued_by_name=actor.name or actor.email,
        previous_id=previous.id if previous else None,
        filename=pack_filename(programme, meeting_date),
        workbook=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        state=current,
        changes=changes,
    )
    db.session.add(pack)
    try:
        db.session.flush()
    except IntegrityError as error:  # another pack for the same meeting, issued at this moment
        raise Conflict(
            f"Someone issued a board pack for the meeting on {long_date(meeting_date)} at the "
            "same moment. Nothing was saved: download that one.",
            field="meeting_date",
        ) from error
    audit.record(
        actor,
        "issue_board_pack",
        "board_pack",
        pack.id,
        f"Issued the board pack for {long_date(meeting_date)}",
        programme_id=programme.id,
        after={
            "meeting_date": meeting_date,
            "filename": pack.filename,
            "size": pack.size,
            "sha256": pack.sha256,
            "previous_id": pack.previous_id,
        },
    )
    return pack


def pack_workbook(programme: Programme, meeting_date: date, changes: dict, today: date) -> bytes:
    """The workbook a pack stores: Summary, then the changes, then the programme's other sheets."""
    from programme.domain.xlsx_export import workbook_bytes  # openpyxl: not at start-up

    sheets = workbook.programme_sheets(programme, today)
    ordered = [*sheets[:1], changes_sheet(changes), *sheets[1:]]
    info = workbook.workbook_info(programme, pack_title(programme, meeting_date), today)
    return workbook_bytes(info, ordered)
