"""A signed-in user changing their own password (their current one required)."""

from __future__ import annotations

from werkzeug.security import check_password_hash

from programme.extensions import db
from programme.models import LoginAttempt, User
from programme.services import audit
from programme.services.account_links import void_links
from programme.services.errors import ServiceError
from programme.services.transaction import transactional
from programme.services.users import check_password_policy, hash_password, throttled


class WrongPassword(ServiceError):
    """The current password given is not right (the failure is recorded, as at sign-in)."""


@transactional
def _record_failure(user: User, address: str) -> None:
    db.session.add(LoginAttempt(email=user.email, address=address, succeeded=False))


def change_password(user: User, current: str, new: str, address: str, settings: dict) -> User:
    """Change `user`'s password and end their other sessions (the caller signs this one in again
    with the new session number). Audited.

    A wrong current password counts as a failed sign-in, so guessing it here is throttled as
    guessing it on the sign-in page is. Any invitation or reset link still out is made void.
    """
    address = (address or "unknown")[:64]
    if throttled(user.email, address, settings):
        raise WrongPassword(
            "Too many wrong passwords. Wait 15 minutes and try again.", "current_password"
        )
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        _record_failure(user, address)
        raise WrongPassword("Your current password is not right.", "current_password")
    if current == new:
        raise ServiceError("Your new password must be different from your current one.", "password")
    return _set_password(user, new)


@transactional
def _set_password(user: User, new: str) -> User:
    check_password_policy(new, user.email, user.name)
    user.password_hash = hash_password(new)
    user.session_version = User.session_version + 1  # every other session ends
    void_links(user)
    audit.record(user, "change_password", "user", user.id, f"{user.email} changed their password")
    return user
