"""Partner organisations: the programme's employers, added, renamed, retyped and given the other
names spreadsheets call them; and the organisation a post of some type goes to by default.

Merging two organisations is in `organisation_merge.py`; what each employs in
`organisation_summaries.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from programme.domain.audit_changes import fields_in_words
from programme.domain.organisations import CONTACT_LENGTH, NAME_LENGTH, clean_names, name_key
from programme.extensions import db
from programme.models import Organisation, Programme, User
from programme.services import audit
from programme.services.errors import Conflict, ServiceError
from programme.services.lookup import get_within
from programme.services.recruitment.roles import agencies
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional


def organisations_of(programme: Programme) -> list[Organisation]:
    """The programme's organisations, by name."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.programme_id == programme.id)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def get_organisation(programme: Programme, organisation_id: int) -> Organisation:
    return get_within(
        Organisation,
        organisation_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no organisation {organisation_id}.",
    )


def type_label(type: str) -> str:
    return agencies().get(type, type)


def organisation_values(organisation: Organisation) -> dict:
    """What an edit may change, for the audit trail."""
    return {
        "name": organisation.name,
        "type": organisation.type,
        "names": list(organisation.names),
        "agreement_signed_on": organisation.agreement_signed_on,
        "contact": organisation.contact,
    }


def _audit(actor: User | None, action: str, organisation: Organisation, summary: str, **change):
    audit.record(
        actor,
        action,
        "organisation",
        organisation.id,
        summary,
        programme_id=organisation.programme_id,
        **change,
    )


def _names_held(
    programme: Programme, exclude: Organisation | None = None
) -> dict[str, Organisation]:
    """Every name (and alternative name) of the programme's other organisations, by its key."""
    held: dict[str, Organisation] = {}
    for organisation in organisations_of(programme):
        if organisation is not exclude:
            for name in (organisation.name, *organisation.names):
                held.setdefault(name_key(name), organisation)
    return held


def _clash(holder: Organisation, name: str) -> str:
    if name_key(holder.name) == name_key(name):
        return f"There is already an organisation called “{holder.name}”."
    return f"“{name}” is already another name of {holder.name}."


def _checked_name(name: str, held: dict[str, Organisation]) -> str:
    name = (name or "").strip()
    if not name_key(name):
        raise ServiceError("Enter the organisation's name.", "name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(f"The name must be {NAME_LENGTH} characters or fewer.", "name")
    holder = held.get(name_key(name))
    if holder is not None:
        raise Conflict(_clash(holder, name), "name")
    return name


def _checked_type(type: str) -> str:
    if type not in agencies():
        raise ServiceError("Choose the type of organisation.", "type")
    return type


def _checked_names(names: Iterable[str], name: str, held: dict[str, Organisation]) -> list[str]:
    cleaned = clean_names(names, name)
    for alternative in cleaned:
        if len(alternative) > NAME_LENGTH:
            raise ServiceError(
                f"Each other name must be {NAME_LENGTH} characters or fewer; “{alternative[:40]}…” "
                "is longer.",
                "names",
            )
        holder = held.get(name_key(alternative))
        if holder is not None:
            raise Conflict(_clash(holder, alternative), "names")
    return cleaned


def _checked_contact(contact: str | None) -> str:
    contact = (contact or "").strip()
    if len(contact) > CONTACT_LENGTH:
        raise ServiceError(f"The contact must be {CONTACT_LENGTH} characters or fewer.", "contact")
    return contact


@transactional
def create_organisation(
    programme: Programme,
    name: str,
    type: str,
    actor: User | None,
    *,
    names: Iterable[str] = (),
    agreement_signed_on: date | None = None,
    contact: str = "",
    import_id: int | None = None,
) -> Organisation:
    """Add an organisation; `import_id` names the spreadsheet import adding it, if one is."""
    held = _names_held(programme)
    name = _checked_name(name, held)
    with db.session.no_autoflush:
        organisation = Organisation(
            programme_id=programme.id,
            name=name,
            type=_checked_type(type),
            names=_checked_names(names, name, held),
            agreement_signed_on=agreement_signed_on,
            contact=_checked_contact(contact),
            import_id=import_id,
        )
    db.session.add(organisation)
    db.session.flush()
    _audit(
        actor,
        "create",
        organisation,
        f"Added the organisation {name}"
        + ("" if name == type_label(type) else f" ({type_label(type)})"),
        after=organisation_values(organisation),
    )
    return organisation


def _changed_since_opened(organisation: Organisation) -> str:
    return (
        f"Someone else changed {organisation.name} after you opened it. Your changes were not "
        "saved: review the current values and make your change again."
    )


@transactional
def update_organisation(
    organisation: Organisation,
    actor: User | None,
    *,
    name: str,
    type: str,
    names: Iterable[str],
    agreement_signed_on: date | None,
    contact: str,
    expected_version: int | None = None,
) -> list[str]:
    """Change an organisation; returns the fields that changed (none: nothing written). A new
    name keeps the old one as an alternative name, so files that use it still match."""
    refuse_if_stale(organisation, expected_version, _changed_since_opened(organisation))
    held = _names_held(organisation.programme, organisation)
    old_name = organisation.name
    name = _checked_name(name, held)
    names = list(names)
    if name_key(name) != name_key(old_name):
        names.append(old_name)
    after = {
        "name": name,
        "type": _checked_type(type),
        "names": _checked_names(names, name, held),
        "agreement_signed_on": agreement_signed_on,
        "contact": _checked_contact(contact),
    }
    old, new = audit.changed_fields(organisation_values(organisation), after)
    if not new:
        return []
    for field, value in new.items():
        setattr(organisation, field, value)
    _audit(
        actor,
        "update",
        organisation,
        f"Changed the organisation {name}: {fields_in_words('organisation', new)}",
        before=old,
        after=new,
    )
    flush_or_refuse(_changed_since_opened(organisation))
    return list(new)


@transactional
def add_alternative_name(organisation: Organisation, name: str, actor: User | None) -> bool:
    """Another name for the organisation (what a spreadsheet calls it); False when it already
    has that name. A name another organisation has is refused."""
    name = (name or "").strip()
    if not name_key(name):
        raise ServiceError("Enter the other name.", "name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(f"The name must be {NAME_LENGTH} characters or fewer.", "name")
    if name_key(name) in {name_key(n) for n in (organisation.name, *organisation.names)}:
        return False
    holder = _names_held(organisation.programme, organisation).get(name_key(name))
    if holder is not None:
        raise Conflict(_clash(holder, name), "name")
    before = list(organisation.names)
    organisation.names = [*before, name]
    _audit(
        actor,
        "update",
        organisation,
        f"Added “{name}” as another name of {organisation.name}",
        before={"names": before},
        after={"names": list(organisation.names)},
    )
    db.session.flush()
    return True


def default_organisations(
    programme: Programme, among: list[Organisation] | None = None
) -> dict[str, Organisation]:
    """For each type the programme has an organisation of, the one a post of that type goes to
    when nothing names its employer: the first of that type by name. `among`: the programme's
    organisations, by name, when the caller has them already."""
    chosen: dict[str, Organisation] = {}
    for organisation in organisations_of(programme) if among is None else among:
        chosen.setdefault(organisation.type, organisation)
    return chosen


def _free_name(programme: Programme, name: str) -> str:
    taken = _names_held(programme)
    candidate, number = name, 1
    while name_key(candidate) in taken:
        number += 1
        candidate = f"{name} {number}"
    return candidate


@transactional
def organisation_for_type(
    programme: Programme, type: str, actor: User | None = None, *, import_id: int | None = None
) -> Organisation:
    """The programme's organisation of `type` (the first by name, if it has several), else a
    new one named after the type ("Probation"): where a post goes when nothing names its
    employer, such as a post made from an establishment template."""
    _checked_type(type)
    found = default_organisations(programme).get(type)
    if found is not None:
        return found
    name = _free_name(programme, type_label(type))
    return create_organisation(programme, name, type, actor, import_id=import_id)
