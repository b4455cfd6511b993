"""Turning the rows of an HR recruitment spreadsheet into a plan: create, update, leave or reject.

The plan is made from plain values (the file's table, what the programme already holds), so the
dry run, the commit and the CLI all see the same outcome for every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from programme.domain.recruitment_matching import (
    ExistingPost,
    PostFinder,
    compare,
    match,
    posts_named,
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

__all__ = ["ExistingPost", "PostFinder", "describe_value", "plan_import"]
_match = match  # under its old name, for the test that checks it against the scan it replaced


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    lookups: Lookups,
    existing: Iterable[ExistingPost] | PostFinder,
    today: date | None = None,
    recruited: Iterable[str] = DEFAULT_RECRUITED,
) -> ImportPlan:
    """Read every row, then match the good ones to posts: by reference, else by team and role.

    A row "In post" from a day after `today` is imported as Appointed, with a warning (see
    `_not_started_yet`); `recruited` are the statuses the programme counts as recruited, for the
    warning to say when the post will count.

    The table's rows are consumed as they are read (its list is left empty), so a large file's
    cells and its plan are never both held in full.

    `existing` is every post the rows may match, or a `PostFinder` asked for just those the
    file's references and teams name, so a file of ten rows does not load a national programme.
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
    existing = posts_named(rows, existing) if callable(existing) else list(existing)
    match(rows, existing, lookups)
    if today is not None:
        _stored_start_not_yet(rows, existing, columns, today, appointed_counts)
    plan = ImportPlan(rows, lambda name, value: describe_value(name, value, lookups))
    version_of = {post.id: post.version for post in existing}
    plan.versions = {row.target_id: version_of[row.target_id] for row in rows if row.target_id}
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
            compare(row, post)


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
