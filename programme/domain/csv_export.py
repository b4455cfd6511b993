"""CSV downloads that are safe to open in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

# Excel runs a cell beginning with one of these as a formula; a leading apostrophe keeps it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """UTF-8 with a byte-order mark, so Excel shows accents and £ signs correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
