"""Streaming a workbook's zip parts once before calamine or openpyxl reads them: every part's
actual size against what the zip declares and against the unpacked limit, and every worksheet's
cells and columns counted as they stream, so a hostile file is refused at the limit, never after.
Then `spreadsheet_markup.py` notes what calamine would read differently from openpyxl.

The cell count is an upper bound read from the raw XML (a ``<c>`` element that is not empty),
so it never lets through more cells than openpyxl would build; the worker's memory cap
(``spreadsheet_worker.py``) stays the last line of defence.
"""

from __future__ import annotations

import io
import re
import zipfile

from programme.domain.formatting import file_size
from programme.domain.spreadsheet_files import ReadLimits, SpreadsheetError, workbook_error
from programme.domain.spreadsheet_markup import calamine_differences

CHUNK = 256 * 1024
# A row, or a cell that is not self-closing (an empty styled cell carries no value), with any
# namespace prefix.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])([^>]*)>")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_SHARED_STRINGS = re.compile(r"xl/sharedStrings\.xml", re.IGNORECASE)
_STRING_TAGS = (b"<si>", b"<si ", b":si>", b":si ")  # bytes.count: fast on 300 MB
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d{1,7})[\"']")
_CELL_COLUMN = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{1,3})\d")


def scan_zip(data: bytes, limits: ReadLimits) -> frozenset[str]:
    """Inflate every part once, counting as it streams; raise at the first limit passed.

    Returns what in the file python-calamine would read differently from openpyxl (nothing:
    calamine gives the same table), looked for only once the file is known to be within the
    limits, so a hostile file costs no more time than before."""
    spread = _check_parts(data, limits)
    return calamine_differences(data, spread)


def _check_parts(data: bytes, limits: ReadLimits) -> int:
    """The scan proper; returns how many cells calamine would hold (rows x columns)."""
    total = 0
    spread = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                cells = _counter(member.filename, limits)
                actual = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        actual += len(chunk)
                        total += len(chunk)
                        if actual > member.file_size:
                            raise _lying()
                        if total > limits.max_uncompressed_bytes:
                            raise expands_error(limits)
                        if cells is not None:
                            cells.feed(chunk)
                if actual != member.file_size:
                    raise _lying()
                if cells is not None:
                    spread += cells.spread()
    except (SpreadsheetError, MemoryError):
        raise  # the scan's own refusals; the worker's memory cap is its own message
    except (zipfile.BadZipFile, EOFError) as error:
        # zipfile never inflates past the declared size: a part longer than it says fails its
        # checksum there, one shorter ends early. Anything else is damage, not a lie.
        if isinstance(error, EOFError) or "CRC" in str(error):
            raise _lying() from error
        raise workbook_error(error) from error
    except Exception as error:
        # Whatever else reading a part raises is damage or a part we cannot read: each
        # decompressor has its own error (zlib.error, OSError from bz2, lzma.LZMAError),
        # an unknown method is NotImplementedError and an encrypted part RuntimeError.
        raise workbook_error(error) from error
    return spread


def _counter(name: str, limits: ReadLimits) -> _CellCounter | None:
    if _SHEET_PART.fullmatch(name):
        return _CellCounter(limits)
    if _SHARED_STRINGS.fullmatch(name):  # openpyxl holds every shared string at once
        return _CellCounter(limits, strings=True)
    return None


def expands_error(limits: ReadLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file expands to more than {file_size(limits.max_uncompressed_bytes)} of data, "
        "so it was not opened."
    )


def _lying() -> SpreadsheetError:
    return SpreadsheetError(
        "The workbook’s parts are not the size it says they are, so it was not opened; "
        "it may be damaged."
    )


class _CellCounter:
    """Counts a worksheet's cells per row and in all, across chunk boundaries, and how far
    down and across the cells go (the last cell of each row, as Excel writes them in order)."""

    def __init__(self, limits: ReadLimits, *, strings: bool = False) -> None:
        self.strings = strings
        self.max_columns = limits.max_columns
        self.max_cells = limits.max_rows * limits.max_columns
        self.in_row = 0
        self.total = 0
        self.tail = b""
        self.row = 0  # the row being read (1-based), 0 before the first
        self.last_cell = b""  # the attributes of the row's last cell with content
        self.rows = 0
        self.columns = 0

    def spread(self) -> int:
        """Rows x columns from A1 to the furthest cell with content (an upper bound)."""
        self._end_row()
        return self.rows * self.columns

    def _start_row(self, attributes: bytes) -> None:
        self._end_row()
        number = _ROW_NUMBER.search(attributes)
        self.row = int(number.group(1)) if number else self.row + 1
        self.in_row = 0

    def _end_row(self) -> None:
        if not self.in_row:
            return
        column = _CELL_COLUMN.search(self.last_cell)
        width = _column_number(column.group(1)) if column else 0
        self.columns = max(self.columns, width, self.in_row)
        self.rows = max(self.rows, self.row)

    def feed(self, chunk: bytes) -> None:
        text = self.tail + chunk
        cut = text.rfind(b"<")
        # A tag may be cut by the chunk's end: keep its start for the next chunk (a tag longer
        # than a chunk is not a cell anyone wrote, and is simply not counted twice).
        if cut != -1 and b">" not in text[cut:]:
            text, self.tail = text[:cut], text[cut:][:CHUNK]
        else:
            self.tail = b""
        if self.strings:
            self.total += sum(text.count(tag) for tag in _STRING_TAGS)
            if self.total > self.max_cells:
                raise SpreadsheetError(
                    f"The file holds more than {self.max_cells:,} pieces of text; split it "
                    "into smaller files."
                )
            return
        for match in _TAG.finditer(text):
            if match.group(1) == b"row":
                self._start_row(match.group(2))
                continue
            if match.group(2).endswith(b"/"):
                continue
            self.last_cell = match.group(2)
            self.in_row += 1
            self.total += 1
            if self.in_row > self.max_columns:
                raise SpreadsheetError(
                    f"A row of the file has more than {self.max_columns} columns; an import "
                    "reads at most that many, so it was not opened."
                )
            if self.total > self.max_cells:
                raise SpreadsheetError(
                    f"The file has more than {self.max_cells:,} cells; split it into smaller files."
                )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number
