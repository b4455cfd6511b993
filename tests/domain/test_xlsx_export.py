"""The .xlsx writer: a table as a finished sheet (styled frozen header, filter, print set-up,
footer, document properties, number formats, RAG colours) and formula-like text kept inert."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from programme.domain.csv_export import table_csv
from programme.domain.export_tables import Column, Emphasis, Table
from programme.domain.xlsx_export import (
    NUMBER_FORMATS,
    RAG_FILLS,
    Sheet,
    WorkbookInfo,
    sheet_title,
    workbook_bytes,
)

LONDON = ZoneInfo("Europe/London")
INFO = WorkbookInfo(
    title="Somerset & Dorset: programme workbook",
    creator="Family Safeguarding programme tracker",
    created=datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
    footer_date="30 November 2026",
    zone=LONDON,
)
COLUMNS = [
    Column("Locality"),
    Column("Due", "date"),
    Column("Recorded", "datetime"),
    Column("Share", "percent"),
    Column("Cost", "money"),
    Column("Count", "integer"),
    Column("FTE", "number"),
    Column("Gate-critical", "yes_no"),
    Column("RAG", "rag"),
    Column("Notes", "wrap"),
]
ROWS = [
    ["Bridgwater", date(2027, 1, 6), datetime(2026, 7, 1, 13, 5, tzinfo=UTC), 0.833, 1500.0]
    + [3, 0.5, True, "Red", "A long note"],
    ['=HYPERLINK("http://x","y")', None, None, None, None, None, None, False, "Green", "-2+3"],
    Emphasis(
        ["Total", None, None, 0.5, 1500.0, 3, 0.5, "1 of 2", None, None], [None] * 7 + ["text"]
    ),
]


@pytest.fixture
def sheet():
    data = workbook_bytes(INFO, [Sheet("Milestones", Table(COLUMNS, ROWS))])
    return load_workbook(io.BytesIO(data))["Milestones"], data


def test_the_header_row_is_styled_frozen_and_filtered(sheet):
    ws, _ = sheet
    assert [cell.value for cell in ws[1]] == [column.header for column in COLUMNS]
    header = ws["A1"]
    assert header.font.bold and header.fill.fgColor.rgb.endswith("1F4E79")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:J4"
    assert ws.print_title_rows == "$1:$1"


def test_the_sheet_prints_landscape_one_page_wide_with_a_footer(sheet):
    ws, _ = sheet
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.left.text == "Somerset && Dorset: programme workbook"  # "&" escaped
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert ws.oddFooter.right.text == "30 November 2026"


def test_the_document_properties_name_the_title_creator_and_moment(sheet):
    ws, _ = sheet
    properties = ws.parent.properties
    assert properties.title == "Somerset & Dorset: programme workbook"
    assert properties.creator == "Family Safeguarding programme tracker"
    assert properties.created == datetime(2026, 11, 30, 9, 15)


def test_values_keep_their_types_and_number_formats(sheet):
    ws, _ = sheet
    row = ws[2]
    assert row[1].value == datetime(2027, 1, 6) and row[1].number_format == NUMBER_FORMATS["date"]
    # An aware moment is written as the programme's local time (BST in July).
    assert row[2].value == datetime(2026, 7, 1, 14, 5)
    assert row[2].number_format == NUMBER_FORMATS["datetime"]
    assert row[3].value == pytest.approx(0.833) and row[3].number_format == "0.0%"
    assert row[4].value == 1500 and row[4].number_format == NUMBER_FORMATS["money"]
    assert row[5].value == 3 and row[5].number_format == "0"
    assert row[7].value == "Yes"
    assert row[9].alignment.wrap_text


def test_an_emphasis_row_is_bold_and_may_give_a_cell_its_own_kind(sheet):
    ws, _ = sheet
    total = ws[4]
    assert total[0].value == "Total" and total[0].font.bold
    assert total[0].border.top.style == "thin"
    assert total[3].number_format == "0.0%"
    assert total[7].value == "1 of 2"  # text in a yes/no column


def test_rag_cells_are_coloured_by_conditional_formatting_with_the_word_kept(sheet):
    ws, _ = sheet
    rules = {
        rule.formula[0]: rule
        for ranges in ws.conditional_formatting
        for rule in ranges.rules
        if str(ranges.sqref) == "I2:I4"
    }
    assert set(rules) == {'"Red"', '"Amber"', '"Green"'}
    for word, fill in RAG_FILLS.items():
        assert rules[f'"{word}"'].operator == "equal"
        assert rules[f'"{word}"'].dxf.fill.fgColor.rgb.endswith(fill)
    assert ws["I2"].value == "Red"


def test_formula_like_text_is_an_inert_string_in_xlsx_and_csv(sheet):
    ws, _ = sheet
    title, note = ws["A3"], ws["J3"]
    assert title.data_type == "s" and title.value == '=HYPERLINK("http://x","y")'
    assert title.quotePrefix
    assert note.data_type == "s" and note.value == "-2+3"
    csv = table_csv(Table(COLUMNS, ROWS), LONDON).decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"",""y"")' in csv
    assert ",'-2+3\r\n" in csv


def test_an_empty_table_is_a_valid_sheet_with_its_header_and_message():
    data = workbook_bytes(INFO, [Sheet("Summary", Table(COLUMNS, [], "No localities yet"))])
    ws = load_workbook(io.BytesIO(data))["Summary"]
    assert [cell.value for cell in ws[1]] == [column.header for column in COLUMNS]
    assert ws["A2"].value == "No localities yet"
    assert ws.auto_filter.ref == "A1:J1"


def test_sheet_titles_lose_what_excel_refuses_and_fit_31_characters():
    assert sheet_title("Changes: since/the last [pack]?") == "Changes since the last pack"
    assert sheet_title("Minehead: Coast & Moor milestones") == "Minehead Coast & Moor milestone"
    assert len(sheet_title("x" * 40)) == 31


def test_control_characters_pasted_into_text_are_dropped_not_fatal():
    rows = [["Tab\tand vertical\x0btab", "=1+1\x0b", "\x07bell"]]
    columns = [Column("A"), Column("B"), Column("C", "wrap")]
    data = workbook_bytes(INFO, [Sheet("Notes", Table(columns, rows))])
    ws = load_workbook(io.BytesIO(data))["Notes"]
    assert [cell.value for cell in ws[2]] == ["Tab\tand verticaltab", "=1+1", "bell"]
    assert ws["B2"].data_type == "s"
