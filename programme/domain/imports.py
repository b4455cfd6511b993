"""What every spreadsheet import shares: its fields, row errors, and matching columns to fields."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from programme.domain.spreadsheet import SheetRow, SkippedRow, Table, match_columns, normalise

# What an import may do with a row, in the order reports list them.
IMPORT_ACTIONS = ("created", "updated", "unchanged", "rejected")


# An import's state as its list and downloads name it: previewed (not applied yet), applied,
# undone, or expired (a preview never applied, its file deleted).
IMPORT_STATE_LABELS = {
    "previewed": "Previewed",
    "applied": "Applied",
    "undone": "Undone",
    "expired": "Expired",
}


@dataclass(frozen=True)
class ImportField:
    label: str
    names: tuple[str, ...]  # what spreadsheets call the column
    required: bool = False


@dataclass(frozen=True)
class Problem:
    """Why a cell could not be read. `written` is set when the cell names a value the programme
    does not know, so that the user may say which known value it means."""

    message: str
    written: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    field: str = ""  # the import's field at fault ("role")
    written: str | None = None  # an unknown value the user may map (see `Problem`)
    suggestion: str | None = None

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def sentence(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


def row_error(row: int, column: str, field_name: str, problem: str | Problem) -> RowError:
    if isinstance(problem, str):
        return RowError(row, column, problem, field_name)
    return RowError(row, column, problem.message, field_name, problem.written, problem.suggestion)


@dataclass(frozen=True)
class UnknownValue:
    """A value of a vocabulary column that names nothing the programme knows, with its rows."""

    field: str
    column: str
    written: str
    suggestion: str | None
    rows: tuple[int, ...]


def synonyms(fields: Mapping[str, ImportField]) -> dict[str, tuple[str, ...]]:
    return {name: (spec.label, *spec.names) for name, spec in fields.items()}


def header_signature(headers: Sequence[str]) -> str:
    """The same headers (ignoring case and punctuation) give the same signature."""
    joined = "|".join(normalise(header) for header in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


# Marks a remembered mapping that holds only the user's departures from the matched columns.
CHOICES_ONLY = "_choices_only"


def choices_to_remember(
    fields: Mapping[str, ImportField], headers: Sequence[str], choices: Mapping[str, int | None]
) -> dict[str, int | bool | None]:
    """What to remember of the user's column choices: only where they differ from the columns
    matched by name, so a column the matching finds is found again, however the rules improve."""
    matched = match_columns(headers, synonyms(fields))
    kept: dict[str, int | bool | None] = {
        name: index for name, index in choices.items() if index != matched.get(name)
    }
    return {**kept, CHOICES_ONLY: True}


def resolve_mapping(
    fields: Mapping[str, ImportField],
    headers: Sequence[str],
    remembered: Mapping[str, int | bool | None] | None = None,
) -> dict[str, int]:
    """Columns matched by name, then as the user mapped them for a file with these headers.

    `remembered` maps a field to a column index, or to None when the user said the file has
    none. Indexes are safe to reuse: a mapping is only remembered for the same headers (by
    `header_signature`), and they also tell apart blank or repeated header cells. A column the
    user chose for one field is taken from any field it was matched to.

    Mappings remembered before `CHOICES_ONLY` held every field, and "Not in this file" was the
    form's default for a column the matching had missed; so their None never hides a column
    that is matched by name now.
    """
    remembered = remembered or {}
    mapping = match_columns(headers, synonyms(fields))
    for name, index in remembered.items():
        if name not in fields:
            continue
        if index is None:
            if remembered.get(CHOICES_ONLY):
                mapping.pop(name, None)
        elif 0 <= index < len(headers):
            for other in [other for other, column in mapping.items() if column == index]:
                del mapping[other]
            mapping[name] = index
    return mapping


def missing_fields(fields: Mapping[str, ImportField], mapping: Mapping[str, int]) -> list[str]:
    return [name for name, spec in fields.items() if spec.required and name not in mapping]


def columns_for(
    fields: Mapping[str, ImportField], mapping: Mapping[str, int], headers: Sequence[str]
) -> dict[str, str]:
    """Each mapped field's column as the file names it, for messages ("Row 4, Job Title: ...")."""
    return {
        name: (headers[index] or fields[name].label)
        for name, index in mapping.items()
        if index < len(headers)
    }


def mapping_problems(
    fields: Mapping[str, ImportField], mapping: Mapping[str, int], headers: Sequence[str]
) -> list[str]:
    """Why a user's mapping cannot be used: a required field unmapped, a column used twice."""
    problems = [
        f"Choose the column that holds the {fields[name].label.lower()}."
        for name in missing_fields(fields, mapping)
    ]
    used: dict[int, str] = {}
    for name, index in mapping.items():
        if not 0 <= index < len(headers):
            problems.append(
                f"The column chosen for {fields[name].label.lower()} is not in the file."
            )
        elif index in used:
            problems.append(
                f"“{headers[index]}” is chosen for both {fields[used[index]].label.lower()} and "
                f"{fields[name].label.lower()}."
            )
        else:
            used[index] = name
    return problems


@dataclass(slots=True)
class RowPlan:
    """What an import will do with one row of the file."""

    row: int
    action: str  # one of IMPORT_ACTIONS, or "pending" while the plan is being made
    label: str = ""  # the row as the preview names it ("Bridgwater · FS Team 1 · IDVA")
    # The row's own identifier (a post reference, an e-mail address), kept even when the row is
    # rejected for something else: two rows claiming one identifier are both refused.
    key: str | None = None
    target_id: int | None = None  # the record the row updates
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # What the preview points out about a row it does not reject ("In post from a later date;
    # imported as Appointed"): the row is still imported.
    warnings: list[RowError] = field(default_factory=list)

    @property
    def post_id(self) -> int | None:
        return self.target_id

    @post_id.setter
    def post_id(self, value: int | None) -> None:
        self.target_id = value


def _plain(name: str, value: Any) -> str:
    return "(blank)" if value is None or value == "" else str(value)


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    # How the preview shows a field's value (a team's name for its id, a status's label).
    describe: Callable[[str, Any], str] = _plain
    # The recruitment import's employers: partner organisations it will add, and names it took
    # for a known organisation's because they were close to its name.
    organisations_added: list = field(default_factory=list)
    # Every employer the file names that is new to the programme, even on a rejected row.
    organisations_proposed: list = field(default_factory=list)
    organisation_rows: dict = field(default_factory=dict)  # new organisation -> rows naming it
    organisations_matched: list = field(default_factory=list)
    # The file's rows that are not data (`sheet_rows.py`): listed, never rejected.
    skipped: list[SkippedRow] = field(default_factory=list)
    # Whether a blank cell clears a stored value (else it leaves it alone), and how many stored
    # values blank cells left alone (`keep_stored_values`).
    blank_cells_clear: bool = False
    kept: int = 0
    # The version each record the rows were matched against had when planned: the write refuses
    # one changed since (recruitment: post id -> version).
    versions: dict[int, int] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in IMPORT_ACTIONS}

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def unknown_values(self) -> list[UnknownValue]:
        """Each unknown value once per field (spellings that differ only in case or punctuation
        are one value), in the order the file first uses them."""
        found: dict[tuple[str, str], list[RowError]] = {}
        for error in self.errors:
            if error.written:
                found.setdefault((error.field, normalise(error.written)), []).append(error)
        return [
            UnknownValue(
                errors[0].field,
                errors[0].column,
                errors[0].written,
                errors[0].suggestion,
                tuple(sorted({error.row for error in errors})),
            )
            for errors in found.values()
        ]

    @property
    def warnings(self) -> list[RowError]:
        return [warning for row in self.rows for warning in row.warnings]

    def fingerprint(self) -> str:
        """Changes whenever applying the plan would do something else: the user confirms a
        preview, and a commit planned afresh must match it."""
        outline = [
            (
                row.row,
                row.action,
                row.target_id,
                sorted((k, repr(v)) for k, v in row.values.items()),
            )
            for row in self.rows
        ]
        outline.append(("blank cells clear", self.blank_cells_clear))
        return hashlib.sha256(repr(outline).encode("utf-8")).hexdigest()[:32]


def _blank(value: Any) -> bool:
    return value is None or value == ""


def keep_stored_values(plan: ImportPlan, names: Sequence[str]) -> None:
    """A blank cell leaves the stored value alone: in each row that updates a record, a blank
    value of one of `names` is dropped (new records still get their defaults). Counts in
    `plan.kept` the stored values that a blank cell would otherwise have cleared."""
    for row in plan.rows:
        if row.target_id is None or row.action not in ("updated", "unchanged"):
            continue
        for name in names:
            if name in row.values and _blank(row.values[name]):
                del row.values[name]
                if row.changes.pop(name, None) is not None:
                    plan.kept += 1
        if row.action == "updated" and not row.changes:
            row.action = "unchanged"


def reject_duplicates(rows: list[RowPlan], column: str, key_name: str, item: str) -> None:
    """Refuse every row whose key another row also claims (compared ignoring case): neither
    can be trusted, even when one of them is also wrong in some other way."""
    by_key: dict[str, list[RowPlan]] = {}
    for row in rows:
        if row.key:
            by_key.setdefault(row.key.strip().upper(), []).append(row)
    for claimants in by_key.values():
        if len(claimants) < 2:
            continue
        numbers = ", ".join(str(row.row) for row in claimants)
        for row in claimants:
            row.action = "rejected"
            row.errors.append(
                RowError(
                    row.row,
                    column,
                    f"The {key_name} “{row.key}” is on rows {numbers}; each {item} may appear "
                    "once.",
                )
            )


def consume_rows(table: Table) -> Iterator[SheetRow]:
    """The table's rows in order, each let go as it is handed over (the table's list is left
    empty), so a large file's cells and the plan made from them are never both held in full."""
    rows = table.rows
    rows.reverse()
    while rows:
        yield rows.pop()
