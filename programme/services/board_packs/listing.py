"""Finding board packs: a programme's packs by meeting date (never loading their files), one
pack of a programme, and the changes since the latest pack worked out live for the preview."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import undefer

from programme.domain.pack_changes import changes_between
from programme.extensions import db
from programme.models import BoardPack, Programme
from programme.services.board_packs import state
from programme.services.errors import NotFound


def packs_of(programme: Programme) -> list[BoardPack]:
    """The programme's packs, earliest meeting first, without their workbooks, states or
    changes. One query."""
    return list(
        db.session.scalars(
            select(BoardPack)
            .where(BoardPack.programme_id == programme.id)
            .order_by(BoardPack.meeting_date, BoardPack.id)
        )
    )


def latest_pack(programme: Programme) -> BoardPack | None:
    return db.session.scalar(
        select(BoardPack)
        .where(BoardPack.programme_id == programme.id)
        .order_by(BoardPack.meeting_date.desc(), BoardPack.id.desc())
        .limit(1)
    )


def pack_for(programme: Programme, meeting_date: date) -> BoardPack | None:
    return db.session.scalar(
        select(BoardPack).where(
            BoardPack.programme_id == programme.id, BoardPack.meeting_date == meeting_date
        )
    )


def get_pack(programme: Programme, pack_id: int, with_workbook: bool = False) -> BoardPack:
    """One of the programme's packs with its changes (and its file when asked for)."""
    options = [undefer(BoardPack.changes)]
    if with_workbook:
        options.append(undefer(BoardPack.workbook))
    pack = db.session.scalar(
        select(BoardPack)
        .where(BoardPack.programme_id == programme.id, BoardPack.id == pack_id)
        .options(*options)
    )
    if pack is None:
        raise NotFound("There is no such board pack in this programme.")
    return pack


def changes_since_last_pack(
    programme: Programme, today: date
) -> tuple[BoardPack | None, dict[str, Any]]:
    """The latest pack and what changed since it, as the next pack would show it today."""
    previous = latest_pack(programme)
    current = state.capture(programme, today)
    return previous, changes_between(previous.state if previous else None, current)
