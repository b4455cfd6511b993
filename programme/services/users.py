"""Accounts: creating users, changing roles, deactivating (signing in: services/sign_in.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from programme.domain.passwords import password_problems
from programme.domain.permissions import ROLES, permits
from programme.extensions import db
from programme.models import Membership, Programme, User
from programme.services import audit, membership_admin
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.transaction import transactional


def normalise_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email  # 0.05 s: not at start-up

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ServiceError(f"{email!r} is not a valid e-mail address: {error}.", "email") from None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password_policy(password: str, email: str = "", name: str = "") -> None:
    problems = password_problems(password, [email, name, *name.split()])
    if problems:
        raise ServiceError(problems[0], "password")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    return user


def require_user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise NotFound(f"There is no user with the e-mail address {email}.")
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))


def active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.name)))


def active_members(programme_id: int, roles=None) -> list[tuple[User, str]]:
    """The programme's active members with their role in it, by name; only those holding one of
    `roles` when given. Administrators are instance staff, not members: they are not listed."""
    query = (
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(User.active, Membership.programme_id == programme_id)
        .order_by(User.name, User.id)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(roles))
    return [(user, role) for user, role in db.session.execute(query)]


@transactional
def create_user(
    email: str,
    name: str,
    role: str,
    password: str | None,
    actor: User | None,
    programmes: Sequence[Programme] = (),
) -> User:
    """Add a user. With no password, they are invited: they cannot sign in until they choose one
    from an invitation link (services/account_mail.invite_new_user sends it).

    `programmes`: they become a member of each with `role` (refused for an administrator, who
    is instance-wide)."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ServiceError("Enter the person's name.", "name")
    if role not in ROLES:
        raise ServiceError(f"Role must be one of {', '.join(ROLES)}; {role!r} is not.", "role")
    if find_user(email):
        raise Conflict(f"A user with the e-mail address {email} already exists.", "email")
    if password is not None:
        check_password_policy(password, email, name)
    password_hash = hash_password(password) if password is not None else None
    user = User(email=email, name=name, role=role, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    invited = " (invited: no password yet)" if password is None else ""
    audit.record(
        actor,
        "create",
        "user",
        user.id,
        f"Added user {email} as {ROLES[role]}{invited}",
        after={"email": email, "name": name, "role": role, "invited": password is None},
    )
    membership_admin.add_to_programmes(user, programmes, role, actor)
    return user


@transactional
def change_role(user_id: int, role: str, actor: User) -> User:
    user = get_user(user_id)
    if role not in ROLES:
        raise ServiceError(f"Role must be one of {', '.join(ROLES)}.", "role")
    if user.id == actor.id and not permits(role, "manage_users"):
        # Otherwise the last administrator could lock everyone out of user management.
        raise ServiceError("You cannot remove your own administrator role.", "role")
    before = user.role
    if before != role:
        user.role = role
        user.session_version += 1  # new permissions start with a fresh sign-in
        audit.record(
            actor,
            "change_role",
            "user",
            user.id,
            f"Changed {user.email} from {ROLES[before]} to {ROLES[role]}",
            before={"role": before},
            after={"role": role},
        )
    return user


@transactional
def set_active(user_id: int, active: bool, actor: User) -> User:
    user = get_user(user_id)
    if user.id == actor.id and not active:
        raise ServiceError("You cannot deactivate your own account.")
    if user.active != active:
        user.active = active
        user.session_version += 1  # a deactivated user's open sessions end now
        verb = "Reactivated" if active else "Deactivated"
        audit.record(
            actor,
            "reactivate" if active else "deactivate",
            "user",
            user.id,
            f"{verb} {user.email}",
            before={"active": not active},
            after={"active": active},
        )
    return user


@transactional
def end_sessions(user: User) -> None:
    """Invalidate every cookie issued to this user (used at logout)."""
    user.session_version += 1
