"""The zip scan before openpyxl: a damaged part is reported as damage, in the shared sentence."""

import io
import zipfile

import pytest

from programme.domain.spreadsheet_files import ReadLimits, SpreadsheetError, workbook_error
from programme.domain.spreadsheet_scan import scan_zip

PART = "xl/worksheets/sheet1.xml"


def _zip_with_corrupt_stream(method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr(PART, "<worksheet>" + "x" * 5000 + "</worksheet>")
    data = bytearray(buffer.getvalue())
    start = 30 + len(PART) + 2  # inside the part's compressed bytes
    for offset in range(start, start + 10):
        data[offset] ^= 0xFF
    return bytes(data)


def _zip_with_an_encrypted_part() -> bytes:
    """A part flagged as encrypted (bit 0 of its flags, in its local and central headers)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(PART, "<worksheet/>")
    data = bytearray(buffer.getvalue())
    data[6] |= 1
    data[data.rfind(b"PK\x01\x02") + 8] |= 1
    return bytes(data)


DAMAGED = str(workbook_error(ValueError("damaged")))


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=str
)
def test_a_corrupt_compressed_stream_is_refused_as_a_damaged_file(method):
    # Each decompressor raises its own error (zlib.error, OSError, lzma.LZMAError), or the
    # stream ends early (the parts are not their declared size): refused either way, never a crash.
    with pytest.raises(SpreadsheetError) as refused:
        scan_zip(_zip_with_corrupt_stream(method), ReadLimits())

    assert str(refused.value).endswith("it may be damaged.")


def test_an_encrypted_part_is_refused_as_a_workbook_that_cannot_be_read():
    with pytest.raises(SpreadsheetError) as refused:  # zipfile raises RuntimeError
        scan_zip(_zip_with_an_encrypted_part(), ReadLimits())

    assert str(refused.value) == DAMAGED
