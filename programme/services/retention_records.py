"""What `retention purge` deletes besides expired import previews (services/retention.py):
sign-in attempts after LOGIN_ATTEMPT_DAYS (90), security-log events after SECURITY_LOG_DAYS (365),
and an applied (or undone) import's file and rows after IMPORT_FILE_DAYS (365), its counts kept.
See docs/DATA-PROTECTION.md."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from programme.domain.formatting import count
from programme.extensions import db
from programme.models import ImportRecord, LoginAttempt
from programme.models.security import SecurityEvent
from programme.services import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periods:
    """How many days each kind of record is kept (config: LOGIN_ATTEMPT_DAYS, SECURITY_LOG_DAYS,
    IMPORT_FILE_DAYS)."""

    sign_in_attempts: int = 90
    security_events: int = 365
    import_files: int = 365


@dataclass(frozen=True)
class DeletedFile:
    id: int
    programme_id: int
    kind: str
    original_name: str
    applied_at: datetime | None
    size_bytes: int


def cutoff(now: datetime, days: int) -> datetime:
    """A record made at or before this moment has outlived a period of `days`."""
    return now.astimezone(UTC) - timedelta(days=days)


def _purge_table(model, now: datetime, days: int, dry_run: bool) -> int:
    older = model.at <= cutoff(now, days)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(model).where(older)) or 0
    return db.session.execute(delete(model).where(older)).rowcount or 0


def purge_sign_in_attempts(now: datetime, days: int, dry_run: bool) -> int:
    """Delete the sign-in attempts (an e-mail address and a network address each) older than
    `days`; the throttle only ever looks back minutes."""
    deleted = _purge_table(LoginAttempt, now, days, dry_run)
    if deleted and not dry_run:
        audit.record(
            None,
            "purge_sign_in_attempts",
            "retention",
            None,
            f"{count(deleted, 'sign-in attempt')} older than {count(days, 'day')} deleted",
            after={"deleted": deleted, "days": days},
        )
    return deleted


def purge_security_events(now: datetime, days: int, dry_run: bool) -> int:
    """Delete security-log events older than `days`."""
    deleted = _purge_table(SecurityEvent, now, days, dry_run)
    if deleted and not dry_run:
        audit.record(
            None,
            "purge_security_events",
            "retention",
            None,
            f"{count(deleted, 'security log event')} older than {count(days, 'day')} deleted",
            after={"deleted": deleted, "days": days},
        )
    return deleted


def purge_import_files(now: datetime, days: int, dry_run: bool, forget) -> list[DeletedFile]:
    """Delete the file and stored rows of each import applied (perhaps since undone) `days` or
    more ago; the record, its counts and what it changed stay. `forget` is retention.forget_rows."""
    records = db.session.scalars(
        select(ImportRecord)
        .where(
            ImportRecord.state.in_(("applied", "undone")),
            ImportRecord.file_deleted_at.is_(None),
            ImportRecord.applied_at <= cutoff(now, days),
        )
        .order_by(ImportRecord.id)
        .with_for_update()
    )
    deleted = []
    for record in records:
        deleted.append(
            DeletedFile(
                record.id,
                record.programme_id,
                record.kind,
                record.original_name,
                record.applied_at,
                record.size_bytes,
            )
        )
        if dry_run:
            continue
        forget(record)
        record.file_deleted_at = now.astimezone(UTC)
        summary = (
            f"The file and rows of {record.kind} import {record.id} were deleted, "
            f"{count(days, 'day')} after it was applied; its counts are kept"
        )
        audit.record(
            None,
            "delete_import_file",
            "import",
            record.id,
            summary,
            programme_id=record.programme_id,
            after={"import": record.id, "bytes_deleted": record.size_bytes},
        )
        log.info("Import %s: file and rows deleted (retention).", record.id)
    return deleted
