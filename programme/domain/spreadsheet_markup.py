"""What in a workbook's XML python-calamine would read differently from openpyxl, looked for
once `spreadsheet_scan.py` has found the file within every limit, so that `read_table` knows
before reading whether calamine (12x faster) gives the same table or openpyxl must read the file
as before.

Each finding is a short phrase (for tests and the benchmark); docs/PERFORMANCE.md ("Reading
with python-calamine") lists them with what each reader would give. The checks are on raw bytes
and err towards openpyxl: a false alarm costs speed, never a different table.
"""

from __future__ import annotations

import io
import re
import zipfile

# Calamine holds a sheet as one dense block of rows x columns (about 40 bytes a cell with its
# Python copy), so a stray cell far from the data costs memory that openpyxl's streaming never
# spends. Above this many cells (about 200 MB) the file is left to openpyxl.
CALAMINE_MAX_CELLS = 5_000_000
TOO_BIG_FOR_CALAMINE = "cells spread over more than 5,000,000 places"

# (finding, needles): bytes are looked for as they are, patterns start with a literal so that
# `re` can skip to it (an optional namespace prefix in front made these checks cost more than
# calamine's whole read). Calamine gives cached values (not the formula text openpyxl gives),
# "" for error values (not "#N/A"), unescapes _x000D_ (openpyxl keeps it as written), trims text
# not marked xml:space="preserve" (openpyxl keeps it, which matters between rich text runs),
# reads " 12 " as text (openpyxl as 12), and skips elements it does not know where openpyxl
# may refuse, or take longer than the time limit (a hostile file). Namespace-prefixed sheet XML
# (<x:c>) is rare and would need every check twice: it is left to openpyxl.
_WS = rb"[ \t\r\n]"
_SHEET_CHECKS: tuple[tuple[str, tuple[bytes | re.Pattern[bytes], ...]], ...] = (
    ("namespace-prefixed XML", (b":sheetData", b":sst")),
    ("formulas", (re.compile(rb"<f[\s>/]"),)),
    ("error values", (b't="e"', b"t='e'")),
    ("escaped characters (_xHHHH_)", (re.compile(rb"x[0-9A-Fa-f]{4}_"),)),
    (
        "numbers with spaces",
        (re.compile(rb"<v>(?:" + _WS + rb"|[^<]*" + _WS + rb"<)"),),
    ),
    (
        "unmarked spaces or markup in text",
        (
            # Only a rich text run's edges: a whole cell's text is stripped by both readers.
            re.compile(rb"<r>\s*<t>(?:" + _WS + rb"|[^<]*" + _WS + rb"<)"),
            re.compile(rb"</rPr>\s*<t>(?:" + _WS + rb"|[^<]*" + _WS + rb"<)"),
            # What follows a "<" is asked for (not merely ruled out) so that a chunk ending
            # just after the "<" is no finding: the next chunk looks at the tag whole.
            re.compile(rb"<t>[^<]*<(?=[^/])"),
            re.compile(rb"<t\s[^>]*>[^<]*<(?=[^/])"),
            re.compile(rb"<is>\s*<(?=[^/tr]|[tr][^\s>/])"),
            re.compile(rb"<si>\s*<(?=[^/tr]|[tr][^\s>/])"),
            re.compile(rb"<r>\s*<(?=[^/rt]|r(?:[^P]|P[^r]|Pr[^\s>/])|t[^\s>/])"),
        ),
    ),
)
_ANY_PART_CHECKS = (("a document type declaration", (b"<!DOCTYPE",)),)
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_SHARED_STRINGS = re.compile(r"xl/sharedStrings\.xml", re.IGNORECASE)
_TAIL = 256 * 1024  # a cell's text is at most 32,767 characters


_CHUNK = 1024 * 1024


def calamine_differences(data: bytes, spread: int) -> frozenset[str]:
    """What in this workbook (already scanned, so within every limit) calamine would read
    differently from openpyxl; ``spread``: the rows x columns its sheets span."""
    found = {TOO_BIG_FOR_CALAMINE} if spread > CALAMINE_MAX_CELLS else set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.lower().endswith((".xml", ".rels")):
                continue
            check = MarkupCheck(member.filename)
            with archive.open(member) as stream:
                while check.pending and (chunk := stream.read(_CHUNK)):
                    check.feed(chunk)
            found |= check.found
    return frozenset(found)


class MarkupCheck:
    """Looks for the findings above in one zip part, across chunk boundaries."""

    def __init__(self, name: str) -> None:
        checks = _ANY_PART_CHECKS
        if _SHEET_PART.fullmatch(name) or _SHARED_STRINGS.fullmatch(name):
            checks += _SHEET_CHECKS
        self.pending = list(checks)
        self.found: set[str] = set()
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if not self.pending:
            return
        text = self.tail + chunk
        for finding, needles in self.pending:
            if any(_in(needle, text) for needle in needles):
                self.found.add(finding)
        self.pending = [check for check in self.pending if check[0] not in self.found]
        # From the last two tags on: a tag, or a text and the tag before it (a run's <r><t>),
        # cut by the chunk's end is looked at again whole.
        cut = text.rfind(b"<", 0, max(text.rfind(b"<"), 0))
        self.tail = (text[cut:] if cut != -1 else text)[-_TAIL:]


def _in(needle: bytes | re.Pattern[bytes], text: bytes) -> bool:
    return needle in text if isinstance(needle, bytes) else needle.search(text) is not None
