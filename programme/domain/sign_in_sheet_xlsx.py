"""A sign-in sheet as an .xlsx workbook that prints on A4 and imports as it is filled in.

Plain Python (openpyxl). Above the table: the session's particulars and what to write; then one
header row (repeated on every printed page) and a row per person with their course, module and
session date filled in, so that a row with its Attendance written imports through the attendance
import; then blank rows for walk-ins, left empty so that, unless filled in, the import skips them.
Every text cell is written as text: a name that looks like a formula never runs.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from programme.domain.csv_export import is_formula_text
from programme.domain.sign_in_sheet import COLUMNS, SignInSheet, workbook_instructions
from programme.domain.xlsx_export import NUMBER_FORMATS, sheet_title

_A4 = "9"  # the paper size code OOXML gives A4
_WIDTHS = {
    "Name": 24,
    "E-mail": 28,
    "Team": 16,
    "Role": 16,
    "Attendance": 12,
    "Signature": 24,
    "Course": 20,
    "Module": 8,
    "Session date": 12,
}
_ROW_HEIGHT = 30  # points: room to sign by hand
_LINE = Side(style="thin", color="505A5F")
_BOX = Border(left=_LINE, right=_LINE, top=_LINE, bottom=_LINE)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TOP = Alignment(vertical="center", wrap_text=True)


def header_row(sheet: SignInSheet) -> int:
    """The row the column headings are on: below the title, particulars, instructions and a gap."""
    return 1 + len(sheet.details) + len(workbook_instructions()) + 2


def sign_in_sheet_xlsx(sheet: SignInSheet, *, creator: str, created: datetime) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet_title(f"Module {sheet.module_number} sign-in")
    workbook.properties.title = _text(f"Sign-in sheet: {sheet.title}")
    workbook.properties.creator = creator
    workbook.properties.created = created.replace(tzinfo=None)
    for index, column in enumerate(COLUMNS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]

    title = worksheet.cell(1, 1)
    _put(title, f"Sign-in sheet: {sheet.title}")
    title.font = Font(bold=True, size=14)
    row = 2
    for label, value in sheet.details:
        _put(worksheet.cell(row, 1), label).font = Font(bold=True)
        _put(worksheet.cell(row, 2), value)
        row += 1
    for line in workbook_instructions():
        _put(worksheet.cell(row, 1), line).font = Font(italic=True)
        row += 1
    first = header_row(sheet)
    for index, column in enumerate(COLUMNS, start=1):
        cell = _put(worksheet.cell(first, index), column)
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BOX, _TOP

    for offset, person in enumerate(sheet.people, start=1):
        values = {
            "Name": person.name,
            "E-mail": person.email,
            "Team": person.team,
            "Role": person.role,
            "Course": sheet.course,
            "Module": sheet.module_number,
            "Session date": sheet.on,
        }
        _person_row(worksheet, first + offset, values)
    for offset in range(1, sheet.walk_in_rows + 1):
        _person_row(worksheet, first + len(sheet.people) + offset, {})

    worksheet.freeze_panes = worksheet.cell(first + 1, 1)
    _print_setup(worksheet, first, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _person_row(worksheet, row: int, values: dict) -> None:
    worksheet.row_dimensions[row].height = _ROW_HEIGHT
    for index, column in enumerate(COLUMNS, start=1):
        cell = worksheet.cell(row, index)
        value = values.get(column)
        if value is not None:
            _put(cell, value)
        if column == "Session date":
            cell.number_format = NUMBER_FORMATS["date"]
        cell.border, cell.alignment = _BOX, _TOP


def _print_setup(worksheet, header: int, sheet: SignInSheet) -> None:
    """A4 portrait, one page wide, the column headings repeated on every page."""
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.page_setup.orientation = "portrait"
    worksheet.page_setup.paperSize = _A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.print_title_rows = f"{header}:{header}"
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.6
    last = header + len(sheet.people) + sheet.walk_in_rows
    worksheet.print_area = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    # "&" starts a code in a header or footer, so the course's own are doubled.
    worksheet.oddFooter.left.text = _text(sheet.title).replace("&", "&&")[:100]
    worksheet.oddFooter.right.text = "Page &P of &N"


def _put(cell, value):
    """Fill a cell; text is always a string cell, so nothing typed into a name ever runs."""
    if isinstance(value, str):
        value = _text(value)
        cell.value = value
        if is_formula_text(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _text(value: str) -> str:
    """Text without the control characters an .xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)
