"""The security log: sign-ins, failures, two-factor changes and refused requests, which
administrators read and filter. Kept apart from the audit trail, which records changes to the
programme; a sign-in changes nothing there.

`record` adds the event to the current database session: the caller commits it, in the same
transaction as what it describes where there is one.
"""

from __future__ import annotations

from programme.extensions import db
from programme.models import SecurityEvent, User
from programme.services.channel import current_channel


def record(
    kind: str,
    *,
    user: User | None = None,
    email: str | None = None,
    address: str | None = None,
    path: str | None = None,
    detail: str = "",
) -> SecurityEvent:
    event = SecurityEvent(
        kind=kind,
        user_id=user.id if user is not None else None,
        email=(email or (user.email if user is not None else None)),
        address=address,
        path=path[:300] if path else None,
        detail=detail[:500],
        channel=current_channel(),
    )
    db.session.add(event)
    return event
