"""Opening an uploaded spreadsheet file safely, before anything reads its rows: a workbook only
after its zip has been checked for bombs (defusedxml refuses XML ones), with openpyxl's errors
as one sentence; a CSV's encoding (UTF-8 or Windows-1252, never a guess) and delimiter.
`spreadsheet.py` reads the rows and finds the header.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException

from programme.domain.cells import CellValue
from programme.domain.formatting import file_size

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MB = 1024 * 1024
MAX_ZIP_RATIO = 1_000  # ordinary workbook parts compress 5-100 to 1
ZIP_RATIO_MIN_SIZE = 1 * MB  # tiny parts can compress absurdly well and are harmless
SNIFF_CHARS = 8 * 1024
CSV_DELIMITERS = ",;\t"

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class SpreadsheetError(ValueError):
    """The file cannot be read at all; ``message`` is one readable sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 10 * MB
    max_rows: int = 50_000  # data rows, not counting header or title rows
    max_zip_entries: int = 2_000
    max_uncompressed_bytes: int = 300 * MB
    max_columns: int = 200  # cells with a value in any one row of a worksheet
    # The worker process that reads a file (`spreadsheet_worker.py`) is stopped after this many
    # seconds, and may use at most this much memory (address space).
    parse_seconds: float = 60
    memory_bytes: int = 1024 * MB


DEFAULT_LIMITS = ReadLimits()


def check_zip(data: bytes, limits: ReadLimits) -> None:
    """Refuse a zip bomb before any XML is parsed, using the sizes the zip declares.

    The declared sizes can be trusted: zipfile stops inflating a member at its declared
    size (and then fails its CRC check), so a member cannot unpack to more than it claims.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise workbook_error(error) from error
    if len(members) > limits.max_zip_entries:
        raise SpreadsheetError(
            f"The workbook has more than {limits.max_zip_entries:,} internal parts, "
            "so it was not opened."
        )
    if sum(member.file_size for member in members) > limits.max_uncompressed_bytes:
        raise SpreadsheetError(
            f"The workbook unpacks to more than {file_size(limits.max_uncompressed_bytes)}, "
            "so it was not opened."
        )
    if any(_suspiciously_compressed(member) for member in members):
        raise SpreadsheetError(
            "The workbook is compressed far more than a real spreadsheet could be, "
            "so it was not opened."
        )


def _suspiciously_compressed(member: zipfile.ZipInfo) -> bool:
    if member.file_size <= ZIP_RATIO_MIN_SIZE:
        return False
    return member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)


def open_workbook(data: bytes) -> Workbook:
    import openpyxl  # 0.2 s: loaded by the first workbook read, not at start-up

    # data_only=False: formula cells come back as their formula text, never evaluated.
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except MemoryError:  # the worker's cap: its own refusal, not a damaged file
        raise
    except Exception as error:  # openpyxl raises anything from KeyError to TypeError
        raise workbook_error(error) from error


def workbook_error(error: Exception) -> SpreadsheetError:
    """Damaged, or refused by defusedxml (which openpyxl may wrap in its own ValueError)."""
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, DefusedXmlException):  # an XML bomb or external entity
            return SpreadsheetError(
                "The workbook contains XML that is not allowed in a spreadsheet, "
                "so it was not opened."
            )
        cause = cause.__cause__ or cause.__context__
    return SpreadsheetError("The file could not be read as an Excel workbook; it may be damaged.")


def guarded_rows(values: Iterator[tuple]) -> Iterator[tuple]:
    """openpyxl's rows, with its parse errors (met lazily, mid-sheet) as SpreadsheetError."""
    while True:
        try:
            raw = next(values)
        except StopIteration:
            return
        except MemoryError:
            raise
        except Exception as error:
            raise workbook_error(error) from error
        yield raw


def xlsx_value(value: object) -> CellValue:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    from openpyxl.worksheet.formula import ArrayFormula  # only rare cells get this far

    if isinstance(value, ArrayFormula):
        return value.text
    return str(value)  # times, durations and table formulas: shown as text


def decode_csv(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            "The file is an Excel workbook named .csv; rename it to end in .xlsx, "
            "or save it from Excel as CSV."
        )
    if data.startswith(UTF16_BOMS):
        raise SpreadsheetError(
            "The file is saved as Unicode (UTF-16) text; save it from Excel as "
            "“CSV UTF-8 (Comma delimited)” and upload that."
        )
    if b"\x00" in data:
        raise SpreadsheetError("The file is named .csv but is not a text file.")
    # Excel writes UTF-8 (often with a BOM) or, as plain "CSV", Windows-1252. Latin-1 would
    # decode anything at all, so it is never tried: mojibake is worse than a clear refusal.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        "The file’s text encoding is not recognised; save it from Excel as "
        "“CSV UTF-8 (Comma delimited)” and upload that."
    )


def csv_delimiter(text: str) -> str:
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # no half line to confuse the sniffer
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        # The sniffer gives up on title rows and ragged lines: take the commonest candidate.
        counts = {candidate: sample.count(candidate) for candidate in CSV_DELIMITERS}
        commonest = max(counts, key=counts.__getitem__)
        return commonest if counts[commonest] else ","


def guarded_csv(reader: Any) -> Iterator[list[str]]:  # reader: a csv.reader
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # In practice a quote mark never closed, which swallows the rest of the file
            # into one field until it passes csv.field_size_limit().
            raise SpreadsheetError(
                f"The file could not be read as CSV near line {reader.line_num:,}; "
                "check for a stray quote mark."
            ) from error
        yield record
