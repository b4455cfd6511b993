"""The role taxonomy: agencies, the programme's roles, and which statuses count as recruited."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import func, select

from programme.domain.audit_changes import fields_in_words
from programme.domain.formatting import long_date
from programme.domain.recruitment import POST_STATUSES, Taxonomy, load_taxonomy
from programme.domain.slugs import name_key
from programme.extensions import db
from programme.models import Programme, Role, User
from programme.seed_files import ROLES_FILE
from programme.services import audit
from programme.services.errors import Conflict, ServiceError
from programme.services.keys import free_key
from programme.services.lookup import get_within
from programme.services.transaction import transactional


@cache
def taxonomy() -> Taxonomy:
    """The default roles and the agencies, from seed/roles.toml."""
    return load_taxonomy(ROLES_FILE)


def agencies() -> dict[str, str]:
    """Employing agencies, key -> label, in the order of the seed file."""
    return {agency.key: agency.label for agency in taxonomy().agencies}


def agency_label(key: str) -> str:
    return agencies().get(key, key)


def get_role(programme: Programme, role_id: int) -> Role:
    return get_within(
        Role, role_id, "programme_id", programme.id, f"{programme.name} has no role {role_id}."
    )


def _clean_names(names: list[str], name: str) -> list[str]:
    """Distinct spreadsheet names, without the role's own name."""
    seen, cleaned = {name.casefold()}, []
    for entry in (n.strip() for n in names):
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            cleaned.append(entry[:120])
    return cleaned


def _check_role(programme: Programme, name: str, agency: str, role: Role | None = None) -> None:
    if not name:
        raise ServiceError("Enter the role's name.", "name")
    if len(name) > 120:
        raise ServiceError("A role's name must be 120 characters or fewer.", "name")
    if agency not in agencies():
        raise ServiceError("Choose the agency that usually employs this role.", "agency")
    clash = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, func.lower(Role.name) == name.lower())
    )
    if clash is not None and clash is not role:
        raise Conflict(f"{programme.name} already has a role called “{clash.name}”.", "name")


@transactional
def create_role(
    programme: Programme,
    actor: User | None,
    *,
    name: str,
    adult_specialist: bool,
    agency: str,
    names: list[str],
) -> Role:
    name = name.strip()
    _check_role(programme, name, agency)
    role = Role(
        programme=programme,
        # The key stays as made when the role is renamed: seeds and spreadsheets may use it.
        key=free_key(programme, Role.key, name_key(name, "role", max_length=70)),
        name=name,
        adult_specialist=adult_specialist,
        agency=agency,
        names=_clean_names(names, name),
        position=len(programme.roles),
    )
    db.session.add(role)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "role",
        role.id,
        f"Added role {name}",
        programme_id=programme.id,
        after=_role_values(role),
    )
    return role


def _role_values(role: Role) -> dict:
    return {
        "name": role.name,
        "adult_specialist": role.adult_specialist,
        "agency": role.agency,
        "names": list(role.names),
    }


@transactional
def update_role(
    role: Role,
    actor: User | None,
    *,
    name: str,
    adult_specialist: bool,
    agency: str,
    names: list[str],
    today: date | None = None,
) -> Role:
    """Change a role. A change to whether it is an adult specialist is dated (`today`), so the
    readiness pages can say from when the role has counted toward the recruitment criterion."""
    name = name.strip()
    _check_role(role.programme, name, agency, role)
    before = _role_values(role)
    if adult_specialist != role.adult_specialist:
        if today is None:
            raise ValueError("today is needed to date a change to the adult-specialist flag")
        role.adult_specialist_changed_on = today
    role.name, role.adult_specialist, role.agency = name, adult_specialist, agency
    role.names = _clean_names(names, name)
    old, new = audit.changed_fields(before, _role_values(role))
    if new:
        audit.record(
            actor,
            "update",
            "role",
            role.id,
            f"Changed role {name}: {fields_in_words('role', new)}",
            programme_id=role.programme_id,
            before=old,
            after=new,
        )
    return role


def flag_notes(programme: Programme) -> list[str]:
    """For each role whose adult-specialist flag was changed, from when it applies, for the
    readiness and roles pages ("Psychologist: not an adult specialist since 2 December 2026.")."""
    return [
        f"{role.name}: {'an' if role.adult_specialist else 'not an'} adult specialist since "
        f"{long_date(role.adult_specialist_changed_on)}."
        for role in programme.roles
        if role.adult_specialist_changed_on is not None
    ]


@transactional
def set_recruited_statuses(programme: Programme, statuses: list[str], actor: User | None) -> None:
    """Choose which pipeline statuses count as recruited for this programme's gate."""
    chosen = [status.value for status in POST_STATUSES if status.value in set(statuses or ())]
    if not chosen:
        raise ServiceError("Choose at least one status that counts as recruited.", "statuses")
    before = list(programme.recruited)
    if chosen != before:
        programme.recruited_statuses = chosen
        audit.record(
            actor,
            "update",
            "programme",
            programme.id,
            "Changed which statuses count as recruited",
            programme_id=programme.id,
            before={"recruited": before},
            after={"recruited": chosen},
        )
