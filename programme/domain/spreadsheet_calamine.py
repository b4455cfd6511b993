"""Reading a workbook's sheets with python-calamine (Rust, about 12x faster than openpyxl), for
files where it gives the same values as openpyxl's read-only reader: `spreadsheet_scan.py` has
already refused hostile files and noted what calamine would read differently
(`spreadsheet_markup.py`); what can only be seen in calamine's values raises `NotAsOpenpyxl`,
and `read_table` then reads the file with openpyxl as before.

python_calamine is imported here, when a file is read (in the reading worker), never at start-up.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from programme.domain.cells import CellValue

# Integral numbers below this come back from openpyxl as int (Excel writes them without a
# decimal point); calamine gives every number as a float.
_EXACT_INTEGERS = 2**53
_MIDNIGHT = time(0)


class NotAsOpenpyxl(Exception):
    """Calamine cannot give what openpyxl would for this file; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def calamine_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    """Every worksheet (hidden ones too, chart sheets left out, as openpyxl's
    ``workbook.worksheets``) with its rows from A1, as calamine gives them."""
    try:
        workbook = open_calamine(data)
        with workbook:
            sheets = []
            for sheet in workbook.sheets_metadata:
                kind = str(sheet.typ).rpartition(".")[2]  # "SheetTypeEnum.WorkSheet"
                if kind == "ChartSheet":
                    continue
                if kind != "WorkSheet":  # openpyxl reads dialog and macro sheets as sheets
                    raise NotAsOpenpyxl(f"a {kind}")
                rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
                sheets.append((sheet.name, rows))
            return sheets
    except NotAsOpenpyxl:
        raise
    except MemoryError:  # the worker's cap: its own refusal
        raise
    except Exception as error:  # a damaged file: openpyxl says so in today's words
        raise NotAsOpenpyxl(f"calamine could not read it ({type(error).__name__})") from error
    except BaseException as error:
        if type(error).__name__ == "PanicException":  # pyo3's, for a bug in the Rust code
            raise NotAsOpenpyxl("calamine failed") from error
        raise


def open_calamine(data: bytes):
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (heavy: only when reading)

    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def calamine_rows(rows: list[list], first: int) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """A sheet's rows from the 1-based row number ``first``, with openpyxl's values."""
    for number in range(first, len(rows) + 1):
        yield number, tuple(map(calamine_value, rows[number - 1]))


def calamine_value(value: object) -> CellValue:
    """A cell as `spreadsheet_files.xlsx_value` makes openpyxl's value of it."""
    if type(value) is str:
        return value.strip() or None  # calamine gives "" for an empty cell
    if type(value) is float:
        if value.is_integer() and -_EXACT_INTEGERS < value < _EXACT_INTEGERS:
            return int(value)
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == _MIDNIGHT else value
    if isinstance(value, date | bool | int):
        return value
    if isinstance(value, time):
        # A date-formatted number below 1 is a time to both; 0:00 may also be a number that
        # openpyxl rounds up to 1 January 1900, or a negative one.
        if value == _MIDNIGHT:
            raise NotAsOpenpyxl("a time of 00:00")
        return str(value)
    if isinstance(value, timedelta):  # [h]:mm durations: the two round milliseconds apart
        raise NotAsOpenpyxl("a duration")
    return str(value)
