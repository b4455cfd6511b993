"""Deleting what has outlived its retention period (`retention purge`, run daily by the
scheduler). Today that is one kind: an import preview never applied, whose stored file and rows
(names, e-mail addresses) are deleted after IMPORT_PREVIEW_DAYS. The record itself is kept,
marked expired, so the list of imports still says what happened to it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from programme.domain.formatting import count
from programme.extensions import db
from programme.models import ImportRecord
from programme.services import audit
from programme.services.transaction import transactional

log = logging.getLogger(__name__)

# The kinds of thing a purge deletes, as `retention purge --json` counts them.
PURGED_KINDS = ("import_previews",)


@dataclass(frozen=True)
class ExpiredPreview:
    id: int
    programme_id: int
    kind: str
    original_name: str
    uploaded_at: datetime
    size_bytes: int


@dataclass
class PurgeRun:
    at: datetime
    preview_days: int
    dry_run: bool = False
    previews: list[ExpiredPreview] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"import_previews": len(self.previews)}


def preview_cutoff(now: datetime, preview_days: int) -> datetime:
    """A preview uploaded at or before this moment has outlived its retention period."""
    return now.astimezone(UTC) - timedelta(days=preview_days)


def forget_rows(record: ImportRecord) -> None:
    """Delete what an import record keeps of the file's content: the file, its header cells and
    the row errors (which quote names and e-mail addresses) and the words the user mapped. What
    is kept (the file's name, size and hash, the counts, the column choices) names nobody."""
    record.content = None
    record.headers = []
    record.errors = []
    record.value_mappings = {}


@transactional
def purge(now: datetime, preview_days: int, *, dry_run: bool = False) -> PurgeRun:
    """Expire every preview never applied that was uploaded `preview_days` or more ago; with
    `dry_run`, only say which. Safe to run twice: an expired preview is not expired again."""
    run = PurgeRun(now, preview_days, dry_run)
    records = db.session.scalars(
        select(ImportRecord)
        .where(
            ImportRecord.state == "previewed",
            ImportRecord.uploaded_at <= preview_cutoff(now, preview_days),
        )
        .order_by(ImportRecord.id)
        .with_for_update()
    )
    for record in records:
        run.previews.append(
            ExpiredPreview(
                record.id,
                record.programme_id,
                record.kind,
                record.original_name,
                record.uploaded_at,
                record.size_bytes,
            )
        )
        if dry_run:
            continue
        forget_rows(record)
        record.state, record.expired_at = "expired", now.astimezone(UTC)
        summary = (
            f"The {record.kind} import preview of {record.original_name} expired, not applied "
            f"within {count(preview_days, 'day')}: its file and rows were deleted"
        )
        audit.record(
            None,
            "expire_import",
            "import",
            record.id,
            summary,
            programme_id=record.programme_id,
            after={"import": record.id, "state": "expired", "bytes_deleted": record.size_bytes},
        )
        log.info("Import %s: %s (%s).", record.id, summary, count(record.size_bytes, "byte"))
    if not dry_run:
        log.info("Retention purge: %s expired.", count(len(run.previews), "import preview"))
    return run
