"""Turning the rows of an HR recruitment spreadsheet into a plan: create, update, leave or reject.

The plan is made from plain values (the file's table, what the programme already holds), so the
dry run, the commit and the CLI all see the same outcome for every row.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from programme.domain.imports import IMPORT_ACTIONS, ImportField, RowError, columns_for
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

FIELDS: dict[str, ImportField] = {
    "reference": ImportField(
        "Post reference",
        (
            "Post ref",
            "Post reference",
            "Post ref no",
            "Reference",
            "Ref",
            "Post ID",
            "Post number",
            "Position number",
            "Position ref",
            "Vacancy ref",
        ),
    ),
    "locality": ImportField(
        "Locality",
        ("Locality", "Service area", "Office", "Area", "Location", "Base", "District"),
        required=True,
    ),
    "team": ImportField("Team", ("Team", "Team name", "FS team"), required=True),
    "role": ImportField(
        "Role", ("Role", "Job title", "Post title", "Job role", "Position", "Post"), required=True
    ),
    "agency": ImportField(
        "Agency",
        (
            "Agency",
            "Employer",
            "Employing agency",
            "Employing organisation",
            "Organisation",
            "Partner agency",
        ),
    ),
    "fte": ImportField("FTE", ("FTE", "WTE", "Hours (FTE)", "FTE hours")),
    "status": ImportField(
        "Status",
        ("Status", "Current status", "Recruitment status", "Stage", "Progress"),
        required=True,
    ),
    "holder_name": ImportField(
        "Post holder",
        (
            "Post holder",
            "Postholder",
            "Name",
            "Employee",
            "Employee name",
            "Candidate",
            "Appointee",
            "Worker",
            "Staff name",
        ),
    ),
    "holder_email": ImportField(
        "Post holder's e-mail",
        ("Email", "E-mail", "Email address", "Work email", "Post holder email"),
    ),
    "start_date": ImportField(
        "Start date",
        ("Start date", "Start", "Date started", "Expected start", "Start date (expected)"),
    ),
    "notes": ImportField("Notes", ("Notes", "Comments", "Comment", "Update", "Latest update")),
}

# The post fields a row may set; team and role come from the locality, team and role columns.
POST_FIELDS = (
    "team_id",
    "role_id",
    "reference",
    "agency",
    "fte",
    "status",
    "holder_name",
    "holder_email",
    "start_date",
    "notes",
)
_OPTIONAL_POST_FIELDS = (
    "reference",
    "agency",
    "fte",
    "holder_name",
    "holder_email",
    "start_date",
    "notes",
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
    agencies: _Names
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
    agencies: Iterable[Agency],
) -> Lookups:
    lookups = Lookups(_Names(), defaultdict(_Names), _Names(), _Names(), _Names(), {}, {}, {})
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
    for agency in agencies:
        lookups.agencies.add(agency.key, agency.label, (agency.key, *agency.names))
    for status in POST_STATUSES:
        lookups.statuses.add(status, status.label, status_names(status))
    return lookups


@dataclass(slots=True)
class RowPlan:
    row: int
    action: str  # one of IMPORT_ACTIONS, or "pending" while the plan is being made
    label: str = ""
    reference: str | None = None  # kept even on a rejected row, to catch duplicates
    post_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowPlan]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in IMPORT_ACTIONS}

    def fingerprint(self) -> str:
        """Changes whenever applying the plan would do something else: the user confirms a
        preview, and a commit planned afresh must match it."""
        outline = [
            (row.row, row.action, row.post_id, sorted((k, repr(v)) for k, v in row.values.items()))
            for row in self.rows
        ]
        return hashlib.sha256(repr(outline).encode("utf-8")).hexdigest()[:32]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]


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
    rows = [_read_row(sheet_row, mapping, columns, lookups) for sheet_row in _drain(table.rows)]
    _reject_duplicate_references(rows, columns)
    _match(rows, list(existing), lookups)
    return ImportPlan(rows)


def _drain(rows: list[SheetRow]) -> Iterator[SheetRow]:
    rows.reverse()
    while rows:
        yield rows.pop()


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
        homes = lookups.team_homes.get(normalise(cell_text(cell("team"))), [])
        where = f" in {locality.name}" + (
            f"; a team of that name is in {' and '.join(homes)}" if homes else ""
        )
        team = _resolve(cell("team"), lookups.teams[locality.id], "team", reject, where=where)
    role = _resolve(cell("role"), lookups.roles, "role", reject)
    status = _resolve(cell("status"), lookups.statuses, "status", reject)
    values: dict[str, Any] = {}
    if team is not None and role is not None:
        values.update(team_id=team.id, role_id=role.id)
        plan.label = f"{locality.name} · {team.name} · {role.name}"
    if status is not None:
        values["status"] = status.value
    for name in _OPTIONAL_POST_FIELDS:
        if name in mapping:
            _read_optional(name, cell(name), values, lookups, reject)
    plan.reference = values.get("reference")
    if plan.reference:
        plan.label += f" · {plan.reference}"
    if not plan.errors:
        plan.action, plan.values = "pending", values
    return plan


def _resolve(value: CellValue, names: _Names, field_name: str, reject, where: str = ""):
    text = cell_text(value)
    label = FIELDS[field_name].label.lower()
    if not text:
        reject(field_name, f"The {label} is blank.")
        return None
    found = names.find(text)
    if found is None:
        suggestion = names.suggest(text)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        reject(field_name, f"There is no {label} “{text}”{where}.{hint}")
    return found


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


def _reject_duplicate_references(rows: list[RowPlan], columns: Mapping[str, str]) -> None:
    """Two rows claiming one post reference are both refused: neither can be trusted, even
    when one of them is also wrong in some other way."""
    by_reference: dict[str, list[RowPlan]] = defaultdict(list)
    for row in rows:
        key = _reference_key(row.reference)
        if key:
            by_reference[key].append(row)
    for claimants in by_reference.values():
        if len(claimants) < 2:
            continue
        numbers = ", ".join(str(row.row) for row in claimants)
        for row in claimants:
            row.action = "rejected"
            row.errors.append(
                RowError(
                    row.row,
                    columns.get("reference", FIELDS["reference"].label),
                    f"The post reference “{row.reference}” is on rows {numbers}; "
                    "each post may appear once.",
                )
            )


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
        return f"{value:%d/%m/%Y}"
    return str(value)
