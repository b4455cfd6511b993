"""Downloads and exports of personal data are recorded in the audit trail (issue 16): who took
which file (workbook, table of staff/posts/attendance, original import file, sign-in sheet,
board pack, subject access export), when and through which channel."""

from __future__ import annotations

from sqlalchemy import select

from programme.extensions import db
from programme.models import Programme, User
from programme.services import audit
from programme.services.transaction import transactional


@transactional
def record(
    actor: User | None,
    what: str,
    filename: str,
    *,
    programme_id: int | None = None,
    programme_slug: str | None = None,
) -> None:
    """Audit one download of personal data: `what` says what it was ("Staff table")."""
    if programme_id is None and programme_slug:
        programme_id = db.session.scalar(
            select(Programme.id).where(Programme.slug == programme_slug)
        )
    audit.record(
        actor,
        "download_personal_data",
        "download",
        None,
        f"Downloaded {what} ({filename})",
        programme_id=programme_id,
        after={"what": what, "file": filename},
    )
