"""Turning the rows of an HR recruitment spreadsheet into a plan: create, update, leave or reject.

The plan is made from plain values (the file's table, what the programme already holds), so the
dry run, the commit and the CLI all see the same outcome for every row.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from programme.domain.employers import (
    NewOrganisation,
    column_refusal,
    is_not_a_name,
)
from programme.domain.formatting import count, listed, short_date
from programme.domain.hr_trackers import FIELDS, OPTIONAL_POST_FIELDS
from programme.domain.imports import (
    ImportPlan,
    Problem,
    RowError,
    RowPlan,
    columns_for,
    consume_rows,
    reject_duplicates,
    row_error,
)
from programme.domain.programme_names import (
    Lookups,
    RoleRef,
    resolve,
    team_in,
)
from programme.domain.recruitment import (
    DEFAULT_RECRUITED,
    MAX_LENGTHS,
    PostStatus,
    is_email,
    valid_fte,
)
from programme.domain.spreadsheet import (
    CellValue,
    SheetRow,
    SpreadsheetError,
    Table,
    cell_text,
    parse_date,
)
from programme.domain.vocabulary import Vocabulary, tokens


@dataclass(frozen=True)
class ExistingPost:
    id: int
    team_id: int
    role_id: int
    frozen: bool
    values: Mapping[str, Any]  # POST_FIELDS -> current value


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    lookups: Lookups,
    existing: Iterable[ExistingPost],
    today: date | None = None,
    recruited: Iterable[str] = DEFAULT_RECRUITED,
) -> ImportPlan:
    """Read every row, then match the good ones to posts: by reference, else by team and role.

    A row "In post" from a day after `today` is imported as Appointed, with a warning (see
    `_not_started_yet`); `recruited` are the statuses the programme counts as recruited, for the
    warning to say when the post will count.

    The table's rows are consumed as they are read (its list is left empty), so a large file's
    cells and its plan are never both held in full.
    """
    columns = columns_for(FIELDS, mapping, table.headers)
    if "organisation" in mapping:
        index = mapping["organisation"]
        cells = (row.cells[index] for row in table.rows if index < len(row.cells))
        if refusal := column_refusal(columns["organisation"], cells):
            raise SpreadsheetError(refusal)
    appointed_counts = PostStatus.APPOINTED.value in set(recruited)
    rows = []
    for sheet_row in consume_rows(table):
        row = _read_row(sheet_row, mapping, columns, lookups)
        if today is not None and row.action == "pending":
            _not_started_yet(row, columns, today, appointed_counts)
        rows.append(row)
    reject_duplicates(
        rows, columns.get("reference", FIELDS["reference"].label), "post reference", "post"
    )
    existing = list(existing)
    _match(rows, existing, lookups)
    if today is not None:
        _stored_start_not_yet(rows, existing, columns, today, appointed_counts)
    plan = ImportPlan(rows, lambda name, value: describe_value(name, value, lookups))
    plan.organisations_added = _organisations_added(rows, lookups)
    plan.organisations_proposed = lookups.employers.added
    plan.organisation_rows = lookups.employers.rows
    plan.organisations_matched = list(lookups.employers.close.values())
    return plan


def _stored_start_not_yet(
    rows: list[RowPlan],
    existing: list[ExistingPost],
    columns: Mapping[str, str],
    today: date,
    appointed_counts: bool,
) -> None:
    """A row "In post" with a blank start date leaves the post's stored one alone: when that day
    is still to come, the row is Appointed, with the warning, as if the file had said the day."""
    by_id = {post.id: post for post in existing}
    for row in rows:
        post = by_id.get(row.target_id)
        if post is None or row.values.get("start_date") is not None:
            continue
        stored = post.values["start_date"]
        if row.values.get("status") == PostStatus.IN_POST.value and stored and stored > today:
            row.values["start_date"] = stored
            _not_started_yet(row, columns, today, appointed_counts)
            _compare(row, post)


def _organisations_added(rows: list[RowPlan], lookups: Lookups) -> list[NewOrganisation]:
    """The new organisations the rows that will be written need, in the order first named:
    employers the file names, and a type's organisation for posts that name none."""
    needed = {}
    for row in rows:
        if row.action in ("created", "updated"):
            value = row.values.get("organisation_id")
            if isinstance(value, NewOrganisation):
                needed.setdefault(value, None)
    named = [new for new in lookups.employers.added if new in needed]
    return named + [new for new in needed if new not in named]


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
        if name == "organisation" and name in mapping:
            _read_employer(cell(name), role, values, lookups, reject, sheet_row.number)
        elif name in mapping:
            _read_optional(name, cell(name), values, lookups, reject)
    plan.key = values.get("reference")
    if plan.key:  # a rejected row has only its reference to name it
        plan.label = f"{plan.label} · {plan.key}" if plan.label else plan.key
    if not plan.errors:
        plan.action, plan.values = "pending", values
    return plan


def _not_started_yet(
    row: RowPlan, columns: Mapping[str, str], today: date, appointed_counts: bool
) -> None:
    """A post "In post" from a day still to come is not filled yet: the holder is appointed.
    Imported as Appointed, so the figures and the post agree, and the preview says so."""
    start = row.values.get("start_date")
    if row.values.get("status") != PostStatus.IN_POST.value or start is None or start <= today:
        return
    row.values["status"] = PostStatus.APPOINTED.value
    counts = (
        "It counts as recruited from that date."
        if appointed_counts
        else "Appointed posts do not count as recruited in this programme: change its status to "
        "In post once the holder starts."
    )
    row.warnings.append(
        RowError(
            row.row,
            columns.get("status", FIELDS["status"].label),
            f"In post from {short_date(start)}, which is after today; imported as Appointed. "
            + counts,
        )
    )


def _resolve(value: CellValue, names: Vocabulary, field_name: str, reject, where: str = ""):
    found, problem = resolve(value, names, FIELDS[field_name].label, where)
    if problem:
        reject(field_name, problem)
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


def _read_employer(
    value: CellValue,
    role: RoleRef | None,
    values: dict,
    lookups: Lookups,
    reject,
    row_number: int,
) -> None:
    """The organisation a cell names: a known one by any of its names; the one it is close to;
    else a new organisation to add, its type from its name or the role's usual employer. A type's
    name ("Council") with several organisations of that type names none of them."""
    text = cell_text(value)
    if not text:
        return
    if is_not_a_name(value):
        reject("organisation", f"“{text}” is not the name of an organisation.")
        return
    if (found := lookups.organisations.find(text)) is not None:
        values["organisation_id"] = found
        return
    ambiguous = lookups.ambiguous_types.get(tokens(text))
    if ambiguous is not None:
        _label, names = ambiguous
        reject(
            "organisation",
            Problem(
                f"“{text}” is a type of organisation, and the programme has "
                f"{count(len(names), 'organisation')} of that type: name one ({listed(names)}).",
                text,
            ),
        )
        return
    role_type = role.agency if role else None
    values["organisation_id"] = lookups.employers.resolve(text, role_type, row_number)


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
    queues = _PostQueues(existing, claimed)
    for row in unmatched:
        key = (row.values["team_id"], row.values["role_id"])
        post = queues.take(key, numbered_too=not row.values.get("reference"))
        if post is None:
            row.action = "created"
            _fill_defaults(row, lookups.role_by_id[row.values["role_id"]], lookups)
        else:
            _compare(row, post)


class _PostQueues:
    """Each (team, role)'s posts in the order rows take them: unnumbered ones by id, then
    numbered ones by id. Each queue is read from the front once, skipping posts already claimed,
    so matching every row costs O(rows + posts) however large a team is."""

    def __init__(self, existing: list[ExistingPost], claimed: set[int]):
        self.claimed = claimed
        self.unnumbered: dict[tuple[int, int], deque[ExistingPost]] = defaultdict(deque)
        self.numbered: dict[tuple[int, int], deque[ExistingPost]] = defaultdict(deque)
        for post in sorted(existing, key=lambda post: post.id):
            queues = self.numbered if post.values["reference"] else self.unnumbered
            queues[(post.team_id, post.role_id)].append(post)

    def take(self, key: tuple[int, int], *, numbered_too: bool) -> ExistingPost | None:
        """The next unclaimed post of `key` (unnumbered only unless `numbered_too`), claimed."""
        post = self._next(self.unnumbered, key)
        if post is None and numbered_too:
            post = self._next(self.numbered, key)
        if post is not None:
            self.claimed.add(post.id)
        return post

    def _next(self, queues: dict, key: tuple[int, int]) -> ExistingPost | None:
        queue = queues.get(key)
        while queue and queue[0].id in self.claimed:
            queue.popleft()  # claimed by reference, or by an earlier row: never free again
        return queue[0] if queue else None


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
    row.values.setdefault("organisation_id", _usual_employer(role, lookups))
    row.values.setdefault("fte", 1.0)
    row.values.setdefault("holder_name", "")
    row.values.setdefault("holder_email", "")
    row.values.setdefault("start_date", None)
    row.values.setdefault("notes", "")


def _usual_employer(role: RoleRef, lookups: Lookups) -> int | NewOrganisation | None:
    """Where a new post naming no employer goes: the programme's organisation of the role's
    usual type; with none, the first of that type the file adds; else one named after the type."""
    default = lookups.by_type.get(role.agency)
    if isinstance(default, NewOrganisation):
        return next((new for new in lookups.employers.added if new.type == role.agency), default)
    return default


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
        if isinstance(value, NewOrganisation):
            return f"{value.name} (a new organisation)"
        return lookups.organisation_names.get(value, str(value))
    if isinstance(value, date):
        return short_date(value)
    return str(value)
