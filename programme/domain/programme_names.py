"""What a programme holds, by every name: the lookups that resolve the localities, teams,
roles, organisations and statuses a spreadsheet's cells name (the recruitment and staff imports
share them), and how a cell is resolved or why it names nothing known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from programme.domain.employers import Employers, NewOrganisation, OrganisationRef
from programme.domain.imports import Problem
from programme.domain.recruitment import POST_STATUSES, Agency, status_names
from programme.domain.spreadsheet import CellValue, cell_text
from programme.domain.vocabulary import Vocabulary, tokens


@dataclass(frozen=True)
class LocalityRef:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class TeamRef:
    id: int
    locality_id: int
    name: str


@dataclass(frozen=True)
class RoleRef:
    id: int
    name: str
    key: str
    agency: str
    names: tuple[str, ...] = ()


@dataclass
class Lookups:
    """What the programme holds, for resolving the names a spreadsheet uses."""

    localities: Vocabulary
    teams: dict[int, Vocabulary]  # locality id -> its teams
    roles: Vocabulary
    organisations: Vocabulary  # ids by name and other name, then by type for a type's only one
    statuses: Vocabulary
    role_by_id: dict[int, RoleRef]
    team_names: dict[int, str]
    locality_names: dict[int, str]
    # A team's name (its tokens) -> the localities that have a team so called, to say where a
    # team really is.
    team_homes: dict[frozenset[str], list[str]] = field(default_factory=lambda: defaultdict(list))
    locality_by_id: dict[int, LocalityRef] = field(default_factory=dict)
    team_by_id: dict[int, TeamRef] = field(default_factory=dict)
    organisation_by_id: dict[int, OrganisationRef] = field(default_factory=dict)
    organisation_names: dict[int, str] = field(default_factory=dict)
    # The organisation a post of each type goes to when no cell names its employer: an id, or
    # the organisation to add when the programme has none of that type.
    by_type: dict[str, int | NewOrganisation] = field(default_factory=dict)
    # A type's names -> the programme's organisations of that type, when it has several: a cell
    # naming only the type cannot say which ("Council" with two councils).
    ambiguous_types: dict[frozenset[str], tuple[str, list[str]]] = field(default_factory=dict)
    # The employers this file names that the programme does not know yet, and close matches.
    employers: Employers = field(default_factory=Employers)


def build_lookups(
    localities: Iterable[LocalityRef],
    teams: Iterable[TeamRef],
    roles: Iterable[RoleRef],
    organisations: Iterable[OrganisationRef],
    agencies: Iterable[Agency],
    by_type: Mapping[str, int] | None = None,
) -> Lookups:
    """What the programme holds, by every name. `agencies` are the types of organisation (with
    the names spreadsheets use for them); `by_type` is the organisation a post of each type
    goes to when nothing names its employer (by default the first of that type by name)."""
    lookups = Lookups(
        Vocabulary(), defaultdict(Vocabulary), Vocabulary(), Vocabulary(), Vocabulary(), {}, {}, {}
    )
    for locality in localities:
        lookups.localities.add(locality, locality.name, (locality.slug,))
        lookups.locality_names[locality.id] = locality.name
        lookups.locality_by_id[locality.id] = locality
    for team in teams:
        lookups.teams[team.locality_id].add(team, team.name, ())
        lookups.team_names[team.id] = team.name
        lookups.team_by_id[team.id] = team
        lookups.team_homes[tokens(team.name)].append(lookups.locality_names[team.locality_id])
    for role in roles:
        lookups.roles.add(role, role.name, (role.key, *role.names))
        lookups.role_by_id[role.id] = role
    _add_organisations(lookups, list(organisations), list(agencies), by_type)
    lookups.employers = Employers(lookups.organisation_by_id)
    for status in POST_STATUSES:
        lookups.statuses.add(status, status.label, status_names(status))
    return lookups


def _add_organisations(
    lookups: Lookups,
    organisations: list[OrganisationRef],
    agencies: list[Agency],
    by_type: Mapping[str, int] | None,
) -> None:
    """Organisations by their names first; then a type's names ("Council", "NHS trust") stand
    for the programme's one organisation of that type, or for the one to add when it has none,
    so files that name only the kind of employer keep working."""
    of_type: dict[str, list[OrganisationRef]] = defaultdict(list)
    for organisation in sorted(organisations, key=lambda o: (o.name, o.id)):
        lookups.organisations.add(organisation.id, organisation.name, organisation.names)
        lookups.organisation_names[organisation.id] = organisation.name
        lookups.organisation_by_id[organisation.id] = organisation
        of_type[organisation.type].append(organisation)
    for agency in agencies:
        members = of_type.get(agency.key, [])
        default = (by_type or {}).get(agency.key)
        if default is None:
            default = members[0].id if members else NewOrganisation(agency.label, agency.key)
        lookups.by_type[agency.key] = default
        names = (agency.label, agency.key, *agency.names)
        if len(members) > 1:
            for name in names:
                lookups.ambiguous_types.setdefault(
                    tokens(name), (agency.label, [o.name for o in members])
                )
        elif members:
            # A type's names stand for its one organisation. With none, a cell naming the type
            # (or a type's name that is an employer's, "National Probation Service") proposes
            # a new organisation under the name it is written with.
            lookups.organisations.add(default, members[0].name, names)


def resolve(
    value: CellValue, names: Vocabulary, label: str, where: str = "", hint: bool = True
) -> tuple[Any, str | Problem | None]:
    """The known value a cell names, or why it names none ("There is no locality “Bridgewater”.
    Did you mean “Bridgwater”?"; no "Did you mean" when `hint` is False)."""
    text = cell_text(value)
    label = label.lower()
    if not text:
        return None, f"The {label} is blank."
    found = names.find(text)
    if found is None:
        # Ambiguous or unknown, the user may say which known value it means.
        if ambiguity := names.ambiguity(text, label):
            return None, Problem(ambiguity, text, names.suggest(text))
        suggestion = names.suggest(text) if hint else None
        meant = f" Did you mean “{suggestion}”?" if suggestion else ""
        return None, Problem(f"There is no {label} “{text}”{where}.{meant}", text, suggestion)
    return found, None


def team_in(
    lookups: Lookups, locality: LocalityRef, value: CellValue
) -> tuple[Any, str | Problem | None]:
    """The locality's team a cell names; a team of that name elsewhere is pointed out, in place
    of a suggestion (its words are mostly the locality's teams' words: "Taunton FS Team" is not a
    misspelt "Bridgwater FS Team")."""
    homes = lookups.team_homes.get(tokens(cell_text(value)), [])
    where = f" in {locality.name}" + (
        f"; a team of that name is in {' and '.join(homes)}" if homes else ""
    )
    return resolve(value, lookups.teams[locality.id], "team", where, hint=not homes)
