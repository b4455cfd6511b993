"""The zip scan before openpyxl: a damaged part is reported as damage, in the shared sentence."""

import io
import zipfile

import pytest

from programme.domain.spreadsheet_files import ReadLimits, SpreadsheetError, workbook_error
from programme.domain.spreadsheet_scan import scan_zip

PART = "xl/worksheets/sheet1.xml"


def _zip_with_corrupt_deflate() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PART, "<worksheet>" + "x" * 5000 + "</worksheet>")
    data = bytearray(buffer.getvalue())
    start = 30 + len(PART) + 2  # inside the part's compressed bytes
    for offset in range(start, start + 10):
        data[offset] ^= 0xFF
    return bytes(data)


def test_a_corrupt_deflate_stream_is_refused_as_a_damaged_file():
    with pytest.raises(SpreadsheetError) as refused:
        scan_zip(_zip_with_corrupt_deflate(), ReadLimits())

    assert str(refused.value) == str(workbook_error(ValueError("damaged")))
