"""An upload's rows kept as JSON come back as the file's table gave them, types and all."""

from __future__ import annotations

import json
from datetime import date, datetime

from programme.domain.spreadsheet import SheetRow, SkippedRow, Table
from programme.domain.stored_rows import stored_rows, table_from


def test_rows_come_back_with_every_cell_type_and_the_rows_set_aside():
    cells = ("SOM-001", 1, 0.5, True, None, date(2026, 9, 1), datetime(2026, 9, 1, 9, 30), "")
    table = Table(
        headers=("Ref", "A", "B", "C", "D", "Start", "At", ""),
        header_row=4,
        rows=[SheetRow(5, cells), SheetRow(9, ("SOM-002",) + (None,) * 7)],
        sheet_name="Posts",
        skipped=[SkippedRow(6, "a blank row", 8)],
    )

    kept = json.loads(json.dumps(stored_rows(table)))  # as the JSON column stores it
    again = table_from(kept, list(table.headers), table.header_row, table.sheet_name)

    assert again == table
    assert [type(cell) for cell in again.rows[0].cells] == [type(cell) for cell in cells]
