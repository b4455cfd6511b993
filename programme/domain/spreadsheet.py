"""Reading the spreadsheets HR leads and trainers upload (.xlsx and .csv).

Plain Python (no Flask, no SQLAlchemy): importers call ``read_table`` with the uploaded bytes
and a mapping of field -> header synonyms, then ``match_columns`` to find their columns.

* ``read_table``: checks the file is what its name says and is safe to open, finds the header
  row (below any title rows) on the sheet that looks most like the import, and returns the
  rows under it as plain values. Workbooks are read with python-calamine
  (``spreadsheet_calamine.py``) unless the scan or the values show it would not give what
  openpyxl gives, and then with openpyxl (``use_calamine=False``: always with openpyxl).
  Anything that stops the file being read at all raises ``SpreadsheetError`` with one
  sentence for the user; problems with single cells are left to the caller, which knows what
  each column should hold. Opening the file safely (zip and
  XML bombs, a CSV's encoding and delimiter) is ``spreadsheet_files.py``'s job.
* ``match_columns`` (from ``headers.py``), ``normalise``, ``nearest``: header matching and
  "did you mean" hints.
* ``cell_text``, ``parse_date``: a cell as text, and UK dates (never US mm/dd).

Cells hold what the user typed: text stays text (so "-5", "+44 7700" and "=SUM(A1:A3)" are
never turned into numbers or evaluated), Excel numbers stay numbers, Excel dates become
``date`` (``datetime`` when they carry a time), and an empty cell is ``None`` in both formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeAlias

from programme.domain.cells import CellValue, cell_text, nearest, normalise, parse_date
from programme.domain.formatting import file_size
from programme.domain.headers import match_columns
from programme.domain.spreadsheet_calamine import NotAsOpenpyxl, calamine_rows, calamine_sheets
from programme.domain.spreadsheet_files import (
    DEFAULT_LIMITS,
    OLE2_MAGIC,
    ZIP_MAGIC,
    ReadLimits,
    SpreadsheetError,
    check_zip,
    csv_delimiter,
    decode_csv,
    guarded_csv,
    guarded_rows,
    open_workbook,
    xlsx_value,
)
from programme.domain.spreadsheet_formulas import formula_cells, lay_over
from programme.domain.spreadsheet_scan import scan_zip

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = [
    "CellValue",
    "ReadLimits",
    "SheetRow",
    "SkippedRow",
    "SpreadsheetError",
    "Table",
    "cell_text",
    "match_columns",
    "nearest",
    "normalise",
    "parse_date",
    "read_table",
]


# Which reader read the last workbook in this process, and why not calamine: for tests and the
# benchmark (the worker's reads happen in another process).
last_xlsx_reader: tuple[str, str | None] | None = None

# What the scan may find that calamine still reads as openpyxl, with the formulas' text laid over
# its cached results (``spreadsheet_formulas.py``).
FORMULA_FINDINGS = frozenset({"formulas", "error values"})

HEADER_SEARCH_ROWS = 30  # non-blank rows looked at to find the header
MAX_BLANK_RUN = 1_000  # formatted-but-empty sheets can run to a million blank rows


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based, as Excel shows it (for a CSV: the record number)
    cells: tuple[CellValue, ...]  # one per header column


@dataclass(frozen=True)
class SkippedRow:
    """Rows of the file that are not data (``sheet_rows.py`` says which), and why."""

    number: int
    reason: str  # "a blank row", "a total row", "the header row again", "a key", "a note"
    last: int | None = None  # a run of blank rows is one entry: rows number to last

    @property
    def count(self) -> int:
        return (self.last or self.number) - self.number + 1

    def as_dict(self) -> dict:
        return {"row": self.number, "last": self.last, "reason": self.reason}

    @classmethod
    def from_dict(cls, stored: dict) -> SkippedRow:
        return cls(stored["row"], stored["reason"], stored.get("last"))


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]  # as written, stripped; "" for a blank header cell
    header_row: int
    rows: list[SheetRow]  # blank rows are left out (and listed in skipped)
    sheet_name: str | None  # None for a CSV
    # Rows under the header that are not data: blank rows among the data here, and (once the
    # columns are known) the rows `sheet_rows.set_aside` finds. Blank rows after the last row
    # that holds anything are not listed.
    skipped: list[SkippedRow] = field(default_factory=list)


NumberedRow: TypeAlias = tuple[int, tuple[CellValue, ...]]
# Rows of one sheet from a 1-based row number onwards; called again to re-read from the top.
RowSource: TypeAlias = Callable[[int], Iterator[NumberedRow]]


@dataclass(frozen=True)
class _Header:
    row: int
    headers: tuple[str, ...]
    score: int  # distinct fields matched
    strength: int  # 2 matched fields, 1 looks like a header, 0 just the first non-blank row

    @property
    def rank(self) -> tuple[int, int]:
        return (self.score, self.strength)


@dataclass(frozen=True)
class _Sheet:
    name: str | None  # None for a CSV
    rows: RowSource
    header: _Header | None  # None when the sheet has no non-blank rows


# --------------------------------------------------------------------------- read_table


def read_table(
    data: bytes,
    filename: str,
    field_synonyms: Mapping[str, Sequence[str]],
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    use_calamine: bool = True,
) -> Table:
    """The header and data rows of an uploaded .xlsx or .csv file.

    ``field_synonyms`` is used only to find the header row (and, in a workbook, the sheet);
    map the columns afterwards with ``match_columns(table.headers, field_synonyms)``.
    """
    name = PurePath(filename.replace("\\", "/")).name
    extension = PurePath(name.lower()).suffix
    if extension == ".xls":
        raise SpreadsheetError(
            "Excel 97–2003 (.xls) files cannot be read; open it in Excel, save it as an "
            "Excel Workbook (.xlsx) and upload that."
        )
    if extension not in (".xlsx", ".csv"):
        raise SpreadsheetError(f"Upload an .xlsx or .csv file; “{name}” is neither.")
    _check_size(data, limits)
    if extension == ".xlsx":
        return _read_xlsx(data, field_synonyms, limits, use_calamine)
    return _read_csv(data, field_synonyms, limits)


def _check_size(data: bytes, limits: ReadLimits) -> None:
    if not data:
        raise SpreadsheetError("The file is empty.")
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(
            f"The file is larger than {file_size(limits.max_bytes)}; split it into smaller files."
        )


def _build_table(sheets: Sequence[_Sheet], limits: ReadLimits) -> Table:
    """The table under the best header of the sheets given (ties go to the earliest sheet)."""
    found = [sheet for sheet in sheets if sheet.header is not None]
    if not found:
        raise SpreadsheetError("The file has no rows to import.")
    best = max(found, key=lambda sheet: sheet.header.rank)  # max keeps the first of equals
    header = best.header
    skipped: list[SkippedRow] = []
    rows = _data_rows(best.rows(header.row + 1), len(header.headers), limits, skipped)
    return Table(header.headers, header.row, rows, best.name, skipped)


# --------------------------------------------------------------------------- rows


def _is_blank(cells: Iterable[CellValue]) -> bool:
    return all(cell is None for cell in cells)  # blank strings are None by now


def _find_header(
    rows: Iterator[NumberedRow], field_synonyms: Mapping[str, Sequence[str]]
) -> _Header | None:
    """The row among the first non-blank ones matching the most fields (ties: the earliest).

    With no field matched anywhere, the first row with two or more text cells is taken (and
    failing that the first non-blank row), so the caller can report the unknown headers.
    """
    best: _Header | None = None
    for number, cells in _first_non_blank(rows, HEADER_SEARCH_ROWS):
        texts = _header_texts(cells)
        score = len(match_columns(texts, field_synonyms))
        strength = 2 if score else (1 if _text_cell_count(cells) >= 2 else 0)
        candidate = _Header(number, texts, score, strength)
        if best is None or candidate.rank > best.rank:
            best = candidate
    return best


def _first_non_blank(rows: Iterator[NumberedRow], count: int) -> Iterator[NumberedRow]:
    """Up to ``count`` non-blank rows, giving up after a long run of blank ones."""
    blank_run = 0
    for number, cells in rows:
        if _is_blank(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                return
            continue
        blank_run = 0
        yield number, cells
        count -= 1
        if count == 0:
            return


def _header_texts(cells: tuple[CellValue, ...]) -> tuple[str, ...]:
    texts = [cell_text(cell) for cell in cells]
    while texts and not texts[-1]:  # styled empty cells to the right are not columns
        texts.pop()
    return tuple(texts)


def _text_cell_count(cells: tuple[CellValue, ...]) -> int:
    return sum(1 for cell in cells if isinstance(cell, str))


def _data_rows(
    rows: Iterator[NumberedRow], width: int, limits: ReadLimits, skipped: list[SkippedRow]
) -> list[SheetRow]:
    """Rows below the header, cut or padded to the header's width; blank rows skipped, and
    listed in ``skipped`` (a run of them as one entry) when a non-blank row follows.

    Raises as soon as the row limit is passed, so a huge sheet is never held in memory.
    """
    result: list[SheetRow] = []
    blank_run = 0
    for number, raw in rows:
        cells = raw[:width] + (None,) * (width - len(raw))
        if _is_blank(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        if blank_run:
            first = number - blank_run
            skipped.append(SkippedRow(first, "a blank row", number - 1 if blank_run > 1 else None))
        blank_run = 0
        if len(result) >= limits.max_rows:
            raise SpreadsheetError(
                f"The file has more than {limits.max_rows:,} rows; split it into smaller files."
            )
        result.append(SheetRow(number, cells))
    return result


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(
    data: bytes,
    field_synonyms: Mapping[str, Sequence[str]],
    limits: ReadLimits,
    use_calamine: bool,
) -> Table:
    if data.startswith(OLE2_MAGIC):
        raise SpreadsheetError(
            "This file is password-protected or in the old Excel 97–2003 format; remove the "
            "password or save it as an Excel Workbook (.xlsx), then upload it again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError("The file is named .xlsx but is not an Excel workbook.")
    check_zip(data, limits)
    differences = scan_zip(data, limits)  # before either reader parses any XML
    if use_calamine and differences <= FORMULA_FINDINGS:
        try:
            return _with_calamine(data, field_synonyms, limits, formulas=bool(differences))
        except NotAsOpenpyxl as error:
            differences = frozenset({error.reason})
    return _with_openpyxl(data, field_synonyms, limits, differences if use_calamine else None)


def _with_calamine(
    data: bytes,
    field_synonyms: Mapping[str, Sequence[str]],
    limits: ReadLimits,
    *,
    formulas: bool,
) -> Table:
    global last_xlsx_reader
    last_xlsx_reader = ("calamine", None)
    sheets = []
    formula_values = formula_cells(data) if formulas else {}
    for name, values in calamine_sheets(data):
        lay_over(values, formula_values.get(name, {}))

        def rows(first: int, values: list[list] = values) -> Iterator[NumberedRow]:
            return calamine_rows(values, first)

        sheets.append(_Sheet(name, rows, _find_header(rows(1), field_synonyms)))
    return _build_table(sheets, limits)


def _with_openpyxl(
    data: bytes,
    field_synonyms: Mapping[str, Sequence[str]],
    limits: ReadLimits,
    differences: frozenset[str] | None,
) -> Table:
    global last_xlsx_reader
    last_xlsx_reader = ("openpyxl", ", ".join(sorted(differences)) if differences else None)
    workbook = open_workbook(data)
    try:
        # Chart sheets are not in .worksheets. Hidden sheets, rows and columns are read like
        # any other: read-only mode cannot see row and column visibility anyway.
        sheets = workbook.worksheets
        return _build_table([_sheet(sheet, field_synonyms) for sheet in sheets], limits)
    finally:
        workbook.close()  # read-only mode keeps the zip archive open until closed


def _sheet(sheet: ReadOnlyWorksheet, field_synonyms: Mapping[str, Sequence[str]]) -> _Sheet:
    sheet.reset_dimensions()  # some writers record a wrong size, which would cut rows off

    def rows(first: int) -> Iterator[NumberedRow]:
        values = sheet.iter_rows(min_row=first, values_only=True)
        # Missing rows come back as empty tuples, so counting gives Excel's row numbers.
        for number, raw in enumerate(guarded_rows(values), start=first):
            yield number, tuple(xlsx_value(value) for value in raw)

    return _Sheet(sheet.title, rows, _find_header(rows(1), field_synonyms))


# --------------------------------------------------------------------------- csv


def _read_csv(
    data: bytes, field_synonyms: Mapping[str, Sequence[str]], limits: ReadLimits
) -> Table:
    text = decode_csv(data)
    delimiter = csv_delimiter(text)

    def rows(first: int) -> Iterator[NumberedRow]:
        # The decoded text is already in memory, so reading it twice costs little.
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(guarded_csv(records), start=1):
            if number >= first:
                yield number, tuple(field.strip() or None for field in record)

    return _build_table([_Sheet(None, rows, _find_header(rows(1), field_synonyms))], limits)
