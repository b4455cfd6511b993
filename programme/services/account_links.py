"""Single-use links to choose a password: issuing one, checking a presented one, using it once,
and making a user's outstanding links void.

Using a link sets the password, marks the link used with a conditional UPDATE (two browser tabs
racing to use it: one wins, the other is told the link was used), signs the user out of every
other session and audits it, all in one transaction.

Rate limits are counted in the database, from the links themselves (`created_at`,
`requested_from`): the web app runs in several processes, beside the scheduler and the CLI, and
they share nothing but the database. A counter in process memory (Flask-Limiter's default memory
store, say) would give each process its own allowance and forget it at every restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from programme.clock import utc_now
from programme.domain.account_links import (
    INVITATION,
    LIFETIMES,
    PASSWORD_RESET,
    UNKNOWN,
    USED,
    link_problem,
    link_token_hash,
    looks_like_token,
    new_link_token,
)
from programme.extensions import db
from programme.models import AccountLink, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.transaction import transactional
from programme.services.users import check_password_policy, hash_password

# Password reset e-mails: at most this many per e-mail address, and per network address asking,
# in any RESET_LIMIT_WINDOW. Past either, nothing is sent, and the answer is the same.
RESET_LIMIT_PER_EMAIL = 3
RESET_LIMIT_PER_ADDRESS = 20
RESET_LIMIT_WINDOW = timedelta(hours=1)


class LinkRefused(ServiceError):
    """A presented link cannot be used. `problem` says why (see programme.domain.account_links)."""

    def __init__(self, problem: str):
        super().__init__(f"This link cannot be used ({problem}).")
        self.problem = problem


@dataclass(frozen=True)
class IssuedLink:
    """A link just made. `token` is what the e-mail carries: never stored, never logged."""

    link: AccountLink
    token: str = field(repr=False)


@dataclass(frozen=True)
class CheckedLink:
    """A presented link: the record its token names (None when it names none) and why it cannot
    be used (None when it can)."""

    link: AccountLink | None
    problem: str | None

    @property
    def usable(self) -> bool:
        return self.problem is None


def void_links(user: User, purposes: tuple[str, ...] = (INVITATION, PASSWORD_RESET)) -> int:
    """End the user's unused links of these purposes now (in the caller's transaction), by
    bringing their expiry forward: a voided link reads as replaced. Returns how many."""
    now = utc_now()
    result = db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose.in_(purposes),
            AccountLink.used_at.is_(None),
            AccountLink.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


@transactional
def issue_link(user: User, purpose: str, requested_from: str | None = None) -> IssuedLink:
    """A new link for `user`; their earlier unused links of the same purpose become void."""
    if purpose not in LIFETIMES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    void_links(user, (purpose,))
    token = new_link_token()
    now = utc_now()
    link = AccountLink(
        user_id=user.id,
        purpose=purpose,
        token_hash=link_token_hash(token),
        created_at=now,
        expires_at=now + LIFETIMES[purpose],
        requested_from=(requested_from or None) and requested_from[:64],
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link, token)


def problem_of_link(link_id: int) -> str | None:
    """Why the link with this id can no longer be used (UNKNOWN when there is none), or None."""
    link = db.session.get(AccountLink, link_id)
    if link is None:
        return UNKNOWN
    return link_problem(
        purpose=link.purpose,
        created_at=link.created_at,
        expires_at=link.expires_at,
        used_at=link.used_at,
        user_active=link.user.active,
        now=utc_now(),
    )


def check_link(token: str, purpose: str) -> CheckedLink:
    """What a presented token names, and whether it can be used now. Changes nothing.

    A token of the other purpose (a reset link pasted into an invitation address) is as unknown
    as one never issued.
    """
    if not looks_like_token(token):
        return CheckedLink(None, UNKNOWN)
    link = db.session.scalar(
        select(AccountLink)
        .where(AccountLink.token_hash == link_token_hash(token), AccountLink.purpose == purpose)
        .options(joinedload(AccountLink.user))
    )
    if link is None:
        return CheckedLink(None, UNKNOWN)
    problem = link_problem(
        purpose=link.purpose,
        created_at=link.created_at,
        expires_at=link.expires_at,
        used_at=link.used_at,
        user_active=link.user.active,
        now=utc_now(),
    )
    return CheckedLink(link, problem)


_USE_AUDIT = {
    INVITATION: ("accept_invitation", "{email} joined: chose a password from their invitation"),
    PASSWORD_RESET: ("reset_password", "{email} reset their password from an e-mailed link"),
}


@transactional
def use_link(token: str, purpose: str, password: str) -> User:
    """Set the user's password from a link, once.

    Raises LinkRefused when the link cannot be used, or ServiceError (field "password") when the
    password fails the policy: either way nothing changes and the link stays as it was.
    """
    checked = check_link(token, purpose)
    if not checked.usable:
        raise LinkRefused(checked.problem)
    link = checked.link
    user = link.user
    check_password_policy(password, user.email, user.name)
    now = utc_now()
    # Conditional: of two requests racing with the same link, only one finds it unused (on
    # PostgreSQL the second waits for the first's row lock, then matches nothing).
    claimed = db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.id == link.id,
            AccountLink.used_at.is_(None),
            AccountLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise LinkRefused(USED)
    db.session.expire(link)
    user.password_hash = hash_password(password)
    # Every other session of the user ends: their cookies carry the old number.
    user.session_version = User.session_version + 1
    void_links(user)  # any other link still out there
    action, summary = _USE_AUDIT[purpose]
    audit.record(user, action, "user", user.id, summary.format(email=user.email))
    db.session.flush()
    return user


def _resets_since(column, value, since: datetime) -> int:
    return db.session.scalar(
        select(func.count(AccountLink.id)).where(
            column == value,
            AccountLink.purpose == PASSWORD_RESET,
            AccountLink.created_at > since,
        )
    )


def reset_limit_reached(user: User, requested_from: str | None) -> bool:
    """Whether another reset e-mail would pass a limit: RESET_LIMIT_PER_EMAIL for the user's
    address, RESET_LIMIT_PER_ADDRESS for the network address asking, in RESET_LIMIT_WINDOW.

    Counted from the database (see the module's docstring). Callers lock the user's row first,
    so requests for one address made at the same moment are counted one after the other.
    """
    since = utc_now() - RESET_LIMIT_WINDOW
    if _resets_since(AccountLink.user_id, user.id, since) >= RESET_LIMIT_PER_EMAIL:
        return True
    return bool(
        requested_from
        and _resets_since(AccountLink.requested_from, requested_from[:64], since)
        >= RESET_LIMIT_PER_ADDRESS
    )
