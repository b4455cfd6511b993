"""Hostile workbooks for the import limits, built in the test (each under 1 MB): a shared-strings
bomb, one row of seven million cells, deeply nested XML, and a zip whose header lies about a
part's size. Each stays under the 1000:1 compression and 300 MB unpacked limits that the zip's
own directory is checked against, so only the streaming checks and the worker stop it."""

from __future__ import annotations

import io
import random
import struct
import zipfile

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XML = b'<?xml version="1.0" encoding="UTF-8"?>'
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{MAIN}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{MAIN}.sharedStrings+xml"/>'
    "</Types>"
).encode()
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS.decode()} xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet"'
    f' Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONSHIPS}/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
).encode()
SHEET = (
    XML + b"<worksheet " + NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Post ref'
    b"</t></is></c></row></sheetData></worksheet>"
)
SHARED = XML + b"<sst " + NS + b"></sst>"
SHEET_PART = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def workbook(sheet: bytes = SHEET, shared: bytes = SHARED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(SHEET_PART, sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def _unit(make, count: int, seed: int) -> bytes:
    """`count` pieces, varied just enough that the part compresses a few hundred to one (a
    pattern longer than deflate's 32 KB window cannot be compressed further by repeating it)."""
    chance = random.Random(seed)
    return b"".join(make(chance) for _ in range(count))


def one_wide_row(cells: int = 7_000_000) -> bytes:
    """One row of seven million numbers (105 MB of XML)."""
    unit = _unit(lambda c: b"<c><v>%d</v></c>" % c.choice([1] * 30 + [2, 3]), 4096, 1)
    row = unit * (cells // 4096)
    return workbook(
        sheet=XML + b"<worksheet " + NS + b'><sheetData><row r="1">' + row + b"</row>"
        b"</sheetData></worksheet>"
    )


def shared_strings_bomb(megabytes: int = 180) -> bytes:
    """Over ten million short shared strings: openpyxl would hold every one at once."""
    unit = _unit(lambda c: b"<si><t>%d</t></si>" % c.choice([1] * 150 + [22, 333]), 4096, 2)
    body = unit * (megabytes * MB // len(unit))
    return workbook(shared=XML + b"<sst " + NS + b">" + body + b"</sst>")


def deep_nesting(depth: int = 1_000_000) -> bytes:
    """A cell's text a million elements deep."""
    chance = random.Random(3)
    tags = [chance.choice([b"w", b"x", b"y", b"z"]) for _ in range(depth)]
    opened = b"".join(b"<%s>" % tag for tag in tags)
    closed = b"".join(b"</%s>" % tag for tag in reversed(tags))
    return workbook(
        sheet=XML
        + b"<worksheet "
        + NS
        + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        + opened
        + closed
        + b"</is></c></row></sheetData></worksheet>"
    )


def lying_header() -> bytes:
    """An ordinary workbook whose zip says the sheet unpacks to 20 bytes (it is ~200)."""
    data = bytearray(workbook())
    member = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET_PART)
    struct.pack_into("<I", data, member.header_offset + 22, 20)  # the local header
    name = SHEET_PART.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:  # the central directory
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 20)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)
