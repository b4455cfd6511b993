"""Values a spreadsheet names in its own words, mapped by the user to the values the programme
knows: "Snr Practitioner" is the consultant social worker, "Started" is in post.

A mapping names its known value by a stable key (a role's or team's id, a status's value), so a
renamed role keeps its mappings. The same mappings serve a web preview, a CLI `--map` and the
names remembered for the programme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from programme.domain.employers import NewOrganisation
from programme.domain.imports import ImportPlan
from programme.domain.numbers import whole_number
from programme.domain.programme_names import (
    Lookups,
)
from programme.domain.recruitment import POST_STATUSES, PostStatus

# The vocabulary columns whose unknown values a user may map, in the order a preview lists them.
MAPPABLE_FIELDS = ("locality", "team", "role", "status", "organisation")

# field -> {value as written -> the known value's key}
ValueMappings = Mapping[str, Mapping[str, str]]

# Not a field: the types the user chose for new organisations, {name as written -> type}.
NEW_ORGANISATION_TYPES = "new_organisation"
# An organisation cell's choice "type:council" makes it a new organisation of that type.
NEW_TYPE_PREFIX = "type:"


def known_values(lookups: Lookups, field: str) -> list[tuple[str, str]]:
    """(key, label) of every value a cell of this field may be mapped to, as a list offers them."""
    if field == "team":
        return [
            (str(team.id), f"{team.name} ({lookups.locality_names[team.locality_id]})")
            for team in sorted(
                lookups.team_by_id.values(),
                key=lambda t: (lookups.locality_names[t.locality_id], t.name),
            )
        ]
    if field == "status":
        return [(status.value, status.label) for status in POST_STATUSES]
    by_id = getattr(lookups, _BY_ID.get(field, ""), {})
    return [(str(ref.id), ref.name) for ref in _by_name(by_id.values())]


def _by_name(refs: Iterable[Any]) -> list[Any]:
    return sorted(refs, key=lambda ref: ref.name.casefold())


def key_of(lookups: Lookups, field: str, name: str) -> str | None:
    """The key of the known value a name stands for ("Consultant social worker" -> "12"), by the
    same matching an import uses; None when it names none."""
    if field == "team":
        matches = {
            str(team.id)
            for teams in lookups.teams.values()
            if (team := teams.find(name)) is not None
        }
        return matches.pop() if len(matches) == 1 else None
    vocabulary = _vocabulary(lookups, field)
    found = vocabulary.find(name) if vocabulary is not None else None
    if found is None or isinstance(found, NewOrganisation):
        return None
    if isinstance(found, PostStatus):
        return found.value
    return str(found) if isinstance(found, int) else str(found.id)


def add_mappings(lookups: Lookups, mappings: ValueMappings) -> None:
    """Let each mapped name find its known value. A mapping whose value has gone (a team
    deleted since) is ignored, so its rows are rejected as unknown again."""
    for field, names in mappings.items():
        if field == NEW_ORGANISATION_TYPES:
            lookups.employers.types.update(names)
            continue
        for written, key in names.items():
            _add(lookups, field, written, key)


def _add(lookups: Lookups, field: str, written: str, key: str) -> None:
    if field == "team":
        team = lookups.team_by_id.get(_int(key))
        if team is not None:
            lookups.teams[team.locality_id].add(team, team.name, (written,))
        return
    value = _value(lookups, field, key)
    vocabulary = _vocabulary(lookups, field)
    if value is None or vocabulary is None:
        return
    if field == "organisation":  # organisations are found as their ids
        vocabulary.add(value.id, value.name, (written,))
    else:
        vocabulary.add(value, value.label if field == "status" else value.name, (written,))


def _value(lookups: Lookups, field: str, key: str) -> Any | None:
    if field == "status":
        return next((status for status in POST_STATUSES if status.value == key), None)
    by_id = getattr(lookups, _BY_ID.get(field, ""), {})
    return by_id.get(_int(key))


# Where Lookups keeps each field's values by id, and by every name.
_BY_ID = {"locality": "locality_by_id", "role": "role_by_id", "organisation": "organisation_by_id"}
_VOCABULARIES = {
    "locality": "localities",
    "role": "roles",
    "status": "statuses",
    "organisation": "organisations",
}


def _vocabulary(lookups: Lookups, field: str):
    return getattr(lookups, _VOCABULARIES.get(field, ""), None)


def _int(key: str) -> int | None:
    return whole_number(key)


def parse_map_option(text: str) -> tuple[str, str, str]:
    """`COLUMN=VALUE:KNOWN` -> (column, value, known); ValueError saying what is wrong.

    The value is split from the known one at the last colon, so a value may hold one ("Key:
    vacant").
    """
    column, equals, rest = text.partition("=")
    value, colon, known = rest.rpartition(":")
    if not equals or not colon or not column.strip() or not value.strip() or not known.strip():
        raise ValueError(
            f"“{text}” is not COLUMN=VALUE:KNOWN, e.g. "
            '"Job title=Snr Practitioner:Consultant social worker".'
        )
    return column.strip(), value.strip(), known.strip()


@dataclass(frozen=True)
class ValueChoice:
    """One value a preview asks about: unknown to the programme, or mapped in this preview."""

    field: str
    column: str  # as the file names it
    written: str
    rows: tuple[int, ...]  # the rows it rejects; () once mapped
    chosen: str  # the key it is treated as; "" to leave its rows rejected
    options: list[tuple[str, str]]  # (key, label) of every known value


def value_choices(
    plan: ImportPlan,
    lookups: Lookups,
    mappings: ValueMappings,
    columns: Mapping[str, str],
) -> list[ValueChoice]:
    """What the preview offers to map: this import's mappings first (to change them), then each
    unknown value with the nearest known value chosen, for the user to confirm."""
    choices = [
        ValueChoice(
            field, columns.get(field, field), written, (), key, known_values(lookups, field)
        )
        for field in MAPPABLE_FIELDS
        if field != "organisation"  # offered with the new organisations
        for written, key in mappings.get(field, {}).items()
    ]
    for unknown in plan.unknown_values():
        if unknown.field not in MAPPABLE_FIELDS:
            continue
        suggested = key_of(lookups, unknown.field, unknown.suggestion or "") or ""
        choices.append(
            ValueChoice(
                unknown.field,
                unknown.column,
                unknown.written,
                unknown.rows,
                suggested,
                known_values(lookups, unknown.field),
            )
        )
    return choices


def organisation_choices(
    plan: ImportPlan,
    lookups: Lookups,
    mappings: ValueMappings,
    column: str,
    types: Sequence[tuple[str, str]],
) -> list[ValueChoice]:
    """The employers the file names that the programme does not know: each proposed as a new
    organisation of its inferred type, which the user may change, or say it is a known one; and
    those taken for a known one as their names are close, which the user may say are new.
    Those already said to be a known one in this preview come first, to change back."""
    options = [(NEW_TYPE_PREFIX + key, f"New organisation: {label}") for key, label in types]
    options += [(key, f"Same as {label}") for key, label in known_values(lookups, "organisation")]
    mapped = [
        ValueChoice("organisation", column, written, (), key, options)
        for written, key in mappings.get("organisation", {}).items()
    ]
    return (
        mapped
        + [
            ValueChoice(
                "organisation",
                column,
                new.name,
                tuple(plan.organisation_rows.get(new, ())),
                NEW_TYPE_PREFIX + new.type,
                options,
            )
            for new in plan.organisations_proposed
        ]
        + [
            ValueChoice(
                "organisation", column, match.written, (), str(match.organisation.id), options
            )
            for match in plan.organisations_matched
        ]
    )
