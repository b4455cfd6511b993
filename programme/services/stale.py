"""Refusing to save over a change someone else made since the record was read.

Every check raises StaleEdit with the caller's message (one sentence naming the record), so the
form or import can show what happened; nothing is written.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from programme.extensions import db
from programme.services.errors import StaleEdit


def refuse_if_stale(record: Any, expected_version: int | None, message: str) -> None:
    """Refuse unless `record` is still at the version the editor opened (None: don't check)."""
    if expected_version is not None and record.version != expected_version:
        raise StaleEdit(message)


def refuse_if_changed(record: Any, seen: Mapping[str, Any], message: str) -> None:
    """Refuse unless each of `record`'s fields still holds the value it had when it was read."""
    if any(getattr(record, name) != value for name, value in seen.items()):
        raise StaleEdit(message)


def flush_or_refuse(message: str) -> None:
    """Write now, refusing if another save of the same record won the race since it was read.

    Read anything `message` needs before calling: a failed flush expires the session's records.
    """
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit(message) from None
