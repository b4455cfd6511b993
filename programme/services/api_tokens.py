"""Personal API tokens: each user makes and revokes their own, and the API recognises them.

A token acts as its user, with the user's role as it is at the moment of each request; a revoked
token, or one whose user is deactivated, is not recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from programme.clock import utc_now
from programme.domain.api_tokens import display_prefix, name_problem, new_token, token_hash
from programme.extensions import db
from programme.models import ApiToken, User
from programme.services import audit
from programme.services.errors import Conflict, ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional

# "Last used" is shown to the minute; recording it more often would write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made. `secret` is the token itself: shown to its user once, never stored."""

    record: ApiToken
    secret: str = field(repr=False)  # so no log line or traceback ever prints it


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, those still working first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
            )
        )
    )


def get_token(user: User, token_id: int) -> ApiToken:
    """One of the user's tokens; another user's is as unknown as one that never existed."""
    return get_within(ApiToken, token_id, "user_id", user.id, "You have no token with that id.")


@transactional
def create_token(user: User, name: str) -> IssuedToken:
    problem = name_problem(name)
    if problem:
        raise ServiceError(problem, "name")
    _refuse_a_second_active(user, name.strip())
    secret = new_token()
    record = ApiToken(
        user_id=user.id,
        name=name.strip(),
        token_hash=token_hash(secret),
        prefix=display_prefix(secret),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        user,
        "create",
        "api_token",
        record.id,
        f"Created the API token “{record.name}” ({record.prefix}…) for {user.email}",
        after={"name": record.name, "prefix": record.prefix},
    )
    return IssuedToken(record, secret)


def _refuse_a_second_active(user: User, name: str) -> None:
    """One active token per name: the name is how a person tells their scripts' tokens apart,
    and refreshing the page that showed a new token (resubmitting its form) makes no second one."""
    clash = db.session.scalar(
        select(ApiToken.id).where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            func.lower(ApiToken.name) == name.lower(),
        )
    )
    if clash is not None:
        raise Conflict(
            f"You already have an active token called “{name}”. Choose another name, or revoke "
            "that one first.",
            "name",
        )


@transactional
def revoke_token(user: User, token_id: int) -> ApiToken:
    record = get_token(user, token_id)
    if record.revoked:
        raise Conflict(f"The token “{record.name}” is already revoked.")
    record.revoked_at = utc_now()
    audit.record(
        user,
        "revoke",
        "api_token",
        record.id,
        f"Revoked the API token “{record.name}” ({record.prefix}…) of {user.email}",
        before={"revoked": False},
        after={"revoked": True},
    )
    return record


@transactional
def authenticate(secret: str) -> User | None:
    """The active user a presented token belongs to, or None when it is unknown or revoked."""
    record = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash(secret))
        .options(joinedload(ApiToken.user))
    )
    if record is None or record.revoked or not record.user.active:
        return None
    moment = utc_now()
    if _older_than(record.last_used_at, moment - LAST_USED_RESOLUTION):
        record.last_used_at = moment
    return record.user


def _older_than(moment: datetime | None, limit: datetime) -> bool:
    if moment is None:
        return True
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment < limit
