"""What every spreadsheet import shares: reading the uploaded file within its limits, storing it
with its record, and finding records again. The flow of an import (map, preview, apply) is in
`import_flow.py`; remembered column mappings are in `column_mappings.py`."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import timedelta
from pathlib import PurePath

from sqlalchemy import func, select

from programme.clock import utc_now
from programme.domain.formatting import count
from programme.domain.imports import (
    ImportField,
    synonyms,
)
from programme.domain.spreadsheet import ReadLimits, SpreadsheetError, Table
from programme.domain.spreadsheet_worker import read_table_in_worker
from programme.extensions import db
from programme.models import ImportRecord, Programme, User
from programme.services import audit
from programme.services.errors import NotFound, ServiceError
from programme.services.transaction import transactional

# More columns than this is not a tracker but a mistake (or a trap for the column chooser).
MAX_COLUMNS = 200


def read_limits(config: Mapping) -> ReadLimits:
    return ReadLimits(
        max_bytes=config["IMPORT_MAX_BYTES"],
        max_rows=config["IMPORT_MAX_ROWS"],
        max_columns=MAX_COLUMNS,
        parse_seconds=config["IMPORT_PARSE_SECONDS"],
        memory_bytes=config["IMPORT_PARSE_MEMORY_BYTES"],
    )


def read_file(
    data: bytes, filename: str, fields: Mapping[str, ImportField], limits: ReadLimits
) -> Table:
    """The file's table, or a ServiceError saying in one sentence why it cannot be read.

    The file is read in a separate worker process within `limits` (time and memory), the same
    for web uploads and the command line."""
    try:
        table = read_table_in_worker(data, filename, synonyms(fields), limits)
    except SpreadsheetError as error:
        raise ServiceError(error.message, "file") from None
    if len(table.headers) > MAX_COLUMNS:
        raise ServiceError(
            f"The header row has {count(len(table.headers), 'column')}; an import reads at most "
            f"{MAX_COLUMNS}. Delete the unused columns and try again.",
            "file",
        )
    return table


class TooManyUploads(ServiceError):
    """The user has uploaded as many files as allowed in the last hour."""


def check_upload_rate(user: User, per_hour: int) -> None:
    """Refuse another upload once `user` has uploaded `per_hour` files in the last hour
    (counted from the import records, so every web process sees the same number)."""
    since = utc_now() - timedelta(hours=1)
    uploaded = db.session.scalar(
        select(func.count())
        .select_from(ImportRecord)
        .where(ImportRecord.uploaded_by_id == user.id, ImportRecord.uploaded_at >= since)
    )
    if uploaded >= per_hour:
        raise TooManyUploads(
            f"You have uploaded {count(per_hour, 'file')} in the last hour, the most allowed; "
            "try again later.",
            "file",
        )


def _stored_name(filename: str) -> str:
    """A generated name: the user's file name is shown, never used to store anything."""
    suffix = PurePath(filename).suffix.lower()
    return uuid.uuid4().hex + (suffix if suffix in {".xlsx", ".csv"} else "")


@transactional
def store_upload(
    programme: Programme,
    kind: str,
    data: bytes,
    filename: str,
    actor: User | None,
    table: Table,
    mapping: Mapping[str, int],
) -> ImportRecord:
    record = ImportRecord(
        programme_id=programme.id,
        kind=kind,
        uploaded_by=actor,
        original_name=PurePath(filename.replace("\\", "/")).name[:255] or "upload",
        stored_name=_stored_name(filename),
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        sheet_name=table.sheet_name,
        header_row=table.header_row,
        headers=list(table.headers),
        mapping=dict(mapping),
    )
    db.session.add(record)
    db.session.flush()
    return record


def get_import(programme: Programme, import_id: int, kind: str | None = None) -> ImportRecord:
    record = db.session.get(ImportRecord, import_id)
    if record is None or record.programme_id != programme.id or (kind and record.kind != kind):
        raise NotFound(f"{programme.name} has no import {import_id}.")
    return record


def list_imports(programme: Programme, limit: int = 100) -> list[ImportRecord]:
    return list(
        db.session.scalars(
            select(ImportRecord)
            .where(ImportRecord.programme_id == programme.id)
            .order_by(ImportRecord.uploaded_at.desc(), ImportRecord.id.desc())
            .limit(limit)
        )
    )


NOTHING_TO_UNDO = {
    "previewed": "This file was only previewed, never applied, so there is nothing to undo.",
    "expired": "This preview expired without being applied, so there is nothing to undo.",
    "undone": "This import was already undone; an import can be undone only once.",
}


def nothing_to_undo(record: ImportRecord) -> str | None:
    """Why an import that is not applied cannot be undone; None for an applied one."""
    if record.state == "applied":
        return None
    return NOTHING_TO_UNDO.get(record.state, NOTHING_TO_UNDO["previewed"])


def undo_refusal(record: ImportRecord, what: str) -> str | None:
    """Why `record` cannot be undone whatever it did, or None: it is not applied, or it is not
    the programme's most recent import of its kind (`what` names the kind: "indicator")."""
    if (reason := nothing_to_undo(record)) is not None:
        return reason
    latest = last_applied(db.session.get(Programme, record.programme_id), record.kind)
    if latest is None or latest.id != record.id:
        return (
            f"Only the programme's most recent {what} import can be undone; another was applied "
            "after this one."
        )
    return None


def mark_undone(record: ImportRecord, actor: User | None, summary: str, **after) -> None:
    """An undo's last step: the record marked undone, and the audit entry saying what the undo
    took back."""
    record.state, record.undone_by, record.undone_at = "undone", actor, utc_now()
    audit.record(
        actor,
        "undo_import",
        "import",
        record.id,
        summary,
        programme_id=record.programme_id,
        after={"import": record.id, **after},
    )


def last_applied(programme: Programme, kind: str = "recruitment") -> ImportRecord | None:
    """The programme's most recent import of this kind that changed something: the only one
    that may be undone. Applying a file that changes nothing (checking a re-import) does not
    hide it."""
    return db.session.scalar(
        select(ImportRecord)
        .where(
            ImportRecord.programme_id == programme.id,
            ImportRecord.kind == kind,
            ImportRecord.state.in_(("applied", "undone")),
            ImportRecord.created + ImportRecord.updated > 0,
        )
        .order_by(ImportRecord.applied_at.desc(), ImportRecord.id.desc())
        .limit(1)
    )
