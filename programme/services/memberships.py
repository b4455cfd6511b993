"""Which role a user holds in which programme. Administrators are instance-wide: they hold the
admin role in every programme. Everyone else holds the role of their membership, or none.

The roles are read once per user object (one query) and kept on it, so a request that asks
about several programmes or many permissions costs no more queries.
"""

from __future__ import annotations

from sqlalchemy import select

from programme.extensions import db
from programme.models import Membership, User

_CACHE = "_roles_by_programme"


def roles_by_programme(user: User) -> dict[int, str]:
    """{programme id: role} for a user who is not an administrator."""
    cached = user.__dict__.get(_CACHE)
    if cached is None:
        rows = db.session.execute(
            select(Membership.programme_id, Membership.role).where(Membership.user_id == user.id)
        )
        cached = {programme_id: role for programme_id, role in rows}
        user.__dict__[_CACHE] = cached
    return cached


def forget_roles(user: User) -> None:
    """Drop the kept roles after a membership of `user` changed within the same request."""
    user.__dict__.pop(_CACHE, None)


def role_in(user: User, programme_id: int) -> str | None:
    """The role `user` holds in the programme, or None when they are not a member."""
    if user.is_admin:
        return "admin"
    return roles_by_programme(user).get(programme_id)


def is_member(user: User, programme_id: int) -> bool:
    return role_in(user, programme_id) is not None


def visible_programme_ids(user: User) -> set[int] | None:
    """The programmes `user` may see: None means every one (an administrator)."""
    if user.is_admin:
        return None
    return set(roles_by_programme(user))
