"""Who wants the weekly digest (and which of its parts), and the signed link every digest carries
to turn it off without signing in (RFC 8058 one-click unsubscribe).

The link's token is signed with SECRET_KEY (itsdangerous, salt "digest-unsubscribe") and names
the user and the address the digest was sent to: a link in a message sent to an old address
stops working once the address changes, and so does one that was tampered with. It never
expires, so an e-mail from months ago still unsubscribes. The address is carried as a short
fingerprint, not in clear, so the link does not spell the address out in logs or histories.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Iterable

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from programme.domain.permissions import permits
from programme.extensions import db
from programme.models import DigestPreference, User
from programme.models.mail import DIGEST_PARTS
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.mail.compose import app_url
from programme.services.transaction import transactional

SALT = "digest-unsubscribe"


class BadUnsubscribeLink(ServiceError):
    """The token was altered, names nobody, or was sent to an address the user no longer has."""

    def __init__(self) -> None:
        super().__init__(
            "This unsubscribe link does not work. It may have been cut short or changed when it "
            "was copied, or it was sent to an e-mail address the account no longer uses."
        )


# ----------------------------------------------------------------------------- the link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _address_fingerprint(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:20]


def unsubscribe_token(user: User) -> str:
    """The signed token naming `user` and their current address."""
    return _serializer().dumps([user.id, _address_fingerprint(user.email)])


def unsubscribe_url(user: User) -> str:
    """The absolute address (on APP_BASE_URL) that unsubscribes `user`, no sign-in needed."""
    return app_url("mail.unsubscribe", token=unsubscribe_token(user))


def unsubscribe_headers(user: User) -> dict[str, str]:
    """The headers a digest carries so mail programs offer one-click unsubscribe (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def user_for_token(token: str) -> User:
    """The user a token names, if it is untouched and names their current address."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        raise BadUnsubscribeLink() from None
    match payload:
        case [int(user_id), str(fingerprint)]:
            pass
        case _:  # signed by us, but not a token of this shape: never accept it
            raise BadUnsubscribeLink()
    user = db.session.get(User, user_id)
    if user is None or not hmac.compare_digest(fingerprint, _address_fingerprint(user.email)):
        raise BadUnsubscribeLink()
    return user


# ----------------------------------------------------------------------------- preferences


def _everything_on(user_id: int) -> DigestPreference:
    return DigestPreference(user_id=user_id, enabled=True, **dict.fromkeys(DIGEST_PARTS, True))


def preferences_of(user: User) -> DigestPreference:
    """The user's saved preferences, or (unsaved) everything on when they never changed any.

    The digest planner asks `.enabled` and `.wants(part)`.
    """
    return db.session.get(DigestPreference, user.id) or _everything_on(user.id)


def preferences_by_user(users: Iterable[User]) -> dict[int, DigestPreference]:
    """`preferences_of` for many users in one query, keyed by user id."""
    ids = [user.id for user in users]
    saved = {
        row.user_id: row
        for row in db.session.scalars(
            select(DigestPreference).where(DigestPreference.user_id.in_(ids))
        )
    }
    return {user_id: saved.get(user_id) or _everything_on(user_id) for user_id in ids}


def _state(preference: DigestPreference) -> dict[str, bool]:
    return {
        "enabled": bool(preference.enabled),
        **{part: bool(getattr(preference, part)) for part in DIGEST_PARTS},
    }


def _saved_row(user: User) -> DigestPreference:
    row = db.session.get(DigestPreference, user.id)
    if row is None:
        row = _everything_on(user.id)
        db.session.add(row)
    return row


def _describe(email: str, after: dict[str, bool]) -> str:
    changes = []
    if "enabled" in after:
        changes.append("the weekly digest " + ("on" if after["enabled"] else "off"))
    turned_on = [part for part in DIGEST_PARTS if after.get(part) is True]
    turned_off = [part for part in DIGEST_PARTS if after.get(part) is False]
    if turned_on:
        changes.append(", ".join(turned_on) + " on")
    if turned_off:
        changes.append(", ".join(turned_off) + " off")
    return f"Turned {'; '.join(changes)} for {email}"


@transactional
def save_preferences(
    user: User, enabled: bool, parts: Collection[str], actor: User | None
) -> DigestPreference:
    """Save whether `user` gets the digest and which parts (`parts`: those turned on)."""
    unknown = sorted(set(parts) - set(DIGEST_PARTS))
    if unknown:
        raise ServiceError(
            f"The digest has no part called {', '.join(map(repr, unknown))}: "
            f"choose from {', '.join(DIGEST_PARTS)}.",
            "parts",
        )
    if actor is not None and actor.id != user.id and not permits(actor.role, "manage_users"):
        raise ServiceError("You can only change your own e-mail reminders.")
    row = _saved_row(user)
    before = _state(row)
    row.enabled = bool(enabled)
    for part in DIGEST_PARTS:
        setattr(row, part, part in parts)
    was, now = audit.changed_fields(before, _state(row))
    if now:
        audit.record(
            actor,
            "change_digest",
            "digest_preference",
            user.id,
            _describe(user.email, now),
            before=was,
            after=now,
        )
    return row


@transactional
def unsubscribe(token: str) -> User:
    """Turn the digest off for the user the token names. Doing it again changes nothing more.

    Raises BadUnsubscribeLink, changing nothing, when the token does not check out.
    """
    user = user_for_token(token)
    row = _saved_row(user)
    if row.enabled:
        row.enabled = False
        audit.record(
            user,
            "unsubscribe",
            "digest_preference",
            user.id,
            f"Turned the weekly digest off for {user.email} with the link in a digest",
            before={"enabled": True},
            after={"enabled": False},
        )
    return user
