"""Time-based one-time codes (RFC 6238, as authenticator apps make them) and recovery codes."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code from the step before or after is accepted too (clocks drift)
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def looks_like_totp(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", normalise_code(code)))


def matching_step(secret: str, code: str, moment: datetime, last_step: int | None) -> int | None:
    """The time step whose code `code` is, within the drift allowed, if it is later than
    `last_step` (a code once accepted is never accepted again); None otherwise."""
    code = normalise_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(moment.timestamp()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes like `k7m2q-x9prt` (50 bits each)."""

    def one() -> str:
        letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        return f"{letters[:5]}-{letters[5:]}"

    return [one() for _ in range(count)]


def recovery_code_hash(code: str) -> str:
    """Codes are random and long, so a plain digest is enough to keep them unreadable."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()
