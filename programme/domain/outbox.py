"""The outbox in words: what each status and kind of message is called, and the ISO week a
digest is filed under."""

from __future__ import annotations

import re
from datetime import date

# Each status with its label and its tag's colour; the label alone says it (not the colour).
STATUS_LABELS: dict[str, str] = {
    "pending": "Waiting to send",
    "sending": "Sending",
    "sent": "Sent",
    "stored": "Stored, not sent",
    "failed": "Failed",
}
STATUS_TAGS: dict[str, str] = {
    "pending": "app-tag--blue",
    "sending": "app-tag--yellow",
    "sent": "app-tag--green",
    "stored": "app-tag--grey",
    "failed": "app-tag--red",
}
KIND_LABELS: dict[str, str] = {
    "digest": "Weekly digest",
    "invitation": "Invitation",
    "password_reset": "Password reset",
}
# What an admin may send again (a waiting or sending message is already on its way).
RESENDABLE = frozenset({"failed", "sent", "stored"})

_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})")


def iso_week(text: str) -> str | None:
    """'2026-W49' (also '2026-w49', '2026W49', '2026-W9') as the outbox files digests: None when
    it is not a week of a year."""
    found = _ISO_WEEK.fullmatch(text.strip().upper())
    if not found:
        return None
    year, week = int(found[1]), int(found[2])
    try:
        date.fromisocalendar(year, week, 1)  # week 53 only in the years that have one
    except ValueError:
        return None
    return f"{year:04d}-W{week:02d}"
