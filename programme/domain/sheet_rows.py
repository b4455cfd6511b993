"""Rows of a spreadsheet that are not data, and columns that an import does not read.

Plain Python. Trackers are kept for people to read: under the data there may be a total row, a
key to the colours or a note of where the figures came from, and a tracker pasted together in
blocks repeats its header row. Such rows are set aside ("not data, skipped") rather than
rejected, so one footer does not block a whole file. The rules, in order:

1. **The header row again**: every non-blank cell is its column's header (ignoring case and
   punctuation), and together they are at least two of the headers and half of them.
2. A row is set aside by the next two rules only when it **lacks most of the required values**:
   fewer than half of the required columns hold a value, not counting the row's first cell and
   formulas. A row that names its team "Key Team" but has its locality, role and status is data.
3. **A footer word**: its first non-blank cell that is not a figure begins with a word such as
   "Total", "Grand total", "Key", "Legend", "Notes:", "Source:", "Last updated" or "*" (a ledger's
   total row may give its figure before its label).
4. **Only totals**: every non-blank cell is a number or a sum or count formula (=SUM(...),
   =COUNTA(...), =SUBTOTAL(...), ...).

Anything else stays data, so a real row that is short of values is rejected with its reasons, not
skipped out of sight. Blank rows among the data are listed by ``spreadsheet.read_table``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from programme.domain.spreadsheet import CellValue, SheetRow, SkippedRow, Table, normalise

__all__ = ["not_data", "set_aside", "unused_columns"]

TOTAL = "a total row"
KEY = "a key"
NOTE = "a note"
HEADER_AGAIN = "the header row again"

# First words of a footer cell, compared as lower-case words (punctuation ignored).
FOOTER_WORDS: dict[tuple[str, ...], str] = {
    ("total",): TOTAL,
    ("totals",): TOTAL,
    ("grand", "total"): TOTAL,
    ("sub", "total"): TOTAL,
    ("subtotal",): TOTAL,
    ("subtotals",): TOTAL,
    ("sum",): TOTAL,
    ("count",): TOTAL,
    ("key",): KEY,
    ("legend",): KEY,
    ("note",): NOTE,
    ("notes",): NOTE,
    ("nb",): NOTE,
    ("n", "b"): NOTE,
    ("source",): NOTE,
    ("sources",): NOTE,
    ("last", "updated"): NOTE,
    ("updated",): NOTE,
    ("date", "updated"): NOTE,
    ("as", "at"): NOTE,
    ("data", "as", "at"): NOTE,
    ("prepared", "by"): NOTE,
    ("produced", "by"): NOTE,
    ("report", "run"): NOTE,
    ("generated",): NOTE,
    ("printed",): NOTE,
    ("page",): NOTE,
    ("end", "of", "report"): NOTE,
}
_NOTE_MARKS = ("*", "†", "‡")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"[-+]?(?:£|\$|€)?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?")
_AGGREGATE = re.compile(
    r"=\s*(?:[a-z_.]+\.)?(?:sum|sumif|sumifs|sumproduct|count|counta|countif|countifs|countblank"
    r"|subtotal|aggregate|average|averagea|averageif|averageifs|min|max)\s*\(",
    re.IGNORECASE,
)


def set_aside(table: Table, mapping: Mapping[str, int], required: Collection[str]) -> Table:
    """The table without the rows that are not data, which join its ``skipped`` list (in order).

    ``mapping`` is field -> column index, ``required`` the fields every data row must fill. The
    given table's rows are handed over (its list is left empty), so no second copy of a large
    file's rows outlives this call."""
    required_columns = [mapping[name] for name in required if name in mapping]
    header_keys = _keys(table.headers)
    kept: list[SheetRow] = []
    skipped = list(table.skipped)
    rows = table.rows
    rows.reverse()
    while rows:
        row = rows.pop()
        reason = _reason(row.cells, header_keys, required_columns)
        if reason is None:
            kept.append(row)
        else:
            skipped.append(SkippedRow(row.number, reason))
    skipped.sort(key=lambda entry: entry.number)
    return replace(table, rows=kept, skipped=skipped)


def not_data(
    cells: Sequence[CellValue], headers: Sequence[str], required_columns: Collection[int]
) -> str | None:
    """Why a (non-blank) row is not data, or None when it is data: see the module's rules."""
    return _reason(cells, _keys(headers), required_columns)


def _keys(headers: Sequence[str]) -> tuple[str, ...]:
    return tuple(normalise(header) for header in headers)


def _reason(
    cells: Sequence[CellValue], header_keys: Sequence[str], required_columns: Collection[int]
) -> str | None:
    filled = [index for index, cell in enumerate(cells) if cell is not None and _text(cell)]
    if not filled:
        return None
    if _is_header_again(cells, header_keys, filled):
        return HEADER_AGAIN
    first = filled[0]
    present = sum(
        1
        for index in required_columns
        if index != first and index < len(cells) and _is_value(cells[index])
    )
    if present * 2 >= max(len(required_columns), 1):
        return None
    # A ledger's total row may give its figure before its label: "£20,200.50 | Total".
    worded = next((index for index in filled if not _is_total(cells[index])), None)
    if worded is not None and (reason := _footer_word(_text(cells[worded]))):
        return reason
    if all(_is_total(cells[index]) for index in filled):
        return TOTAL
    return None


def _text(cell: CellValue) -> str:
    return cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell)


def _is_header_again(cells: Sequence[CellValue], header_keys: Sequence[str], filled: list[int]):
    named = sum(1 for key in header_keys if key)
    if len(filled) < 2 or len(filled) * 2 < named:
        return False
    return all(
        index < len(header_keys)
        and header_keys[index]
        and normalise(cells[index]) == header_keys[index]
        for index in filled
    )


def _is_value(cell: CellValue) -> bool:
    text = _text(cell)
    return bool(text) and not text.startswith("=")


def _footer_word(text: str) -> str | None:
    if text.startswith(_NOTE_MARKS):
        return NOTE
    words = tuple(_WORD.findall(text.lower()))
    for length in (3, 2, 1):
        if reason := FOOTER_WORDS.get(words[:length]):
            return reason
    return None


def _is_total(cell: CellValue) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    if not isinstance(cell, str):
        return False  # a date is not a total
    text = cell.strip()
    return bool(_AGGREGATE.match(text)) or (
        any(char.isdigit() for char in text) and bool(_NUMBER.fullmatch(text.replace(" ", "")))
    )


def unused_columns(
    headers: Sequence[str], mapping: Mapping[str, int], rows: Sequence[SheetRow] = ()
) -> list[str]:
    """The file's columns that no field reads, as the preview names them: each named column,
    and each column without a header that holds something in ``rows``."""
    used = set(mapping.values())
    unused = []
    for index, header in enumerate(headers):
        if index in used:
            continue
        if header:
            unused.append(header)
        elif any(index < len(row.cells) and row.cells[index] is not None for row in rows):
            unused.append(f"Column {index + 1} (no header)")
    return unused
