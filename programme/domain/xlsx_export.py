"""Workbooks that look finished: each table a sheet with a styled, frozen header row, filters,
columns that fit, real dates and numbers, RAG words coloured by conditional formatting, and a
print set-up (landscape A4, one page wide, header row repeated, a footer naming the programme
and the date). Written in openpyxl's write-only mode, row by row, so a large sheet streams.

openpyxl takes ~0.2 s to import, so callers import this module where they write a workbook, not
at start-up; the sheets and the workbook's particulars are plain (`export_tables.py`)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, tzinfo
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.properties import PageSetupProperties

from programme.domain.csv_export import is_formula_text
from programme.domain.export_tables import (
    ColumnKind,
    Emphasis,
    Sheet,
    Table,
    WorkbookInfo,
    row_kinds,
    row_values,
)

# Excel's own limit on a sheet's name, the characters it refuses in one, and a name it keeps.
_TITLE_LIMIT = 31
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_RESERVED_TITLES = {"history"}
# Excel's limits on one cell's text and on a footer (its codes included); past them it calls
# the file damaged and "repairs" it.
CELL_TEXT_LIMIT = 32_767
_FOOTER_LIMIT = 255
_FOOTER_CENTRE = "Page &P of &N"
# How many rows a column's width is fitted to; later rows stream without being looked at.
_FIT_SAMPLE = 500
_MIN_WIDTH, _MAX_WIDTH, _WRAP_WIDTH = 8, 60, 50

NUMBER_FORMATS: dict[ColumnKind, str] = {
    "integer": "0",
    "number": "0.##",
    "percent": "0.0%",
    "money": '"£"#,##0.00',
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
_WIDTHS: dict[ColumnKind, int] = {"date": 11, "datetime": 16, "percent": 8, "money": 11}

# Fills light enough that the dark text on them passes WCAG contrast; the word stays in the cell.
RAG_FILLS = {"Red": "F4CCCC", "Amber": "FCE5B6", "Green": "CCE8D4"}
RAG_TEXT = {"Red": "7A1010", "Amber": "5C3B00", "Green": "0B4D22"}

_A4 = "9"  # the paper size code OOXML gives A4
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TOTAL_FONT = Font(bold=True)
_TOTAL_BORDER = Border(top=Side(style="thin"))


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet tab: no characters it refuses, no apostrophe at either
    end, not its reserved "History", at most 31 characters."""
    title = " ".join(_printable(title).translate(_TITLE_FORBIDDEN).split())
    title = title.strip("'")[:_TITLE_LIMIT].strip(" '")
    if title.casefold() in _RESERVED_TITLES:
        title += " sheet"
    return title or "Sheet"


def _printable(text: str) -> str:
    """Text without the control characters an .xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def workbook_bytes(info: WorkbookInfo, sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = _printable(info.title)
    workbook.properties.creator = info.creator
    workbook.properties.created = _naive_utc(info.created)
    workbook.properties.lastModifiedBy = info.creator
    for sheet in sheets:
        _write_sheet(workbook, sheet, info)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook: Workbook, sheet: Sheet, info: WorkbookInfo) -> None:
    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    columns = sheet.table.columns
    rows = iter(sheet.table.rows)
    sample = list(islice(rows, _FIT_SAMPLE))
    for index, width in enumerate(_fitted_widths(sheet.table, sample), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    # The sheet's view and properties are written before its first row, so set them first.
    worksheet.freeze_panes = "A2"
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    cells = _CellMaker(worksheet, [column.kind for column in columns], info.zone)
    worksheet._values_to_row = _values_to_row(worksheet)
    worksheet.append([cells.header(column.header) for column in columns])
    count = 0
    for row in chain(sample, rows):
        worksheet.append(cells.row(row))
        count += 1
    if not count and sheet.table.empty_message:
        worksheet.append([sheet.table.empty_message])
    _finish(worksheet, len(columns), count, columns, info)


def _finish(worksheet, width: int, count: int, columns, info: WorkbookInfo) -> None:
    last_column = get_column_letter(max(width, 1))
    last_row = count + 1
    worksheet.auto_filter.ref = f"A1:{last_column}{last_row}"
    worksheet.print_title_rows = "1:1"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = _A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    right = _footer_text(info.footer_date)
    # "&L", "&C" and "&R" open the three parts; the title gives way if the footer is too long.
    room = _FOOTER_LIMIT - len(_FOOTER_CENTRE) - len(right) - 6
    worksheet.oddFooter.left.text = _footer_text(info.title, room)
    worksheet.oddFooter.center.text = _FOOTER_CENTRE
    worksheet.oddFooter.right.text = right
    for index, column in enumerate(columns, start=1):
        if column.kind == "rag" and count:
            letter = get_column_letter(index)
            _colour_rag(worksheet, f"{letter}2:{letter}{last_row}")


def _colour_rag(worksheet, cells: str) -> None:
    for word, fill in RAG_FILLS.items():
        worksheet.conditional_formatting.add(
            cells,
            CellIsRule(
                operator="equal",
                formula=[f'"{word}"'],
                fill=PatternFill("solid", start_color=fill, end_color=fill),
                font=Font(color=RAG_TEXT[word], bold=True),
            ),
        )


def _footer_text(text: str, limit: int = _FOOTER_LIMIT) -> str:
    text = _printable(text)
    # "&" starts a code in a header or footer, so each is doubled; cut before doubling.
    while len(text.replace("&", "&&")) > limit:
        text = _shortened(text, len(text) - 1)
    return text.replace("&", "&&")


def _fitted_widths(table: Table, sample: Sequence) -> Iterator[float]:
    for index, column in enumerate(table.columns):
        if column.width is not None:
            yield column.width
            continue
        if column.kind == "wrap":
            yield _WRAP_WIDTH
            continue
        longest = max(
            (
                _shown_length(row_values(row)[index])
                for row in sample
                if index < len(row_values(row))
            ),
            default=0,
        )
        fitted = max(len(column.header) + 3, longest + 2, _WIDTHS.get(column.kind, 0))
        yield min(max(fitted, _MIN_WIDTH), _MAX_WIDTH)


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 16 if isinstance(value, datetime) else 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _values_to_row(worksheet):
    """What openpyxl's write-only sheet turns an appended row into, without its waste: it makes
    a new cell after every styled one it is given, and we hand it one cell per column to reuse
    (see `_CellMaker`), so only plain values need a cell, and one serves them all. Each cell
    is written as it is yielded, before the next is filled."""
    plain = WriteOnlyCell(worksheet)

    def cells(values, row_index: int):
        for column_index, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = plain
                _fill(cell, value)
            cell.column, cell.row = column_index, row_index
            yield cell

    return cells


def _fill(cell: Cell, value: object) -> None:
    """Put a value in a cell; text pasted with control characters, which .xlsx cannot hold
    (openpyxl refuses them), loses those characters rather than failing the whole workbook."""
    try:
        cell.value = value
    except IllegalCharacterError:
        cell.value = _printable(value)


# Values written as they are, whatever their column's kind (not text, which may run as a
# formula or be too long; not bools, which a yes/no column writes as words; not datetimes,
# which are written in local time).
_AS_THEY_ARE = frozenset({type(None), int, float, date})


class _CellMaker:
    """Turns a row of plain values into cells. A style is built once per column kind and shared,
    so styling a large sheet costs little more than writing its values."""

    def __init__(self, worksheet, kinds: Sequence[ColumnKind], zone: tzinfo) -> None:
        self.worksheet, self.kinds, self.zone = worksheet, kinds, zone
        self.styles = {kind: self._style(kind, emphasis=False) for kind in set(kinds)}
        self.total_styles = {kind: self._style(kind, emphasis=True) for kind in set(kinds)}
        self.text_style = self._template(quote_prefix=True)._style
        # One styled cell per column, refilled for each row: a row is written as it is appended.
        self.cells = [WriteOnlyCell(worksheet) for _kind in kinds]

    def header(self, text: str) -> WriteOnlyCell:
        # Always a string cell: a header (a criterion's label, a course's name) never runs.
        cell = WriteOnlyCell(self.worksheet)
        cell._value, cell.data_type = _shortened(_printable(text), CELL_TEXT_LIMIT), "s"
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def row(self, row) -> list:
        if isinstance(row, Emphasis):
            return [
                self._cell(cell, value, kind, self._total_style(kind))
                for cell, value, kind in zip(
                    self.cells, row_values(row), row_kinds(row, self.kinds), strict=False
                )
            ]
        styles = self.styles
        return [
            self._cell(cell, value, kind, styles[kind])
            for cell, value, kind in zip(self.cells, row, self.kinds, strict=False)
        ]

    def _total_style(self, kind: ColumnKind):
        if kind not in self.total_styles:  # a kind an Emphasis row gives one of its cells
            self.total_styles[kind] = self._style(kind, emphasis=True)
        return self.total_styles[kind]

    def _cell(self, cell: Cell, value: object, kind: ColumnKind, style):
        if type(value) in _AS_THEY_ARE:
            # Many of a large sheet's cells: no kind changes them and no formula hides in them.
            if style is None:
                return value
            cell.value = value
            cell._style = style
            return cell
        if type(value) is not str or len(value) > CELL_TEXT_LIMIT:
            value = self._value(value, kind)  # text within the limit is kept as it is
        if is_formula_text(value):
            # Text that would run as a formula: a string cell, shown with Excel's quote prefix.
            cell._value, cell.data_type = _printable(value), "s"
            cell._style = self.text_style
            return cell
        if style is None:
            return value
        _fill(cell, value)
        cell._style = style
        return cell

    def _value(self, value: object, kind: ColumnKind) -> object:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        if kind == "yes_no" and isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, str) and len(value) > CELL_TEXT_LIMIT:
            return _shortened(value, CELL_TEXT_LIMIT)
        return value

    def _style(self, kind: ColumnKind, emphasis: bool):
        number_format = NUMBER_FORMATS.get(kind)
        if number_format is None and kind != "wrap" and not emphasis:
            return None  # plain values need no style
        cell = self._template(quote_prefix=False)
        if number_format:
            cell.number_format = number_format
        if kind == "wrap":
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if emphasis:
            cell.font, cell.border = _TOTAL_FONT, _TOTAL_BORDER
        return cell._style

    def _template(self, quote_prefix: bool) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.worksheet)
        if quote_prefix:
            cell.quotePrefix = True
        return cell


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
