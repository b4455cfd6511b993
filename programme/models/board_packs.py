"""Board packs: the programme workbook as issued for an operational board meeting, kept
byte-for-byte so the board's papers can be downloaded later exactly as they were read."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Programme
    from programme.models.users import User


class BoardPack(db.Model):
    __tablename__ = "board_pack"
    # One pack per meeting: a second for the same date is refused, not a silent replacement.
    __table_args__ = (UniqueConstraint("programme_id", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    meeting_date: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    issued_by_name: Mapped[str] = mapped_column(String(200))
    # The pack this one's "Changes since the last pack" compares with (none for the first).
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_pack.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(String(200))
    # The .xlsx exactly as issued; deferred so listing packs never loads the files.
    workbook: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # What the next pack compares with: each locality's criteria, milestones, posts, people
    # trained and decisions at the moment of issue (plain JSON, see domain/pack_changes.py).
    state: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    # The changes since `previous`, as shown on the pack's page and its Changes sheet.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)

    programme: Mapped[Programme] = relationship()
    issued_by: Mapped[User | None] = relationship()
