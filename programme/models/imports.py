"""Spreadsheet imports: each one with its file, what it changed, and remembered mappings."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
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
    from programme.models.users import User


class ImportRecord(db.Model):
    """An uploaded file: previewed, then applied (all rows or none), perhaps later undone. A
    preview never applied expires (IMPORT_PREVIEW_DAYS): its file and rows are deleted and the
    record alone is kept, so the list of imports still shows it."""

    __tablename__ = "import_record"
    __table_args__ = (
        CheckConstraint("state IN ('previewed', 'applied', 'undone', 'expired')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="previewed")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An applied import's file and rows are deleted after IMPORT_FILE_DAYS; its counts stay.
    file_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The name the user gave is shown, never used on disk; the file lives in `content` (None
    # once an unapplied preview has expired and its file was deleted).
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The file's rows as read at upload (`domain/stored_rows.py`), so the preview is planned from
    # them, not from the file parsed again; None for a CLI import, and once the file is deleted.
    parsed_rows: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    sheet_name: Mapped[str | None] = mapped_column(String(200))
    header_row: Mapped[int | None]
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # field -> column index, as matched or as the user mapped it.
    mapping: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # field -> {value as written -> the known value it stands for}: the user's choices in the
    # preview, remembered for the programme when the import is applied.
    value_mappings: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    # The file's rows that are not data (a total row, a key...): {"row", "last", "reason"} each.
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Whether a blank cell clears the stored value, for this import; else it leaves it alone.
    blank_cells_clear: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def skipped_count(self) -> int:
        """How many of the file's rows were not data (an entry may be a run of blank rows)."""
        return sum((entry.get("last") or entry["row"]) - entry["row"] + 1 for entry in self.skipped)

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])
    changes: Mapped[list[ImportChange]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ImportChange.id"
    )


class ImportChange(db.Model):
    """What an applied import did to one post, so that it can be undone. An indicator import
    records each value it changed here too (no post: `before` holds the value's id, its old
    value and the import that had set it)."""

    __tablename__ = "import_change"
    __table_args__ = (CheckConstraint("action IN ('created', 'updated')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("import_record.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The post's version once imported: undo refuses to overwrite a later edit.
    version_after: Mapped[int]


class ColumnMapping(db.Model):
    """How the user mapped the columns of a file with these headers, reused for the next one."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("programme_id", "kind", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    signature: Mapped[str] = mapped_column(String(64))
    # field -> the column index it was mapped to (None: the file has no such column).
    mapping: Mapped[dict[str, int | None]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )


class ValueAlias(db.Model):
    """A name a spreadsheet uses for a locality, team or status, as a user mapped it once.

    Roles and organisations keep such names in their own `names`, editable on their pages.
    `target` is the known value: a locality's or team's id, or a status's value.
    """

    __tablename__ = "value_alias"
    __table_args__ = (UniqueConstraint("programme_id", "field", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    created_by: Mapped[User | None] = relationship()
