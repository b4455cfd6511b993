"""Two-factor sign-in (TOTP, from an authenticator app) and its one-time recovery codes: turning
it on, off, and issuing new recovery codes. Each change goes to the security log."""

from __future__ import annotations

import io

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash

from programme.clock import utc_now
from programme.domain import totp
from programme.extensions import db
from programme.models import RecoveryCode, User
from programme.services import security_log
from programme.services.errors import ServiceError
from programme.services.transaction import transactional

ISSUER = "Family Safeguarding tracker"


def pending_secret(user: User) -> str:
    """The secret being set up (kept until it is confirmed or replaced)."""
    if user.two_factor_on:
        raise ServiceError("Two-factor sign-in is already on.")
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        db.session.commit()
    return user.totp_secret


def spaced_secret(secret: str) -> str:
    return totp.spaced(secret)


def qr_svg(user: User, secret: str) -> str:
    """The set-up link as an inline SVG QR code, drawn here (no outside service sees it)."""
    import segno  # only set-up draws a QR code: not loaded at start-up

    uri = totp.provisioning_uri(secret, user.email, ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=5, border=2, title=None
    )
    return out.getvalue().decode()


def _take_step(user: User, step: int) -> bool:
    """Record `step` as the last one used, only if no later or equal one was (atomic)."""
    taken = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _totp_ok(user: User, code: str) -> bool:
    step = totp.matching_step(user.totp_secret or "", code, utc_now(), user.totp_last_step)
    return step is not None and _take_step(user, step)


def _use_recovery_code(user: User, code: str) -> bool:
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == totp.recovery_code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


def accept_code(user: User, code: str) -> str | None:
    """How the user proved the second factor ("a code", "a recovery code"), or None."""
    if not user.two_factor_on or not user.totp_secret:
        return None
    if totp.looks_like_totp(code):
        return "a code" if _totp_ok(user, code) else None
    return "a recovery code" if _use_recovery_code(user, code) else None


def _issue_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=totp.recovery_code_hash(code)) for code in codes
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


@transactional
def turn_on(user: User, code: str) -> list[str]:
    """Confirm the app makes the right codes, turn two-factor sign-in on; return the recovery
    codes (shown once: only their hashes are kept)."""
    if user.two_factor_on:
        raise ServiceError("Two-factor sign-in is already on.")
    step = totp.matching_step(user.totp_secret or "", code, utc_now(), None)
    if step is None:
        raise ServiceError(
            "That code is not right. Enter the 6-digit code your app shows now.", "code"
        )
    user.totp_enabled_at = utc_now()
    user.totp_last_step = step
    codes = _issue_recovery_codes(user)
    security_log.record("two_factor_on", user=user)
    return codes


def _confirm_password(user: User, password: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise ServiceError("Your password is not right.", "password")


@transactional
def turn_off(user: User, password: str, code: str) -> None:
    if not user.two_factor_on:
        raise ServiceError("Two-factor sign-in is not on.")
    _confirm_password(user, password)
    if accept_code(user, code) is None:
        raise ServiceError("That code is not right.", "code")
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    security_log.record("two_factor_off", user=user)


@transactional
def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    if not user.two_factor_on:
        raise ServiceError("Two-factor sign-in is not on.")
    _confirm_password(user, password)
    codes = _issue_recovery_codes(user)
    security_log.record("recovery_codes_regenerated", user=user)
    return codes


@transactional
def reset(user: User) -> bool:
    """Turn two-factor sign-in off for someone who lost their phone and recovery codes (run by
    an administrator on the command line). False when it was not on."""
    if not user.two_factor_on and not user.totp_secret:
        return False
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    security_log.record("two_factor_off", user=user, detail="reset by an administrator")
    return True
