"""Signing in: the password step, the code step of two-factor sign-in, and the throttle both go
through.

Every attempt is recorded and committed BEFORE its password or code is checked, and the
failures are then counted with it included, so guesses sent in parallel each see the others and
no more than the limit are ever checked. The rules themselves are in domain/sign_in_limits.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import cache

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from programme import clock
from programme.clock import utc_now
from programme.domain.sign_in_limits import Limits, judge
from programme.extensions import db
from programme.models import LoginAttempt, User
from programme.services import security_log, two_factor

THROTTLED = "Too many failed sign-in attempts. Wait 15 minutes and try again."
WRONG = "The e-mail address or password is not right."
WRONG_CODE = "The code is not right. Enter the 6-digit code from your app, or a recovery code."


@cache
def dummy_hash() -> str:
    """A real hash to compare against when the account does not exist (or cannot sign in), so
    the time taken tells nothing. Made at the first sign-in, not at import: scrypt takes ~0.1 s
    and 16 MB, which every command and worker would pay at start-up."""
    return generate_password_hash("not-a-real-password-for-timing", method="scrypt")


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str | None = None
    needs_code: bool = False  # the password was right; two-factor sign-in asks for a code next


def limits(settings) -> Limits:
    return Limits(
        pair_max=settings["LOGIN_MAX_FAILURES_PER_PAIR"],
        account_free=settings["LOGIN_SLOW_AFTER_ACCOUNT_FAILURES"],
        address_free=settings["LOGIN_SLOW_AFTER_ADDRESS_FAILURES"],
        max_delay=float(settings["LOGIN_MAX_DELAY_SECONDS"]),
    )


def _failures(since, *conditions) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since, *conditions
        )
    )


def _pair_failures(email: str, address: str, since) -> int:
    """Failures of the pair since its last success (a person who got in is not held to the
    typing mistakes before)."""
    pair = (LoginAttempt.email == email, LoginAttempt.address == address)
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.succeeded.is_(True), *pair)
    )
    if last_success is not None and last_success.tzinfo is None:  # SQLite keeps no zone
        last_success = last_success.replace(tzinfo=UTC)
    if last_success is not None and last_success > since:
        since = last_success
    return _failures(since, *pair)


def begin_attempt(email: str, address: str, settings) -> int | None:
    """Record an attempt (committed), judge it against the recent failures, wait out any delay.

    Returns the attempt's id to settle afterwards, or None when the pair is refused.
    """
    attempt = LoginAttempt(email=email, address=address, succeeded=False)
    db.session.add(attempt)
    db.session.commit()
    since = utc_now() - timedelta(minutes=settings["LOGIN_THROTTLE_WINDOW_MINUTES"])
    verdict = judge(
        _pair_failures(email, address, since),
        _failures(since, LoginAttempt.email == email),
        _failures(since, LoginAttempt.address == address),
        limits(settings),
    )
    if verdict.refuse:
        # Not counted itself, so refusals do not keep the pair refused for ever.
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
        security_log.record("sign_in_refused", email=email, address=address)
        db.session.commit()
        return None
    if verdict.delay:
        security_log.record(
            "sign_in_slowed", email=email, address=address, detail=f"{verdict.delay:g} seconds"
        )
        db.session.commit()
        clock.sleep(verdict.delay)
    return attempt.id


def settle(attempt_id: int, succeeded: bool | None) -> None:
    """True: a sign-in; False: a failure (the row stays counted); None: neither (the row goes)."""
    if succeeded is None:
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    elif succeeded:
        db.session.execute(
            update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True)
        )


def _may_sign_in(user: User | None) -> bool:
    return user is not None and user.active and user.erased_at is None


def password_matches(user: User | None, password: str) -> bool:
    """Checked against a dummy hash when there is no usable account, so timing tells nothing."""
    usable = user is not None and user.password_hash
    stored = user.password_hash if usable else dummy_hash()
    return check_password_hash(stored, password) and bool(usable)


def sign_in(email: str, password: str, address: str, settings) -> SignInResult:
    """The password step. A deactivated or erased account is answered exactly as a wrong
    password is: the answer never confirms that a password is right."""
    email = email.strip().lower()[:254]
    address = (address or "unknown")[:64]
    attempt_id = begin_attempt(email, address, settings)
    if attempt_id is None:
        return SignInResult(None, THROTTLED)
    user = db.session.scalar(select(User).where(User.email == email))
    right = password_matches(user, password)
    if not (right and _may_sign_in(user)):
        detail = "wrong password" if not right else "account deactivated or erased"
        security_log.record(
            "sign_in_failed", user=user, email=email, address=address, detail=detail
        )
        db.session.commit()
        return SignInResult(None, WRONG)
    if user.two_factor_on:
        settle(attempt_id, None)  # only the code step's outcome counts
        db.session.commit()
        return SignInResult(user, needs_code=True)
    return _signed_in(user, attempt_id, address, "password")


def sign_in_with_code(user_id: int, code: str, address: str, settings) -> SignInResult:
    """The code step of two-factor sign-in: a code from the app (never one already used) or a
    one-time recovery code. A wrong code counts as a failed sign-in."""
    address = (address or "unknown")[:64]
    user = db.session.get(User, user_id)
    if user is None:
        return SignInResult(None, WRONG_CODE)
    attempt_id = begin_attempt(user.email, address, settings)
    if attempt_id is None:
        return SignInResult(None, THROTTLED)
    how = two_factor.accept_code(user, code) if _may_sign_in(user) else None
    if how is None:
        security_log.record("sign_in_failed", user=user, address=address, detail="wrong code")
        db.session.commit()
        return SignInResult(None, WRONG_CODE)
    if how == "a recovery code":
        security_log.record("recovery_code_used", user=user, address=address)
    return _signed_in(user, attempt_id, address, how)


def _signed_in(user: User, attempt_id: int, address: str, how: str) -> SignInResult:
    settle(attempt_id, True)
    user.last_login_at = utc_now()
    security_log.record("sign_in", user=user, address=address, detail=f"with {how}")
    db.session.commit()
    return SignInResult(user)
