"""The outbox in words: what each status and kind of message is called, and the ISO week a
digest is filed under."""

from __future__ import annotations

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
    "calendar": "Calendar invitation",
}
# What an admin may send again (a waiting or sending message is already on its way).
RESENDABLE = frozenset({"failed", "sent", "stored"})
