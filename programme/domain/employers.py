"""Which partner organisation a recruitment import's employer cell names: an organisation by its
name or another name; a type's name ("Council", "NHS trust") for the programme's one organisation
of that type; and the organisation a post of each type goes to when no cell names one.

Plain Python: the planner (`recruitment_import.py`) hands in its name lookup and the programme's
organisations as plain values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from programme.domain.formatting import count, listed
from programme.domain.recruitment import Agency
from programme.domain.spreadsheet import normalise


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str
    type: str  # an agency key of seed/roles.toml
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewOrganisation:
    """An employer the programme has no organisation for yet, added when the import is applied:
    for now, the organisation of a type named after the type ("Probation")."""

    name: str
    type: str


@dataclass
class Employers:
    # Organisation ids (or NewOrganisation) by every name: the planner's lookup, with `add`,
    # `find` and `suggest`.
    names: Any
    # The organisation a post of each type goes to when no cell names its employer.
    by_type: dict[str, int | NewOrganisation] = field(default_factory=dict)
    # A type's names -> (its label, the programme's organisations of that type), when it has
    # several: a cell naming only the type cannot say which ("Council" with two councils).
    ambiguous: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # id -> name

    def ambiguity(self, text: str) -> str | None:
        """Why a cell naming only a type of which the programme has several names none."""
        found = self.ambiguous.get(normalise(text))
        if found is None or self.names.find(text) is not None:
            return None
        _label, names = found
        return (
            f"“{text}” is a type of organisation, and the programme has "
            f"{count(len(names), 'organisation')} of that type: name one ({listed(names)})."
        )

    def describe(self, value: int | NewOrganisation) -> str:
        if isinstance(value, NewOrganisation):
            return f"{value.name} (a new organisation)"
        return self.labels.get(value, str(value))


def build_employers(
    names: Any,
    organisations: Iterable[OrganisationRef],
    agencies: Iterable[Agency],
    by_type: Mapping[str, int] | None = None,
) -> Employers:
    """Organisations by their names first; then a type's names stand for the programme's one
    organisation of that type, or for the one to add when it has none, so files that name only
    the kind of employer keep working. `by_type` is the organisation a post of each type goes
    to when nothing names its employer (by default the first of that type by name)."""
    employers = Employers(names)
    of_type: dict[str, list[OrganisationRef]] = defaultdict(list)
    for organisation in sorted(organisations, key=lambda o: (o.name, o.id)):
        names.add(organisation.id, organisation.name, organisation.names)
        employers.labels[organisation.id] = organisation.name
        of_type[organisation.type].append(organisation)
    for agency in agencies:
        members = of_type.get(agency.key, [])
        default = (by_type or {}).get(agency.key)
        if default is None:
            default = members[0].id if members else NewOrganisation(agency.label, agency.key)
        employers.by_type[agency.key] = default
        type_names = (agency.label, agency.key, *agency.names)
        if len(members) > 1:
            for name in type_names:
                employers.ambiguous.setdefault(
                    normalise(name), (agency.label, [o.name for o in members])
                )
        else:
            # Suggestions name the organisation the type stands for.
            names.add(default, members[0].name if members else agency.label, type_names)
    return employers
