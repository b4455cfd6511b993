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

from programme.domain.formatting import numeric_date
from programme.domain.hr_trackers import FIELDS, OPTIONAL_POST_FIELDS
from programme.domain.imports import (
    ImportPlan,
    Problem,
    RowPlan,
    columns_for,
    consume_rows,
    reject_duplicates,
    row_error,
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
    parse_date,
)
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


@dataclass(frozen=True)
class ExistingPost:
    id: int
    team_id: int
    role_id: int
    frozen: bool
    values: Mapping[str, Any]  # POST_FIELDS -> current value


@dataclass
class Lookups:
    """What the programme holds, for resolving the names a spreadsheet uses."""

    localities: Vocabulary
    teams: dict[int, Vocabulary]  # locality id -> its teams
    roles: Vocabulary
    agencies: Vocabulary
    statuses: Vocabulary
    role_by_id: dict[int, RoleRef]
    team_names: dict[int, str]
    locality_names: dict[int, str]
    # A team's name (its tokens) -> the localities that have a team so called, to say where a
    # team really is.
    team_homes: dict[frozenset[str], list[str]] = field(default_factory=lambda: defaultdict(list))
    locality_by_id: dict[int, LocalityRef] = field(default_factory=dict)
    team_by_id: dict[int, TeamRef] = field(default_factory=dict)


def build_lookups(
    localities: Iterable[LocalityRef],
    teams: Iterable[TeamRef],
    roles: Iterable[RoleRef],
    agencies: Iterable[Agency],
) -> Lookups:
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
    for agency in agencies:
        lookups.agencies.add(agency.key, agency.label, (agency.key, *agency.names))
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

    def reject(name: str, problem: str | Problem) -> None:
        plan.errors.append(
            row_error(sheet_row.number, columns.get(name, FIELDS[name].label), name, problem)
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


def _resolve(value: CellValue, names: Vocabulary, field_name: str, reject, where: str = ""):
    found, problem = resolve(value, names, FIELDS[field_name].label, where)
    if problem:
        reject(field_name, problem)
    return found


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
    if name == "agency":
        if text:
            agency = _resolve(value, lookups.agencies, "agency", reject)
            if agency is not None:
                values[name] = agency
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
            _fill_defaults(row, lookups.role_by_id[row.values["role_id"]])
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


def _fill_defaults(row: RowPlan, role: RoleRef) -> None:
    row.values.setdefault("reference", None)
    row.values.setdefault("agency", role.agency)
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
    if isinstance(value, date):
        return f"{numeric_date(value)}"
    return str(value)
