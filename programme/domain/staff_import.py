"""Turning a team list (name, e-mail, locality, team, role, dates) into a plan per person.

People are matched by e-mail address, so importing the same list twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from programme.domain.imports import (
    ImportField,
    ImportPlan,
    Problem,
    RowPlan,
    columns_for,
    reject_duplicates,
    row_error,
)
from programme.domain.programme_names import (
    Lookups,
    resolve,
    team_in,
)
from programme.domain.recruitment import is_email
from programme.domain.recruitment_import import (
    describe_value,
)
from programme.domain.spreadsheet import CellValue, SheetRow, Table, cell_text, parse_date

FIELDS: dict[str, ImportField] = {
    "name": ImportField(
        "Name",
        (
            "Name",
            "Full name",
            "Staff name",
            "Employee",
            "Employee name",
            "Worker",
            "Staff member",
            "Worker name",
        ),
        required=True,
    ),
    "email": ImportField(
        "E-mail",
        ("Email", "E-mail", "Email address", "Work email", "Work e-mail", "Staff email"),
        required=True,
    ),
    "locality": ImportField(
        "Locality",
        ("Locality", "Service area", "Office", "Area", "Location", "Base", "District", "Hub"),
        required=True,
    ),
    "team": ImportField("Team", ("Team", "Team name", "FS team", "Service team"), required=True),
    "role": ImportField(
        "Role",
        ("Role", "Job title", "Post title", "Job role", "Position", "Role title", "Designation"),
        required=True,
    ),
    "start_date": ImportField(
        "Start date",
        ("Start date", "Start", "Date started", "Joined", "Date joined", "Contract start"),
    ),
    "leaving_date": ImportField(
        "Leaving date",
        (
            "Leaving date",
            "Leaver date",
            "End date",
            "Date left",
            "Left",
            "Leave date",
            "Date of leaving",
            "Contract end",
        ),
    ),
    "reference": ImportField(
        "Post reference", ("Post ref", "Post reference", "Post ID", "Post number", "Position ref")
    ),
}

STAFF_FIELDS = ("name", "team_id", "role_id", "start_date", "leaving_date", "post_id")


@dataclass(frozen=True)
class ExistingStaff:
    id: int
    email: str
    values: Mapping[str, Any]  # STAFF_FIELDS -> current value


def plan_staff_import(
    table: Table,
    mapping: Mapping[str, int],
    lookups: Lookups,
    existing: Iterable[ExistingStaff],
    posts_by_reference: Mapping[str, int],
) -> ImportPlan:
    columns = columns_for(FIELDS, mapping, table.headers)
    rows = [
        _read_row(sheet_row, mapping, columns, lookups, posts_by_reference)
        for sheet_row in table.rows
    ]
    reject_duplicates(rows, columns.get("email", "E-mail"), "e-mail address", "person")
    by_email = {person.email: person for person in existing}
    for row in rows:
        if row.action == "pending":
            _compare(row, by_email.get(row.key))
    return ImportPlan(rows, lambda name, value: describe_value(name, value, lookups))


def _read_row(
    sheet_row: SheetRow,
    mapping: Mapping[str, int],
    columns: Mapping[str, str],
    lookups: Lookups,
    posts_by_reference: Mapping[str, int],
) -> RowPlan:
    plan = RowPlan(sheet_row.number, "rejected")

    def cell(name: str) -> CellValue:
        return sheet_row.cells[mapping[name]] if name in mapping else None

    def reject(name: str, problem: str | Problem) -> None:
        column = columns.get(name, FIELDS[name].label)
        plan.errors.append(row_error(sheet_row.number, column, name, problem))

    values = _person(cell, reject, plan)
    values.update(_place(cell, reject, lookups, plan))
    values.update(_dates(cell, reject, mapping))
    if "reference" in mapping:
        values["post_id"] = _post(cell("reference"), posts_by_reference, reject)
    if not plan.errors:
        plan.action, plan.values = "pending", values
    return plan


def _person(cell, reject, plan: RowPlan) -> dict[str, Any]:
    name, email = cell_text(cell("name")), cell_text(cell("email")).lower()
    plan.key = email or None
    plan.label = name
    if not name:
        reject("name", "The name is blank.")
    elif len(name) > 200:
        reject("name", "The name is longer than 200 characters.")
    if not is_email(email):
        reject("email", f"“{email}” is not an e-mail address." if email else "The e-mail is blank.")
    return {"name": name}


def _place(cell, reject, lookups: Lookups, plan: RowPlan) -> dict[str, Any]:
    values = {}
    locality, problem = resolve(cell("locality"), lookups.localities, "locality")
    if problem:
        reject("locality", problem)
    else:
        team, problem = team_in(lookups, locality, cell("team"))
        if problem:
            reject("team", problem)
        else:
            values["team_id"] = team.id
            plan.label += f" · {locality.name} · {team.name}"
    role, problem = resolve(cell("role"), lookups.roles, "role")
    if problem:
        reject("role", problem)
    else:
        values["role_id"] = role.id
    return values


def _dates(cell, reject, mapping: Mapping[str, int]) -> dict[str, Any]:
    values = {}
    for field_name in ("start_date", "leaving_date"):
        if field_name in mapping:
            try:
                values[field_name] = parse_date(cell(field_name))
            except ValueError as error:
                reject(field_name, str(error))
    start, leaving = values.get("start_date"), values.get("leaving_date")
    if start and leaving and leaving < start:
        reject("leaving_date", "The leaving date is before the start date.")
    return values


def _post(value: CellValue, posts_by_reference: Mapping[str, int], reject) -> int | None:
    reference = cell_text(value)
    if not reference:
        return None
    post_id = posts_by_reference.get(reference.upper())
    if post_id is None:
        reject("reference", f"There is no post with the reference “{reference}”.")
    return post_id


def _compare(row: RowPlan, person: ExistingStaff | None) -> None:
    if person is None:
        row.action = "created"
        row.values.setdefault("start_date", None)
        row.values.setdefault("leaving_date", None)
        row.values.setdefault("post_id", None)
        return
    row.target_id = person.id
    row.changes = {
        name: (person.values[name], value)
        for name, value in row.values.items()
        if person.values[name] != value
    }
    row.action = "updated" if row.changes else "unchanged"
