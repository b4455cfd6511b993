"""Managing who belongs to which programme, and in what role: adding a member, changing their
role, removing them. Administrators do it for any programme, programme managers for their own
(the views decide who may ask; these rules hold whoever asks).

Every change is audited on the programme's trail. Refused: an administrator as a member (they are
instance-wide), an unknown role, a second membership of the same programme, and leaving a
programme without an active programme manager.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from programme.domain.permissions import INSTANCE_WIDE_ROLES, MEMBER_ROLES, ROLES, permits
from programme.extensions import db
from programme.models import Membership, Programme, User
from programme.services import audit
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.memberships import forget_roles
from programme.services.transaction import transactional

# The member roles that may manage a programme's members: a programme keeps one such member.
MANAGING_ROLES = tuple(role for role in MEMBER_ROLES if permits(role, "manage_members"))


def members_of(programme: Programme) -> list[Membership]:
    """The programme's memberships, active people first, then by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.programme_id == programme.id)
            .order_by(User.active.desc(), User.name, User.email)
        )
    )


def memberships_of(user: User) -> list[Membership]:
    """A user's memberships, by programme name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Programme, Programme.id == Membership.programme_id)
            .where(Membership.user_id == user.id)
            .order_by(Programme.name)
        )
    )


def programme_names_by_user() -> dict[int, list[str]]:
    """{user id: the names of the programmes they belong to}, in one query (the users list)."""
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(Membership.user_id, Programme.name)
        .join(Programme, Programme.id == Membership.programme_id)
        .order_by(Programme.name)
    )
    for user_id, name in rows:
        names.setdefault(user_id, []).append(name)
    return names


def membership(user: User, programme: Programme) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.programme_id == programme.id
        )
    )


def require_membership(user: User, programme: Programme) -> Membership:
    found = membership(user, programme)
    if found is None:
        raise NotFound(f"{user.email} is not a member of {programme.name}.")
    return found


def programmes_named(slugs: Iterable[str]) -> list[Programme]:
    """The programmes with these slugs (each once, in the order given); an unknown slug is
    refused, naming it."""
    found: list[Programme] = []
    for slug in dict.fromkeys(slug.strip() for slug in slugs):
        programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
        if programme is None:
            raise NotFound(f"There is no programme with the slug {slug!r}.", "programme")
        found.append(programme)
    return found


def _check_role(role: str) -> None:
    if role in INSTANCE_WIDE_ROLES:
        raise ServiceError(
            "Administrators are instance-wide: they see every programme and need no membership. "
            "Choose another role.",
            "role",
        )
    if role not in MEMBER_ROLES:
        raise ServiceError(
            f"Role must be one of {', '.join(MEMBER_ROLES)}; {role!r} is not.", "role"
        )


def _check_not_admin(user: User) -> None:
    if user.is_admin:
        raise ServiceError(
            f"{user.email} is an administrator: administrators are instance-wide and belong to "
            "every programme already.",
            "email",
        )


def _check_a_manager_stays(found: Membership, programme: Programme) -> None:
    """Refuse to leave the programme without an active programme manager."""
    if found.role not in MANAGING_ROLES or not found.user.active:
        return
    others = db.session.scalar(
        select(func.count(Membership.id))
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.programme_id == programme.id,
            Membership.role.in_(MANAGING_ROLES),
            Membership.user_id != found.user_id,
            User.active.is_(True),
        )
    )
    if not others:
        raise ServiceError(
            f"{found.user.name} is the last programme manager of {programme.name}: make someone "
            "else its programme manager first, so that someone can still manage it.",
            "role",
        )


def _lock(programme: Programme) -> None:
    """Serialise membership changes of one programme (PostgreSQL), so two managers removing
    each other at the same moment cannot leave it with none."""
    db.session.execute(select(Programme.id).where(Programme.id == programme.id).with_for_update())


@transactional
def add_member(user: User, programme: Programme, role: str, actor: User | None) -> Membership:
    _check_role(role)
    _check_not_admin(user)
    existing = membership(user, programme)
    if existing is not None:
        raise Conflict(
            f"{user.email} is already a member of {programme.name}, as "
            f"{ROLES[existing.role]}: change their role instead.",
            "email",
        )
    added = Membership(user_id=user.id, programme_id=programme.id, role=role)
    db.session.add(added)
    db.session.flush()
    audit.record(
        actor,
        "add_member",
        "membership",
        added.id,
        f"Added {user.email} to {programme.name} as {ROLES[role]}",
        programme_id=programme.id,
        after={"email": user.email, "role": role},
    )
    forget_roles(user)
    return added


@transactional
def add_to_programmes(
    user: User, programmes: Iterable[Programme], role: str, actor: User | None
) -> list[Membership]:
    return [add_member(user, programme, role, actor) for programme in programmes]


@transactional
def change_member_role(
    user: User, programme: Programme, role: str, actor: User | None
) -> Membership:
    _check_role(role)
    _lock(programme)
    found = require_membership(user, programme)
    if found.role == role:
        return found
    if role not in MANAGING_ROLES:
        _check_a_manager_stays(found, programme)
    before = found.role
    found.role = role
    audit.record(
        actor,
        "change_member_role",
        "membership",
        found.id,
        f"Changed {user.email} in {programme.name} from {ROLES[before]} to {ROLES[role]}",
        programme_id=programme.id,
        before={"role": before},
        after={"role": role},
    )
    forget_roles(user)
    return found


@transactional
def remove_member(user: User, programme: Programme, actor: User | None) -> None:
    _lock(programme)
    found = require_membership(user, programme)
    _check_a_manager_stays(found, programme)
    audit.record(
        actor,
        "remove_member",
        "membership",
        found.id,
        f"Removed {user.email} from {programme.name} (was {ROLES[found.role]})",
        programme_id=programme.id,
        before={"email": user.email, "role": found.role},
    )
    db.session.delete(found)
    db.session.flush()
    forget_roles(user)
