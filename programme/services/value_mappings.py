"""Value mappings: the user says once which known value a spreadsheet's own word stands for.

In a web preview the choices are kept on the import and remembered for the programme when it is
applied: as another name of the role or organisation (editable on their pages), or as a
remembered name of a locality, team or status (listed, and removable, on the imports page). A
CLI `--map` has the same effect for one run and is not remembered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from programme.domain.imports import ImportField, ImportPlan, columns_for
from programme.domain.numbers import whole_number
from programme.domain.programme_names import (
    Lookups,
)
from programme.domain.recruitment import POST_STATUSES
from programme.domain.spreadsheet import normalise
from programme.domain.value_mapping import (
    MAPPABLE_FIELDS,
    NEW_ORGANISATION_TYPES,
    NEW_TYPE_PREFIX,
    ValueChoice,
    ValueMappings,
    add_mappings,
    key_of,
    known_values,
    organisation_choices,
    parse_map_option,
    value_choices,
)
from programme.extensions import db
from programme.models import (
    ImportRecord,
    Locality,
    Organisation,
    Programme,
    Role,
    Team,
    User,
    ValueAlias,
)
from programme.services import audit, organisations
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.recruitment.roles import agencies
from programme.services.transaction import transactional


def remembered(programme: Programme) -> dict[str, dict[str, str]]:
    """The names remembered for the programme's localities, teams and statuses."""
    mappings: dict[str, dict[str, str]] = {}
    for alias in aliases_of(programme):
        mappings.setdefault(alias.field, {})[alias.name] = alias.target
    return mappings


def aliases_of(programme: Programme) -> list[ValueAlias]:
    return list(
        db.session.scalars(
            select(ValueAlias)
            .where(ValueAlias.programme_id == programme.id)
            .order_by(ValueAlias.field, ValueAlias.name)
        )
    )


def with_mappings(lookups: Lookups, programme: Programme, mappings: ValueMappings) -> Lookups:
    """The lookups, also finding the programme's remembered names and this run's mappings."""
    add_mappings(lookups, remembered(programme))
    add_mappings(lookups, mappings)
    return lookups


@transactional
def choose(
    record: ImportRecord, lookups: Lookups, choices: Mapping[str, Mapping[str, str]]
) -> None:
    """Keep the user's choices for this import's unknown values: field -> {written -> key},
    an empty key meaning "leave the rows rejected". The preview is planned again with them."""
    if record.state != "previewed":
        raise Conflict(f"This import was already {record.state}; upload the file again.")
    kept = {field: dict(names) for field, names in (record.value_mappings or {}).items()}
    types = set(agencies())
    for field, names in choices.items():
        allowed = {key for key, _label in known_values(lookups, field)}
        for written, key in names.items():
            kept.get(field, {}).pop(written, None)
            kept.get(NEW_ORGANISATION_TYPES, {}).pop(written, None)
            if field == "organisation" and key.startswith(NEW_TYPE_PREFIX):
                kind = key.removeprefix(NEW_TYPE_PREFIX)
                if kind not in types:
                    raise ServiceError(f"Choose a type for “{written}”.", "mappings")
                kept.setdefault(NEW_ORGANISATION_TYPES, {})[written] = kind
            elif key and key not in allowed:
                raise ServiceError(f"Choose a known value for “{written}”.", "mappings")
            elif key:
                kept.setdefault(field, {})[written] = key
    record.value_mappings = {field: names for field, names in kept.items() if names}


def remember(programme: Programme, mappings: ValueMappings, actor: User | None) -> None:
    """Keep an applied import's mappings for the programme's next files (audited). Runs inside
    the import's transaction."""
    for field, names in mappings.items():
        if field == NEW_ORGANISATION_TYPES:  # kept as the new organisations' types
            continue
        for written, key in names.items():
            if field == "role":
                _add_role_name(programme, int(key), written, actor)
            elif field == "organisation":
                _add_organisation_name(programme, int(key), written, actor)
            else:
                _add_alias(programme, field, written, key, actor)


def _add_role_name(programme: Programme, role_id: int, written: str, actor: User | None) -> None:
    role = db.session.get(Role, role_id)
    if role is None or role.programme_id != programme.id:
        return
    if normalise(written) in {normalise(name) for name in (role.name, *role.names)}:
        return
    role.names = [*role.names, written]
    audit.record(
        actor,
        "update",
        "role",
        role.id,
        f"Remembered “{written}” as another name of the role {role.name}",
        programme_id=programme.id,
        after={"names": role.names},
    )


def _add_organisation_name(
    programme: Programme, organisation_id: int, written: str, actor: User | None
) -> None:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is not None and organisation.programme_id == programme.id:
        organisations.add_alternative_name(organisation, written, actor)


def _add_alias(
    programme: Programme, field: str, written: str, key: str, actor: User | None
) -> None:
    existing = db.session.scalar(
        select(ValueAlias).where(
            ValueAlias.programme_id == programme.id,
            ValueAlias.field == field,
            ValueAlias.name == written,
        )
    )
    if existing is not None:
        existing.target = key
    else:
        existing = ValueAlias(
            programme_id=programme.id, field=field, name=written, target=key, created_by=actor
        )
        db.session.add(existing)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "value_alias",
        existing.id,
        f"Remembered “{written}” as a name of a {field} in spreadsheets",
        programme_id=programme.id,
        after={"field": field, "name": written, "target": key},
    )


@transactional
def forget(programme: Programme, alias_id: int, actor: User | None) -> ValueAlias:
    alias = db.session.get(ValueAlias, alias_id)
    if alias is None or alias.programme_id != programme.id:
        raise NotFound(f"{programme.name} has no remembered name {alias_id}.")
    audit.record(
        actor,
        "delete",
        "value_alias",
        alias.id,
        f"Forgot “{alias.name}” as a name of a {alias.field} in spreadsheets",
        programme_id=programme.id,
        before={"field": alias.field, "name": alias.name, "target": alias.target},
    )
    db.session.delete(alias)
    return alias


class MapOptionError(ServiceError):
    """A `--map` option that cannot be used: a usage error, not a refused row."""


def from_options(
    lookups: Lookups,
    fields: Mapping[str, ImportField],
    headers: Sequence[str],
    column_mapping: Mapping[str, int],
    texts: Sequence[str],
) -> dict[str, dict[str, str]]:
    """`COLUMN=VALUE:KNOWN` options -> mappings, or a MapOptionError naming what is unknown.

    COLUMN is the file's header (or the field's own label); KNOWN is any name of a known value.
    """
    mappings: dict[str, dict[str, str]] = {}
    for text in texts:
        try:
            column, written, known = parse_map_option(text)
        except ValueError as error:
            raise MapOptionError(str(error), "map") from None
        field = _field_of(column, fields, headers, column_mapping)
        key = key_of(lookups, field, known)
        if key is None:
            raise MapOptionError(
                f"--map “{text}”: there is no {fields[field].label.lower()} “{known}”.", "map"
            )
        mappings.setdefault(field, {})[written] = key
    return mappings


def _field_of(
    column: str,
    fields: Mapping[str, ImportField],
    headers: Sequence[str],
    column_mapping: Mapping[str, int],
) -> str:
    wanted = normalise(column)
    for field, index in column_mapping.items():
        if field in MAPPABLE_FIELDS and normalise(headers[index]) == wanted:
            return field
    for field, spec in fields.items():
        if field in MAPPABLE_FIELDS and normalise(spec.label) == wanted:
            return field
    mappable = [
        headers[index] for field, index in column_mapping.items() if field in MAPPABLE_FIELDS
    ]
    raise MapOptionError(
        f"--map: the file has no column “{column}” whose values can be mapped; these can: "
        + ", ".join(f"“{header}”" for header in mappable)
        + ".",
        "map",
    )


@dataclass(frozen=True)
class PreviewChoices:
    organisations: list[ValueChoice]  # employers new to the programme
    values: list[ValueChoice]  # other words it does not know


def choices_for(importer, record: ImportRecord, plan: ImportPlan | None) -> PreviewChoices:
    """What a preview offers to map, or nothing when the import has no values to map."""
    lookups = importer.lookups_of(record)
    if lookups is None or plan is None or record.state != "previewed":
        return PreviewChoices([], [])
    # Planned again for its lookups: they hold the file's new employers.
    mappings = record.value_mappings or {}
    columns = columns_for(importer.fields, record.mapping, record.headers)
    values = value_choices(plan, lookups, mappings, columns)
    if "organisation" not in record.mapping:
        return PreviewChoices([], values)
    column = columns["organisation"]
    types = list(agencies().items())
    return PreviewChoices(organisation_choices(plan, lookups, mappings, column, types), values)


@dataclass(frozen=True)
class RememberedName:
    alias: ValueAlias
    field_label: str  # "Status"
    stands_for: str  # the known value's name now, or a note that it has gone


FIELD_LABELS = {"locality": "Locality", "team": "Team", "status": "Status"}


def remembered_names(programme: Programme) -> list[RememberedName]:
    """The programme's remembered names of localities, teams and statuses, with what each
    stands for (roles and organisations list theirs on their own pages)."""
    localities = dict(
        db.session.execute(
            select(Locality.id, Locality.name).where(Locality.programme_id == programme.id)
        ).all()
    )
    teams = {
        team_id: f"{name} ({localities.get(locality_id, '')})"
        for team_id, name, locality_id in db.session.execute(
            select(Team.id, Team.name, Team.locality_id)
            .join(Locality)
            .where(Locality.programme_id == programme.id)
        )
    }
    statuses = {status.value: status.label for status in POST_STATUSES}
    names = {"locality": localities, "team": teams}
    described = []
    for alias in aliases_of(programme):
        if alias.field == "status":
            known = statuses.get(alias.target)
        else:
            key = whole_number(alias.target)
            known = names.get(alias.field, {}).get(key)
        described.append(
            RememberedName(
                alias,
                FIELD_LABELS.get(alias.field, alias.field),
                known or "nothing now (it was deleted)",
            )
        )
    return described
