"""Test helpers for two-factor sign-in: turning it on for a user, and the codes their app shows."""

from __future__ import annotations

import pyotp

from programme.clock import utc_now
from programme.domain.totp import STEP_SECONDS, recovery_code_hash
from programme.extensions import db
from programme.models import RecoveryCode, User


def turn_on_two_factor(user: User, recovery_codes: tuple[str, ...] = ()) -> str:
    """Turn two-factor sign-in on for `user` (as if they had set it up); return the secret."""
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.totp_enabled_at = utc_now()
    user.totp_last_step = None
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=recovery_code_hash(code)) for code in recovery_codes
    )
    db.session.commit()
    return secret


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` time steps from now)."""
    moment = int(utc_now().timestamp()) + STEP_SECONDS * steps_ahead
    return pyotp.TOTP(secret).at(moment)
