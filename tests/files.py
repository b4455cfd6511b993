"""Spreadsheet files built in code, as messy as the ones HR leads really upload."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook


def xlsx_bytes(
    rows: Iterable[Sequence],
    *,
    title_rows: Iterable[Sequence] = (),
    merge: Iterable[str] = (),
    hidden_columns: Iterable[str] = (),
    sheet_title: str = "Posts",
) -> bytes:
    """A one-sheet workbook: `title_rows` first, then `rows` (header first) from column A.

    `merge` holds ranges such as "A1:D1"; `hidden_columns` holds column letters such as "J".
    A text cell starting with "=" is saved as a formula, as Excel would.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in [*title_rows, *rows]:
        sheet.append(list(row))
    for cells in merge:
        sheet.merge_cells(cells)
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Iterable[Sequence], *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> bytes:
    """A CSV file as Excel saves it: CRLF line ends, the given encoding (with its BOM, if any)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding)


def zip_bomb(size: int = 50 * 1024 * 1024) -> bytes:
    """A "workbook" whose one part unpacks from a few kilobytes to `size` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buffer.getvalue()
