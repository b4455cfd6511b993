"""CSV downloads that are safe to open in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo

from programme.domain.export_tables import ColumnKind, Table, row_kinds, row_values

# A spreadsheet program runs a cell beginning with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_text(value: object) -> bool:
    """Whether a spreadsheet program would evaluate this text. The one test for both formats:
    CSV prefixes such text with an apostrophe, .xlsx writes it as a string cell."""
    # Leading spaces too: some programs trim them before deciding.
    return isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_STARTS)


def safe_cell(value: object, kind: ColumnKind = "text", zone: tzinfo | None = None) -> str:
    """One cell as CSV text: dates as dd/mm/yyyy (what Excel in a UK locale reads as a date),
    shares as percentages, bools as yes/no, and text that would run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone is not None:
            value = value.astimezone(zone)
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if kind == "percent" and isinstance(value, int | float):
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    if kind == "money" and isinstance(value, int | float):
        return f"{value:.2f}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if is_formula_text(value):
        return "'" + value  # type: ignore[operator]
    return str(value)


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """UTF-8 with a byte-order mark, so Excel shows accents and £ signs correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in headers])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def table_csv(table: Table, zone: tzinfo | None = None) -> bytes:
    """A table as CSV bytes (UTF-8 with BOM), each cell written by its column's kind."""
    kinds = [column.kind for column in table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow(
            [
                safe_cell(value, kind, zone)
                for value, kind in zip(row_values(row), row_kinds(row, kinds), strict=False)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
