"""An uploaded file's rows as read, kept as JSON beside the import, so its preview is planned
from them and the file is parsed once, at upload (issue 17).

Cells keep their type: text, numbers and booleans are JSON's own; a date or a date and time is
{"date": "2026-12-03"} or {"datetime": "2026-12-03T09:30:00"}.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from programme.domain.cells import CellValue
from programme.domain.spreadsheet import SheetRow, SkippedRow, Table

FORMAT = 1


def _cell(value: CellValue) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _value(stored: Any) -> CellValue:
    if isinstance(stored, dict):
        if "datetime" in stored:
            return datetime.fromisoformat(stored["datetime"])
        return date.fromisoformat(stored["date"])
    return stored


def stored_rows(table: Table) -> dict[str, Any]:
    """The table's data rows and the rows it set aside, as JSON values."""
    return {
        "format": FORMAT,
        "rows": [[row.number, [_cell(cell) for cell in row.cells]] for row in table.rows],
        "skipped": [row.as_dict() for row in table.skipped],
    }


def table_from(
    stored: dict[str, Any], headers: list[str], header_row: int, sheet_name: str | None
) -> Table:
    """The table `stored_rows` kept, as reading the file again would give it."""
    return Table(
        headers=tuple(headers),
        header_row=header_row,
        rows=[
            SheetRow(number, tuple(_value(cell) for cell in cells))
            for number, cells in stored["rows"]
        ],
        sheet_name=sheet_name,
        skipped=[SkippedRow.from_dict(entry) for entry in stored["skipped"]],
    )
