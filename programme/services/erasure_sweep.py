"""The sweep behind erasure (services/erasure.py): every text and JSON column of every table,
found through SQLAlchemy's metadata so that a table added later is covered too, and the stored
files (import files, board packs' workbooks)."""

from __future__ import annotations

import hashlib
import io

from sqlalchemy import JSON, String, Text, cast, func, or_, select, update

from programme.domain.redaction import Redaction
from programme.extensions import db
from programme.models import BoardPack, ImportRecord
from programme.services.retention import forget_rows

# Tables whose text is not about people.
SKIPPED_TABLES = {"alembic_version"}


def _text_columns(table):
    for column in table.columns:
        if isinstance(column.type, JSON):
            yield column, True
        elif isinstance(column.type, String | Text):
            yield column, False


def sweep(redaction: Redaction) -> int:
    """Replace the person's names and addresses in every row that holds one; how many rows
    changed. Core statements, so a go-live decision keeps its record but names its signer
    "Erased person N" (its ORM guard refuses any other change)."""
    needles = redaction.needles
    changed = 0
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if table.name in SKIPPED_TABLES or len(keys) != 1:
            continue
        key = keys[0]
        for column, is_json in _text_columns(table):
            stored = func.lower(cast(column, Text) if is_json else column)
            found = or_(*[stored.contains(needle, autoescape=True) for needle in needles])
            for row_id, value in db.session.execute(select(key, column).where(found)).all():
                new = redaction.value(value) if is_json else redaction.text(value)
                if new != value:
                    db.session.execute(
                        update(table).where(key == row_id).values({column.name: new})
                    )
                    changed += 1
    return changed


def _redacted_workbook(redaction: Redaction, blob: bytes) -> bytes:
    from openpyxl import load_workbook  # 0.2 s: only an erasure rewrites workbooks

    book = load_workbook(io.BytesIO(blob))
    for sheet in book.worksheets:
        if sheet.title and redaction.text(sheet.title) != sheet.title:
            sheet.title = redaction.text(sheet.title)[:31]
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = redaction.text(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def redact_files(redaction: Redaction, now) -> tuple[int, int]:
    """Delete the stored import files (and their rows) that mention the person, as retention
    does, and redact the issued board packs' workbooks that name them: such a pack is then no
    longer byte-for-byte the one issued (its size and hash are updated). Returns how many of
    each."""
    imports = 0
    for record in db.session.scalars(
        select(ImportRecord).where(ImportRecord.content.is_not(None)).order_by(ImportRecord.id)
    ):
        if redaction.mentioned_in(record.content):
            forget_rows(record)
            if record.state == "previewed":  # never applied: it expires, as retention does
                record.state, record.expired_at = "expired", now
            else:
                record.file_deleted_at = now
            imports += 1
    packs = 0
    for pack in db.session.scalars(select(BoardPack).order_by(BoardPack.id)):
        if redaction.mentioned_in(pack.workbook):
            pack.workbook = _redacted_workbook(redaction, pack.workbook)
            pack.size = len(pack.workbook)
            pack.sha256 = hashlib.sha256(pack.workbook).hexdigest()
            packs += 1
    db.session.flush()
    return imports, packs
