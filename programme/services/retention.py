"""Deleting what has outlived its retention period (`retention purge`, run daily by the
scheduler). An import preview never applied has its stored file and rows (names, e-mail
addresses) deleted after IMPORT_PREVIEW_DAYS; the record itself is kept, marked expired, so the
list of imports still says what happened to it. Sign-in attempts, security-log events and applied
imports' files are purged by services/retention_records.py (docs/DATA-PROTECTION.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from programme.domain.formatting import count
from programme.extensions import db
from programme.models import ImportRecord
from programme.services import audit
from programme.services.retention_records import (
    DeletedFile,
    Periods,
    purge_import_files,
    purge_security_events,
    purge_sign_in_attempts,
)
from programme.services.transaction import transactional

log = logging.getLogger(__name__)

# The kinds of thing a purge deletes, as `retention purge --json` counts them.
PURGED_KINDS = ("import_previews", "sign_in_attempts", "import_files", "security_events")


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
    periods: Periods = field(default_factory=Periods)
    sign_in_attempts: int = 0
    security_events: int = 0
    import_files: list[DeletedFile] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "import_previews": len(self.previews),
            "sign_in_attempts": self.sign_in_attempts,
            "import_files": len(self.import_files),
            "security_events": self.security_events,
        }


def preview_cutoff(now: datetime, preview_days: int) -> datetime:
    """A preview uploaded at or before this moment has outlived its retention period."""
    return now.astimezone(UTC) - timedelta(days=preview_days)


def forget_rows(record: ImportRecord) -> None:
    """Delete what an import record keeps of the file's content: the file, the rows read from it
    for the preview, its header cells, the row errors (which quote names and e-mail addresses)
    and the words the user mapped. What is kept (the file's name, size and hash, the counts,
    the column choices) names nobody."""
    record.content = None
    record.parsed_rows = None  # the rows as read at upload, for the preview
    record.headers = []
    record.errors = []
    record.value_mappings = {}


@transactional
def purge(
    now: datetime, preview_days: int, *, dry_run: bool = False, periods: Periods | None = None
) -> PurgeRun:
    """Expire every preview never applied that was uploaded `preview_days` or more ago, and
    delete the sign-in attempts, security events and applied imports' files older than their
    `periods`; with `dry_run`, only say which. Safe to run twice: nothing is purged twice."""
    run = PurgeRun(now, preview_days, dry_run, periods=periods or Periods())
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
    run.import_files = purge_import_files(now, run.periods.import_files, dry_run, forget_rows)
    run.sign_in_attempts = purge_sign_in_attempts(now, run.periods.sign_in_attempts, dry_run)
    run.security_events = purge_security_events(now, run.periods.security_events, dry_run)
    if not dry_run:
        log.info(
            "Retention purge: %s expired, %s, %s, %s deleted.",
            count(len(run.previews), "import preview"),
            count(len(run.import_files), "import file"),
            count(run.sign_in_attempts, "sign-in attempt"),
            count(run.security_events, "security event"),
        )
    return run


def periods_from(config) -> Periods:
    """The retention periods an app's config sets."""
    return Periods(
        sign_in_attempts=config["LOGIN_ATTEMPT_DAYS"],
        security_events=config["SECURITY_LOG_DAYS"],
        import_files=config["IMPORT_FILE_DAYS"],
    )
