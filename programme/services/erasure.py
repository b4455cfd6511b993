"""Erasure of a person (a user, a staff member) by an administrator, with a reason (issue 16).

Everyone known by the person's e-mail address is erased together: their user account, their staff
records in every programme and the posts they hold. Every name and address they were known by is
replaced by "Erased person N" (and erased-person-N@erased.invalid) in every text and JSON column of
every table, the audit trail, outbox, security log and sign-in attempts included
(services/erasure_sweep.py); stored import files that mention them are deleted and issued board
packs redacted. N counts erasures: the first person erased is 1, the next 2.

The rows themselves stay (with `erased_at` set), so counts, attendance, readiness figures and
go-live decisions' evidence are unchanged; a decision the person signed shows "Erased person N".
The account can no longer sign in: no password, deactivated, sessions ended, tokens revoked,
memberships, recovery codes, links and calendar feed deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from programme.clock import utc_now
from programme.domain.redaction import Redaction
from programme.extensions import db
from programme.models import (
    AccountLink,
    ApiToken,
    AuditEvent,
    CalendarFeed,
    Membership,
    Post,
    StaffMember,
    User,
)
from programme.models.security import RecoveryCode
from programme.services import audit
from programme.services.erasure_sweep import redact_files, sweep
from programme.services.errors import Conflict, ServiceError
from programme.services.transaction import transactional


@dataclass(frozen=True)
class Erased:
    number: int
    label: str
    user_ids: list[int]
    staff_ids: list[int]
    rows_changed: int
    import_files: int
    board_packs: int


def next_number() -> int:
    """N of the next "Erased person N": one more than the erasures so far."""
    done = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "erase_person")
    )
    return (done or 0) + 1


def people_with(email: str) -> tuple[list[User], list[StaffMember], list[Post]]:
    address = email.strip().lower()
    users = db.session.scalars(select(User).where(func.lower(User.email) == address)).all()
    staff = db.session.scalars(
        select(StaffMember).where(func.lower(StaffMember.email) == address)
    ).all()
    posts = db.session.scalars(select(Post).where(func.lower(Post.holder_email) == address)).all()
    return list(users), list(staff), list(posts)


def _close_account(user: User, now) -> None:
    user.password_hash = None
    user.active = False
    user.session_version = (user.session_version or 1) + 1
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.erased_at = now
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(AccountLink).where(AccountLink.user_id == user.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


@transactional
def erase(email: str, reason: str, actor: User | None) -> Erased:
    """Erase everyone known by `email` (see the module's docstring)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Enter the reason for erasing this person.", "reason")
    users, staff, posts = people_with(email)
    if not (users or staff or posts):
        raise ServiceError("Nobody is known by that e-mail address.", "email")
    if any(user.erased_at for user in users) or any(person.erased_at for person in staff):
        raise Conflict("This person has already been erased.")
    if actor is not None and any(user.id == actor.id for user in users):
        raise Conflict("You cannot erase yourself; ask another administrator.")
    now = utc_now()
    redaction = Redaction(next_number())
    redaction.emails |= {email.strip().lower()} | {u.email for u in users}
    redaction.emails |= {s.email for s in staff} | {p.holder_email for p in posts}
    redaction.names |= {u.name for u in users} | {s.name for s in staff}
    redaction.names |= {p.holder_name for p in posts if p.holder_name}
    for user in users:
        _close_account(user, now)
    for person in staff:
        person.erased_at = now
    db.session.flush()
    import_files, board_packs = redact_files(redaction, now)
    changed = sweep(redaction)
    db.session.expire_all()
    user_ids, staff_ids = [u.id for u in users], [s.id for s in staff]
    entity_type, entity_id = (
        ("user", user_ids[0]) if user_ids else ("staff", staff_ids[0] if staff_ids else None)
    )
    audit.record(
        actor,
        "erase_person",
        entity_type,
        entity_id,
        f"{redaction.label}'s personal data erased. Reason: {redaction.text(reason)}",
        after={
            "erased": redaction.label,
            "reason": redaction.text(reason),
            "users": user_ids,
            "staff": staff_ids,
            "rows_changed": changed,
            "import_files_deleted": import_files,
            "board_packs_redacted": board_packs,
        },
    )
    return Erased(
        redaction.number,
        redaction.label,
        user_ids,
        staff_ids,
        changed,
        import_files,
        board_packs,
    )
