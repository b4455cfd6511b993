"""Turning the rows of an HR recruitment spreadsheet into a plan: create, update, leave or reject.

The plan is made from plain values (the file's table, what the programme already holds), so the
dry run, the commit and the CLI all see the same outcome for every row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from programme.domain.employers import (
    Employers,
    NewOrganisation,
    OrganisationRef,
    build_employers,
)
from programme.domain.formatting import numeric_date
from programme.domain.hr_trackers import FIELDS, OPTIONAL_POST_FIELDS
from programme.domain.imports import (
    ImportPlan,
    RowError,
    RowPlan,
    columns_for,
    consume_rows,
    reject_duplicates,
)
from programme.domain.recruitment import (
    MAX_LENGTHS,
    POST_STATUSES,
    Agency,
    PostStatus,
    is_email,
    status_names,
    valid_fte,
)
from programme.domain.spreadsheet import (
    CellValue,
    SheetRow,
    Table,
    cell_text,
    nearest,
    normalise,
    parse_date,
)


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


@dataclass(frozen=True)
class ExistingPost:
    id: int
    team_id: int
    role_id: int
    frozen: bool
    values: Mapping[str, Any]  # POST_FIELDS -> current value


class _Names:
    """Known values looked up by any of their names, ignoring case and punctuation."""

    def __init__(self) -> None:
        self._by_name: dict[str, Any] = {}
        self._spellings: dict[str, str] = {}  # a name as written -> the canonical label

    def add(self, value: Any, label: str, names: Iterable[str]) -> None:
        for name in (label, *names):
            self._by_name.setdefault(normalise(name), value)
            self._spellings.setdefault(name, label)

    def find(self, text: str) -> Any | None:
        return self._by_name.get(normalise(text))

    def suggest(self, text: str) -> str | None:
        """The known value the text most likely means: one whose name it contains ("IDVA
        worker"), else the closest spelling ("Bridgewater")."""
        written = normalise(text)
        within = [
            name
            for name in self._spellings
            if len(normalise(name)) >= 3
            and (normalise(name) in written or written in normalise(name))
        ]
        if within:
            return self._spellings[max(within, key=lambda name: len(normalise(name)))]
        closest = nearest(text, self._spellings)
        return self._spellings[closest] if closest else None


@dataclass
class Lookups:
    """What the programme holds, for resolving the names a spreadsheet uses."""

    localities: _Names
    teams: dict[int, _Names]  # locality id -> its teams
    roles: _Names
    organisations: Employers
    statuses: _Names
    role_by_id: dict[int, RoleRef]
    team_names: dict[int, str]
    locality_names: dict[int, str]
    # A team's name -> the localities that have a team so called, to say where a team really is.
    team_homes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


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
    employers = build_employers(_Names(), organisations, agencies, by_type)
    lookups = Lookups(_Names(), defaultdict(_Names), _Names(), employers, _Names(), {}, {}, {})
    for locality in localities:
        lookups.localities.add(locality, locality.name, (locality.slug,))
        lookups.locality_names[locality.id] = locality.name
    for team in teams:
        lookups.teams[team.locality_id].add(team, team.name, ())
        lookups.team_names[team.id] = team.name
        lookups.team_homes[normalise(team.name)].append(lookups.locality_names[team.locality_id])
    for role in roles:
        lookups.roles.add(role, role.name, (role.key, *role.names))
        lookups.role_by_id[role.id] = role
    for status in POST_STATUSES:
        lookups.statuses.add(status, status.label, status_names(status))
    return lookups


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    lookups: Lookups,
    existing: Iterable[ExistingPost],
) -> ImportPlan:
    """Read every row, then match the good ones to posts: by reference, else by team and role.

    The table's rows are consumed as they are read (its list is left empty), so a large file's
    cells and its plan are never both held in full.
    """
    columns = columns_for(FIELDS, mapping, table.headers)
    rows = [_read_row(sheet_row, mapping, columns, lookups) for sheet_row in consume_rows(table)]
    reject_duplicates(
        rows, columns.get("reference", FIELDS["reference"].label), "post reference", "post"
    )
    _match(rows, list(existing), lookups)
    return ImportPlan(rows, lambda name, value: describe_value(name, value, lookups))


def _read_row(
    sheet_row: SheetRow, mapping: Mapping[str, int], columns: Mapping[str, str], lookups: Lookups
) -> RowPlan:
    plan = RowPlan(sheet_row.number, "rejected")

    def cell(name: str) -> CellValue:
        return sheet_row.cells[mapping[name]] if name in mapping else None

    def reject(name: str, message: str) -> None:
        plan.errors.append(
            RowError(sheet_row.number, columns.get(name, FIELDS[name].label), message)
        )

    locality = _resolve(cell("locality"), lookups.localities, "locality", reject)
    team = None
    if locality is not None:
        team, problem = team_in(lookups, locality, cell("team"))
        if problem:
            reject("team", problem)
    role = _resolve(cell("role"), lookups.roles, "role", reject)
    status = _resolve(cell("status"), lookups.statuses, "status", reject)
    values: dict[str, Any] = {}
    if team is not None and role is not None:
        values.update(team_id=team.id, role_id=role.id)
        plan.label = f"{locality.name} · {team.name} · {role.name}"
    if status is not None:
        values["status"] = status.value
    for name in OPTIONAL_POST_FIELDS:
        if name in mapping:
            _read_optional(name, cell(name), values, lookups, reject)
    plan.key = values.get("reference")
    if plan.key:
        plan.label += f" · {plan.key}"
    if not plan.errors:
        plan.action, plan.values = "pending", values
    return plan


def _resolve(value: CellValue, names: _Names, field_name: str, reject, where: str = ""):
    found, problem = resolve(value, names, FIELDS[field_name].label, where)
    if problem:
        reject(field_name, problem)
    return found


def resolve(value: CellValue, names: _Names, label: str, where: str = "") -> tuple[Any, str | None]:
    """The known value a cell names, or why it names none ("There is no locality “Bridgewater”.
    Did you mean “Bridgwater”?")."""
    text = cell_text(value)
    label = label.lower()
    if not text:
        return None, f"The {label} is blank."
    found = names.find(text)
    if found is None:
        suggestion = names.suggest(text)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        return None, f"There is no {label} “{text}”{where}.{hint}"
    return found, None


def team_in(lookups: Lookups, locality: LocalityRef, value: CellValue) -> tuple[Any, str | None]:
    """The locality's team a cell names; a team of that name elsewhere is pointed out."""
    homes = lookups.team_homes.get(normalise(cell_text(value)), [])
    where = f" in {locality.name}" + (
        f"; a team of that name is in {' and '.join(homes)}" if homes else ""
    )
    return resolve(value, lookups.teams[locality.id], "team", where)


def _read_optional(name: str, value: CellValue, values: dict, lookups: Lookups, reject) -> None:
    if name == "start_date":
        try:
            values[name] = parse_date(value)
        except ValueError as error:
            reject(name, str(error))
        return
    text = cell_text(value)
    if name == "fte":
        if text:
            fte = _parse_fte(text)
            if fte is None:
                reject(name, f"The FTE “{text}” must be a number above 0 and up to 1 (or a %).")
            else:
                values[name] = fte
        return
    if name == "organisation":
        if text:
            organisation = _employer(value, lookups, reject)
            if organisation is not None:
                values["organisation_id"] = organisation
        return
    if name == "holder_email":
        text = text.lower()
        if text and not is_email(text):
            reject(name, f"“{text}” is not an e-mail address.")
            return
    if len(text) > MAX_LENGTHS[name]:
        reject(
            name, f"The {FIELDS[name].label.lower()} is longer than {MAX_LENGTHS[name]} characters."
        )
        return
    values[name] = text or (None if name == "reference" else "")


def _employer(value: CellValue, lookups: Lookups, reject) -> int | NewOrganisation | None:
    """The organisation a cell names. A type's name ("Council") with several organisations of
    that type names none of them, and says which there are."""
    problem = lookups.organisations.ambiguity(cell_text(value))
    if problem:
        reject("organisation", problem)
        return None
    return _resolve(value, lookups.organisations.names, "organisation", reject)


def _parse_fte(text: str) -> float | None:
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        return None
    if percent:
        number /= 100
    number = round(number, 2)
    return number if valid_fte(number) else None


def _reference_key(reference: str | None) -> str | None:
    return reference.strip().upper() if reference else None


def _match(rows: list[RowPlan], existing: list[ExistingPost], lookups: Lookups) -> None:
    by_reference = {
        _reference_key(post.values["reference"]): post
        for post in existing
        if post.values["reference"]
    }
    claimed: set[int] = set()
    pending = [row for row in rows if row.action == "pending"]
    unmatched = []
    for row in pending:
        post = by_reference.get(_reference_key(row.values.get("reference")))
        if post is not None:
            claimed.add(post.id)
            _compare(row, post)
        else:
            unmatched.append(row)
    # In order: a row takes the team's next unclaimed post of its role, unnumbered posts first.
    # A row with a new reference only takes a post that has none yet, so an import never
    # relabels a post HR already numbered. Frozen posts take part too (an import never changes
    # the flag), so freezing a post does not shift which row lands on which post.
    in_order: dict[tuple[int, int], list[ExistingPost]] = defaultdict(list)
    for post in sorted(existing, key=lambda post: (bool(post.values["reference"]), post.id)):
        in_order[(post.team_id, post.role_id)].append(post)
    for row in unmatched:
        wants_unnumbered = bool(row.values.get("reference"))
        candidates = in_order[(row.values["team_id"], row.values["role_id"])]
        post = next(
            (
                post
                for post in candidates
                if post.id not in claimed and not (wants_unnumbered and post.values["reference"])
            ),
            None,
        )
        if post is None:
            row.action = "created"
            _fill_defaults(row, lookups.role_by_id[row.values["role_id"]], lookups)
        else:
            claimed.add(post.id)
            _compare(row, post)


def _compare(row: RowPlan, post: ExistingPost) -> None:
    row.post_id = post.id
    if not row.values.get("reference"):
        row.values.pop("reference", None)  # a blank reference never clears the post's own
    row.changes = {
        name: (post.values[name], value)
        for name, value in row.values.items()
        if post.values[name] != value
    }
    row.action = "updated" if row.changes else "unchanged"


def _fill_defaults(row: RowPlan, role: RoleRef, lookups: Lookups) -> None:
    row.values.setdefault("reference", None)
    row.values.setdefault("organisation_id", lookups.organisations.by_type.get(role.agency))
    row.values.setdefault("fte", 1.0)
    row.values.setdefault("holder_name", "")
    row.values.setdefault("holder_email", "")
    row.values.setdefault("start_date", None)
    row.values.setdefault("notes", "")


def describe_value(name: str, value: Any, lookups: Lookups) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "(blank)"
    if name == "team_id":
        return lookups.team_names.get(value, str(value))
    if name == "role_id":
        role = lookups.role_by_id.get(value)
        return role.name if role else str(value)
    if name == "status":
        return PostStatus(value).label
    if name == "organisation_id":
        return lookups.organisations.describe(value)
    if isinstance(value, date):
        return f"{numeric_date(value)}"
    return str(value)
