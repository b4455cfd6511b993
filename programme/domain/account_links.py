"""Single-use account links as plain values: how long each kind lasts, what is kept of its token,
and why a presented link may not be used.

An invitation lets someone added by an administrator choose their first password; a password
reset lets someone who has forgotten theirs choose a new one. The token carries 256 random bits
and travels only in the e-mail: the database keeps its SHA-256, which is enough (there is no
guessable secret for a slow hash to protect, as there is with a password).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
LIFETIMES = {INVITATION: timedelta(days=7), PASSWORD_RESET: timedelta(hours=1)}

# Why a link cannot be used, most telling first.
UNKNOWN = "unknown"  # never issued, mistyped, tampered with, or issued for the other purpose
USED = "used"
DEACTIVATED = "deactivated"
REPLACED = "replaced"  # made void by a newer link, or by the password being set another way
EXPIRED = "expired"

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_link_token() -> str:
    """A fresh token: 32 random bytes from `secrets`, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def link_token_hash(token: str) -> str:
    """What is stored of a token, and what a presented token is looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A link's address in a message body: /invitation/<token> or /password/reset/<token>.
_LINK_IN_BODY = re.compile(r"(/invitation/|/password/reset/)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
REMOVED = "[link-removed-once-sent]"
LINK_KINDS = frozenset({INVITATION, PASSWORD_RESET})


def without_link_tokens(body: str) -> str:
    """A message body with its single-use links' tokens taken out. Only a token's hash is kept
    in the database: the body of a sent invitation or reset must not keep the token either,
    or anyone reading the outbox (or a backup) could use the link."""
    return _LINK_IN_BODY.sub(lambda match: match.group(1) + REMOVED, body)


def looks_like_token(token: str) -> bool:
    """Whether `token` has the shape of one we issue (anything else is not worth looking up)."""
    return bool(_TOKEN_SHAPE.fullmatch(token))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def link_problem(
    *,
    purpose: str,
    created_at: datetime,
    expires_at: datetime,
    used_at: datetime | None,
    user_active: bool,
    now: datetime,
) -> str | None:
    """Why a link found by its token cannot be used at `now`, or None when it can.

    A link made void early (a newer link of its kind, or a password set since) has had its
    expiry brought forward: it expires before its full lifetime is out.
    """
    if used_at is not None:
        return USED
    if not user_active:
        return DEACTIVATED
    created_at, expires_at = _aware(created_at), _aware(expires_at)
    if expires_at <= now:
        return REPLACED if expires_at < created_at + LIFETIMES[purpose] else EXPIRED
    return None
