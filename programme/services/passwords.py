"""A signed-in user changing their own password (their current one required)."""

from __future__ import annotations

from programme.extensions import db
from programme.models import User
from programme.services import audit, security_log, sign_in
from programme.services.account_links import void_links
from programme.services.errors import ServiceError
from programme.services.transaction import transactional
from programme.services.users import check_password_policy, hash_password


class WrongPassword(ServiceError):
    """The current password given is not right (the failure is recorded, as at sign-in)."""


def change_password(user: User, current: str, new: str, address: str, settings: dict) -> User:
    """Change `user`'s password and end their other sessions (the caller signs this one in again
    with the new session number). Audited.

    A wrong current password counts as a failed sign-in, so guessing it here is throttled as
    guessing it on the sign-in page is. Any invitation or reset link still out is made void.
    """
    address = (address or "unknown")[:64]
    attempt_id = sign_in.begin_attempt(user.email, address, settings)
    if attempt_id is None:
        raise WrongPassword(
            "Too many wrong passwords. Wait 15 minutes and try again.", "current_password"
        )
    if not sign_in.password_matches(user, current):
        security_log.record(
            "sign_in_failed", user=user, address=address, detail="wrong current password"
        )
        db.session.commit()
        raise WrongPassword("Your current password is not right.", "current_password")
    sign_in.settle(attempt_id, None)  # not a sign-in: only failures count
    db.session.commit()
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
