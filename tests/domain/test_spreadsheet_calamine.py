"""python-calamine reads uploaded workbooks as openpyxl did: every workbook here is read by both
(``use_calamine=False`` is openpyxl's reader, kept for this) and the tables must be identical,
value types included (12 is not 12.0). Files calamine would read differently must be read by
openpyxl, and the reason is recorded in ``spreadsheet.last_xlsx_reader``."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils.datetime import MAC_EPOCH
from openpyxl.worksheet.formula import ArrayFormula

from programme.domain import spreadsheet
from programme.domain.spreadsheet import ReadLimits, SpreadsheetError, Table, read_table
from programme.domain.spreadsheet_calamine import calamine_value
from programme.domain.spreadsheet_markup import MarkupCheck
from tests.domain.test_spreadsheet import replace_member

FIELDS = {
    "reference": ["Post Ref"],
    "role": ["Role"],
    "start_date": ["Start date"],
    "fte": ["FTE"],
    "notes": ["Notes"],
}
HEADER = ["Post Ref", "Role", "Start date", "FTE", "Notes"]
SHEET = "xl/worksheets/sheet1.xml"
SAMPLES = [
    *sorted((Path(__file__).parent.parent / "samples").glob("*.xlsx")),
    *sorted(Path("/work/shared/samples").glob("*.xlsx")),
]


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tracker(*rows: list, formats: dict[str, str] | None = None) -> bytes:
    """A title row, the header on row 3, then ``rows``; ``formats``: cell -> number format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recruitment tracker"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    return save(workbook)


def typed(table: Table) -> tuple:
    """The table with each cell's type beside its value: 12 == 12.0, but not here."""
    rows = [(row.number, tuple((type(c).__name__, c) for c in row.cells)) for row in table.rows]
    return table.headers, table.header_row, table.sheet_name, table.skipped, rows


def read_both(data: bytes, limits: ReadLimits | None = None) -> tuple[str, str | None]:
    """Reads ``data`` with both readers, asserts the same outcome; returns (reader, why not
    calamine) for the default read."""
    limits = limits or ReadLimits()
    try:
        expected = typed(read_table(data, "t.xlsx", FIELDS, limits, use_calamine=False))
    except SpreadsheetError as error:
        with pytest.raises(SpreadsheetError) as refused:
            read_table(data, "t.xlsx", FIELDS, limits)
        assert refused.value.message == error.message
        return spreadsheet.last_xlsx_reader
    assert typed(read_table(data, "t.xlsx", FIELDS, limits)) == expected
    return spreadsheet.last_xlsx_reader


CALAMINE_READS = {
    "dates, datetimes and times": tracker(
        ["P1", "IDVA", date(2026, 3, 5), 1, "x"],
        ["P2", "IDVA", datetime(2026, 3, 5, 14, 30), 0.5, time(9, 30)],
        ["P3", "IDVA", datetime(2026, 3, 5, 14, 30, 15, 250000), 1, time(23, 59, 59)],
    ),
    "numbers formatted as dates, and dates formatted as numbers": tracker(
        ["P1", "IDVA", 46000, 45000.75, 0.25],
        ["P2", "IDVA", 61, 46000, 30],
        formats={
            "C4": "dd/mm/yyyy",
            "D4": "dd/mm/yyyy hh:mm",
            "E4": "h:mm",
            "C5": "d-mmm-yy",
            "D5": "0",
            "E5": "mmm yy",
        },
    ),
    "integers, floats, big and small numbers, booleans": tracker(
        ["P1", "IDVA", None, 1, 12.0],
        ["P2", "IDVA", None, 0.8, 0.1 + 0.2],
        ["P3", True, False, -3, 123456789012],
        ["P4", "IDVA", None, 1e20, 1e-9],
    ),
    "empty rows and columns, and cells left blank": tracker(
        ["P1", None, None, None, "   "],
        [],
        [],
        ["", "IDVA", "", None, "x"],
        [None, None, None, None, None, None, "far right"],
    ),
    "unicode, leading and trailing spaces, line breaks": tracker(
        ["  P1 ", "Travailleur social — “équipe” ✓", None, 1, "line one\nline two"],
        ["P2\t", "看護師", None, 1, " 😀 "],
    ),
}


def _hidden_and_merged() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recruitment tracker — merged over the header's width"])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", date(2026, 1, 2), 1, "visible"])
    sheet.append(["P2", "IDVA", date(2026, 1, 3), 1, "hidden row"])
    sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet["A3"].font = Font(bold=True)
    return save(workbook)


def _several_sheets_first_hidden() -> bytes:
    workbook = Workbook()
    lists = workbook.active
    lists.title = "Lists"
    lists.append(["Role", "Team"])  # two text cells: looks like a header, matches less
    lists.sheet_state = "hidden"
    data = workbook.create_sheet("Posts")
    data.append(HEADER)
    data.append(["P1", "IDVA", date(2026, 1, 2), 1, None])
    secret = workbook.create_sheet("Secret")
    secret.append(HEADER)
    secret.sheet_state = "veryHidden"
    chart = workbook.create_chartsheet("Chart")
    bars = BarChart()
    bars.add_data(Reference(data, min_col=4, min_row=1, max_row=2), titles_from_data=True)
    chart.add_chart(bars)
    return save(workbook)


def _rich_text() -> bytes:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["P1", CellRichText(["Senior ", TextBlock(InlineFont(b=True), "IDVA")])])
    return save(workbook)


def _mac_dates() -> bytes:
    workbook = Workbook()
    workbook.epoch = MAC_EPOCH
    workbook.active.append(HEADER)
    workbook.active.append(["P1", "IDVA", date(2026, 3, 5), 1, datetime(2026, 3, 5, 8)])
    return save(workbook)


def _wrong_dimension() -> bytes:
    data = tracker(*[[f"P{n}", "IDVA", None, 1, None] for n in range(20)])
    return replace_member(data, SHEET, lambda xml: xml.replace(b'ref="A1:E23"', b'ref="A1:B2"'))


def _formulas() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", "=TODAY()", "=1/2", '=A2&" "&B2'])
    sheet.append(["P2", "IDVA", None, ArrayFormula("D3", "=SUM(D2:D2)"), "  =not a formula"])
    sheet.append(["Total", None, None, "=SUM(D2:D3)", '=IF(D4>1,"many","few")'])
    sheet["G10"] = "=A1"  # a formula with no cached value, beyond the cells calamine sees
    return save(workbook)


def _formulas_as_excel_saves_them() -> bytes:
    """Cached results, a shared formula, an error from a formula, a formula on a second sheet."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    for n in range(3):
        workbook.active.append([f"P{n}", "IDVA", None, n, None])
    workbook.create_sheet("Other").append(["x"])
    data = save(workbook)
    shared = (
        b'<c r="E2"><f t="shared" ref="E2:E4" si="0">D2*2</f><v>0</v></c></row>',
        b'<c r="E3"><f t="shared" si="0"/><v>2</v></c></row>',
        b'<c r="E4" t="e"><f t="shared" si="0"/><v>#N/A</v></c></row>',
    )

    def cached(xml: bytes) -> bytes:
        for row, cell in zip((b"2", b"3", b"4"), shared, strict=True):
            at = xml.index(b"</row>", xml.index(b'<row r="' + row + b'"'))
            xml = xml[:at] + cell + xml[at + len(b"</row>") :]
        return xml

    data = replace_member(data, SHEET, cached)
    return replace_member(
        data,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(
            b"</row>", b'<c r="B1" t="str"><f>A1&amp;"y"</f><v>xy</v></c></row>'
        ),
    )


CALAMINE_READS |= {
    "formulas, an array formula, one without a cached value": _formulas(),
    "cached results, shared formulas, errors from formulas": _formulas_as_excel_saves_them(),
    "hidden rows and columns, a merged title row": _hidden_and_merged(),
    "several sheets, the first hidden, a very hidden one and a chart sheet": (
        _several_sheets_first_hidden()
    ),
    "rich text": _rich_text(),
    "the 1904 date system": _mac_dates(),
    "a <dimension> smaller than the data": _wrong_dimension(),
}


@pytest.mark.parametrize("name", CALAMINE_READS)
def test_calamine_reads_these_workbooks_as_openpyxl_does(name):
    assert read_both(CALAMINE_READS[name]) == ("calamine", None)


def _far_cell() -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["P1", "IDVA", None, 1, None])
    workbook.active.cell(row=1_000, column=16_000, value="x")  # calamine: 16 million cells
    return save(workbook)


OPENPYXL_READS = {
    "error values typed in": (tracker(["P1", "IDVA", "#N/A", "#DIV/0!"]), "error values"),
    "a time of midnight": (tracker(["P1", "IDVA", None, 1, time(0, 0)]), "a time of 00:00"),
    "a duration": (tracker(["P1", "IDVA", None, 1, timedelta(hours=26)]), "a duration"),
    "escaped characters": (
        tracker(["P1", "IDVA", None, 1, "pasted_x000D_\ntext"]),
        "escaped characters (_xHHHH_)",
    ),
    "text whose spaces are not marked to be kept": (
        replace_member(
            tracker(["P1", "IDVA", None, 1, "a b"]),
            SHEET,
            lambda xml: xml.replace(b"<t>a b</t>", b"<r><t>a </t></r><r><t>b</t></r>"),
        ),
        "unmarked spaces or markup in text",
    ),
    "a number written with spaces": (
        replace_member(
            tracker(["P1", "IDVA", None, 12, None]),
            SHEET,
            lambda xml: xml.replace(b"<v>12</v>", b"<v> 12 </v>"),
        ),
        "numbers with spaces",
    ),
    "a cell far from the data": (
        _far_cell(),
        "cells spread over more than 5,000,000 places",
    ),
}


@pytest.mark.parametrize("name", OPENPYXL_READS)
def test_workbooks_calamine_would_read_differently_are_read_by_openpyxl(name):
    data, reason = OPENPYXL_READS[name]
    assert read_both(data) == ("openpyxl", reason)


def test_a_data_table_formula_is_left_to_openpyxl():
    # Not compared: openpyxl's value for it is the repr of an object, with its memory address.
    data = replace_member(
        tracker(["P1", "IDVA", None, 1, None]),
        SHEET,
        lambda xml: xml.replace(
            b'<c r="D4" t="n"><v>1</v></c>',
            b'<c r="D4"><f t="dataTable" ref="D4" dt2D="0" dtr="0" r1="A1"/><v>1</v></c>',
        ),
    )
    read_table(data, "t.xlsx", FIELDS)
    assert spreadsheet.last_xlsx_reader == ("openpyxl", "a data table formula")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_the_sample_trackers_read_the_same(path):
    reader, _reason = read_both(path.read_bytes())
    assert reader in ("calamine", "openpyxl")


def test_a_large_tracker_reads_the_same_with_calamine():
    rows = [[f"P{n}", "IDVA", date(2026, 1, 1 + n % 28), n % 3 * 0.5, None] for n in range(3_000)]
    assert read_both(tracker(*rows)) == ("calamine", None)


def test_the_row_limit_is_enforced_the_same_way():
    data = tracker(*[[f"P{n}", "IDVA", None, 1, None] for n in range(30)])
    assert read_both(data, ReadLimits(max_rows=20)) == ("calamine", None)


def test_a_damaged_workbook_calamine_cannot_open_is_refused_as_openpyxl_refuses_it():
    data = replace_member(tracker(["P1"]), "xl/workbook.xml", lambda xml: xml[: len(xml) // 2])
    assert read_both(data)[0] == "openpyxl"


def test_markup_cut_by_a_chunk_boundary_is_still_found():
    check = MarkupCheck(SHEET)
    check.feed(b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>a')
    check.feed(b' </t></r><r><t>b</t></r></is></c><c r="B1"><')
    check.feed(b"f>SUM(A1)</f></c></row>")
    assert check.found == {"unmarked spaces or markup in text", "formulas"}


PLAIN_XML = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Module</t></is></c>'
    b'<c r="B1" t="s"><v>0</v></c></row><si><t>Basics</t></si>'
    b'<si><r><rPr><b/></rPr><t xml:space="preserve">a </t></r><r><t>b</t></r></si>'
)


@pytest.mark.parametrize("cut", range(1, len(PLAIN_XML)))
def test_plain_markup_cut_anywhere_by_a_chunk_boundary_is_no_finding(cut):
    # A chunk ending just after a "<" once sent a 50,000-row file to openpyxl (5x slower).
    check = MarkupCheck(SHEET)
    check.feed(PLAIN_XML[:cut])
    check.feed(PLAIN_XML[cut:])
    assert check.found == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("  x ", "x"),
        (12.0, 12),
        (12.5, 12.5),
        (1e20, 1e20),
        (True, True),
        (datetime(2026, 1, 2), date(2026, 1, 2)),
        (datetime(2026, 1, 2, 3, 4), datetime(2026, 1, 2, 3, 4)),
        (time(9, 30), "09:30:00"),
    ],
)
def test_calamine_values_are_made_openpyxl_s(value, expected):
    converted = calamine_value(value)
    assert (type(converted), converted) == (type(expected), expected)
