"""Reading uploaded spreadsheets: each file is built here, in code, as messy as users make them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from programme.domain import spreadsheet_calamine
from programme.domain.spreadsheet import (
    ReadLimits,
    SheetRow,
    SpreadsheetError,
    cell_text,
    match_columns,
    nearest,
    normalise,
    parse_date,
    read_table,
)

FIELDS = {
    "reference": ["Post Ref", "Post reference", "Ref"],
    "role": ["Role", "Job Title"],
    "locality": ["Locality", "Area"],
    "start_date": ["Start date"],
}
HEADER = ["Post Ref", "Role", "Locality"]


# --------------------------------------------------------------------------- builders


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(*rows: list, title: str = "Sheet") -> bytes:
    """A one-sheet workbook holding ``rows`` from A1 down ([] leaves a row empty)."""
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    return save(workbook)


def xlsx_sheets(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return save(workbook)


def csv_file(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def zip_file(members: dict[str, bytes], compresslevel: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, change) -> bytes:
    """The workbook ``data`` with one zip member rewritten by ``change(bytes) -> bytes``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members[name] = change(members[name])
    return zip_file(members)


def read_error(data: bytes, filename: str, limits: ReadLimits | None = None) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename, FIELDS, limits or ReadLimits())
    assert str(caught.value) == caught.value.message
    return caught.value.message


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    def fail(*args, **kwargs):
        pytest.fail("a workbook reader was called on a file that should have been refused")

    monkeypatch.setattr("openpyxl.load_workbook", fail)  # imported where a workbook is opened
    monkeypatch.setattr(spreadsheet_calamine, "open_calamine", fail)


# --------------------------------------------------------------------------- finding the header


def test_the_header_is_found_below_title_rows_and_a_blank_row():
    data = xlsx(
        ["Recruitment tracker — Nov 2026"],
        ["Somerset County Council"],
        [],
        HEADER,
        ["P1", "IDVA", "Taunton"],
        [],
        ["P2", "Psychologist", "Yeovil"],
    )
    table = read_table(data, "posts.xlsx", FIELDS)
    assert table.headers == ("Post Ref", "Role", "Locality")
    assert table.header_row == 4
    assert table.rows == [
        SheetRow(5, ("P1", "IDVA", "Taunton")),
        SheetRow(7, ("P2", "Psychologist", "Yeovil")),
    ]
    assert table.sheet_name == "Sheet"


def test_a_title_merged_across_the_header_width_is_skipped():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Recruitment tracker"
    sheet.merge_cells("A1:C1")
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", "Taunton"])
    table = read_table(save(workbook), "posts.xlsx", FIELDS)
    assert table.header_row == 2
    assert table.rows == [SheetRow(3, ("P1", "IDVA", "Taunton"))]


def test_a_merged_header_cell_leaves_blank_headers_beside_it():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Post Ref", None, "Role"])
    sheet.merge_cells("A1:B1")
    sheet.append(["P1", "spare", "IDVA"])
    table = read_table(save(workbook), "posts.xlsx", FIELDS)
    assert table.headers == ("Post Ref", "", "Role")
    assert match_columns(table.headers, FIELDS) == {"reference": 0, "role": 2}
    assert table.rows == [SheetRow(2, ("P1", "spare", "IDVA"))]


def test_headers_match_ignoring_case_spaces_and_punctuation():
    table = read_table(
        xlsx(["POST REF.", "Job-Title", " area "], ["P1", "IDVA", "Taunton"]), "a.xlsx", FIELDS
    )
    assert table.headers == ("POST REF.", "Job-Title", "area")
    assert match_columns(table.headers, FIELDS) == {"reference": 0, "role": 1, "locality": 2}


def test_the_row_matching_most_fields_is_the_header_not_an_earlier_partial_match():
    data = xlsx(
        ["Role of this sheet", "Area: south"], ["Ref", "Role", "Area"], ["P1", "IDVA", "Yeovil"]
    )
    assert read_table(data, "a.xlsx", FIELDS).header_row == 2


def test_with_no_known_headers_the_first_row_with_two_text_cells_is_the_header():
    data = xlsx(["Tracker"], ["Surname", "Forename"], ["Okafor", "Ada"])
    table = read_table(data, "a.xlsx", FIELDS)
    assert (table.header_row, table.headers) == (2, ("Surname", "Forename"))
    assert table.rows == [SheetRow(3, ("Okafor", "Ada"))]


def test_the_sheet_with_the_header_is_read_when_the_first_is_a_cover_sheet():
    data = xlsx_sheets(
        {
            "Notes": [["How to fill in this tracker"], ["One row per post", "Ask HR if unsure"]],
            "Posts": [HEADER, ["P1", "IDVA", "Taunton"]],
        }
    )
    table = read_table(data, "a.xlsx", FIELDS)
    assert table.sheet_name == "Posts"
    assert table.rows == [SheetRow(2, ("P1", "IDVA", "Taunton"))]


def test_sheets_matching_equally_well_go_to_the_first():
    data = xlsx_sheets(
        {"North": [HEADER, ["P1", "IDVA", "A"]], "South": [HEADER, ["P2", "IDVA", "B"]]}
    )
    assert read_table(data, "a.xlsx", FIELDS).sheet_name == "North"


def test_a_chart_sheet_is_skipped():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Posts"
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", "Taunton"])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("Chart", 0).add_chart(chart)
    assert read_table(save(workbook), "a.xlsx", FIELDS).sheet_name == "Posts"


# --------------------------------------------------------------------------- rows


def test_trailing_blank_and_formatted_rows_add_nothing():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", "Taunton"])
    sheet.append([None, "   ", None])
    for row in (3, 4, 5000):
        sheet.cell(row=row, column=2).font = Font(bold=True)  # styled, no value
    table = read_table(save(workbook), "a.xlsx", FIELDS)
    assert table.rows == [SheetRow(2, ("P1", "IDVA", "Taunton"))]


def test_rows_after_a_long_gap_are_read_but_not_after_a_thousand_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet["A900"] = "P900"
    sheet.cell(row=1500, column=1).font = Font(bold=True)
    sheet["A2600"] = "lost"
    table = read_table(save(workbook), "a.xlsx", FIELDS)
    assert table.rows == [SheetRow(900, ("P900", None, None))]


def test_a_header_without_data_rows_gives_an_empty_table():
    table = read_table(xlsx(HEADER), "a.xlsx", FIELDS)
    assert table.headers == ("Post Ref", "Role", "Locality")
    assert table.rows == []


def test_short_rows_are_padded_and_cells_beyond_the_header_dropped():
    data = xlsx(HEADER + [None, None], ["P1"], ["P2", "IDVA", "Yeovil", "stray note"])
    table = read_table(data, "a.xlsx", FIELDS)
    assert table.headers == ("Post Ref", "Role", "Locality")
    assert [row.cells for row in table.rows] == [("P1", None, None), ("P2", "IDVA", "Yeovil")]


def test_a_row_with_cells_only_beyond_the_header_is_blank():
    table = read_table(xlsx(HEADER, [None, None, None, "note"], ["P1"]), "a.xlsx", FIELDS)
    assert [row.number for row in table.rows] == [3]


def test_a_hidden_column_is_still_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["P1", "IDVA", "Taunton"])
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[2].hidden = True
    table = read_table(save(workbook), "a.xlsx", FIELDS)
    assert table.rows == [SheetRow(2, ("P1", "IDVA", "Taunton"))]


def test_formulas_come_back_as_text_and_text_is_never_made_a_number():
    data = xlsx(
        ["Post Ref", "Role", "Locality", "Start date"],
        ["=1+1", "+44 7700", "@user", "-5"],
        ["  P2  ", 12, 0.5, True],
    )
    rows = read_table(data, "a.xlsx", FIELDS).rows
    assert rows[0].cells == ("=1+1", "+44 7700", "@user", "-5")
    assert rows[1].cells == ("P2", 12, 0.5, True)


def test_excel_dates_become_dates_and_keep_a_time_when_they_have_one():
    data = xlsx(
        ["Post Ref", "Start date", "Role"],
        ["P1", datetime(2026, 3, 5), datetime(2026, 3, 5, 9, 30)],
    )
    cells = read_table(data, "a.xlsx", FIELDS).rows[0].cells
    assert cells == ("P1", date(2026, 3, 5), datetime(2026, 3, 5, 9, 30))
    assert type(cells[1]) is date


# --------------------------------------------------------------------------- csv


def test_a_csv_with_a_utf8_bom_reads_the_first_header_cleanly():
    table = read_table(csv_file("Post Ref,Role\nP1,IDVA\n", "utf-8-sig"), "a.csv", FIELDS)
    assert table.headers == ("Post Ref", "Role")
    assert (table.header_row, table.sheet_name) == (1, None)
    assert table.rows == [SheetRow(2, ("P1", "IDVA"))]


def test_a_plain_utf8_csv_keeps_accents():
    table = read_table(csv_file("Post Ref,Locality\nP1,Ébrington\n"), "a.csv", FIELDS)
    assert table.rows[0].cells == ("P1", "Ébrington")


def test_a_windows_1252_csv_is_decoded():
    text = "Post Ref,Role,Locality\nP1,Zoë’s team,£ budget\n"
    table = read_table(csv_file(text, "cp1252"), "a.csv", FIELDS)
    assert table.rows[0].cells == ("P1", "Zoë’s team", "£ budget")


def test_a_csv_in_neither_utf8_nor_windows_1252_is_refused():
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 here.
    assert "encoding" in read_error(b"Post Ref,Role\nP1,\x81\x81\n", "a.csv")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimited_csvs_are_read(delimiter):
    text = (
        f"Post Ref{delimiter}Role{delimiter}Locality\nP1{delimiter}IDVA, senior{delimiter}Taunton\n"
    )
    table = read_table(csv_file(text), "a.csv", FIELDS)
    assert table.rows[0].cells == ("P1", "IDVA, senior", "Taunton")


def test_a_semicolon_csv_with_a_title_row_is_still_split_on_semicolons():
    text = "Recruitment tracker\n\nPost Ref;Role\nP1;IDVA\n"
    table = read_table(csv_file(text), "a.csv", FIELDS)
    assert (table.header_row, table.rows) == (3, [SheetRow(4, ("P1", "IDVA"))])


def test_quoted_csv_fields_keep_newlines_and_commas_and_rows_count_records():
    text = (
        "Tracker for Somerset\r\n"
        "\r\n"
        "Post Ref,Role,Locality\r\n"
        'P1,"IDVA,\r\npart time",Taunton\r\n'
        "P2,Psychologist,\r\n"
    )
    table = read_table(csv_file(text), "a.csv", FIELDS)
    assert table.header_row == 3
    assert table.rows == [
        SheetRow(4, ("P1", "IDVA,\r\npart time", "Taunton")),
        SheetRow(5, ("P2", "Psychologist", None)),
    ]


def test_csv_cells_stay_text():
    table = read_table(csv_file("Post Ref,Role\n-5,=1+1\n007,05/03/2026\n"), "a.csv", FIELDS)
    assert [row.cells for row in table.rows] == [("-5", "=1+1"), ("007", "05/03/2026")]


def test_a_csv_of_blank_lines_has_no_rows():
    assert read_error(csv_file("\n\n,,\n"), "a.csv") == "The file has no rows to import."


def test_a_csv_with_nul_bytes_is_not_text():
    assert read_error(b"Post Ref,Role\nP1,\x00IDVA\n", "a.csv") == (
        "The file is named .csv but is not a text file."
    )


def test_a_utf16_csv_is_refused_with_advice():
    assert "CSV UTF-8" in read_error(csv_file("Post Ref,Role\n", "utf-16"), "a.csv")


def test_a_stray_quote_is_reported_not_raised():
    # The unclosed quote swallows the rest of the file until csv's 128 KB field limit.
    text = 'Post Ref,Role\nP1,"IDVA\n' + "P2,Psychologist\n" * 10_000
    assert "stray quote mark" in read_error(csv_file(text), "a.csv")


# --------------------------------------------------------------------------- refusals


def test_too_many_rows_is_refused_naming_the_limit():
    rows = [HEADER] + [[f"P{n}", "IDVA", "Taunton"] for n in range(6)]
    assert "more than 5 rows" in read_error(xlsx(*rows), "a.xlsx", ReadLimits(max_rows=5))
    text = "\n".join(",".join(row) for row in rows)
    assert "more than 5 rows" in read_error(csv_file(text), "a.csv", ReadLimits(max_rows=5))


def test_exactly_the_row_limit_is_accepted():
    rows = [HEADER] + [[f"P{n}", "IDVA", "Taunton"] for n in range(5)]
    assert len(read_table(xlsx(*rows), "a.xlsx", FIELDS, ReadLimits(max_rows=5)).rows) == 5


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    data = csv_file("Post Ref,Role\n" + "P1,IDVA\n" * 200_000)
    assert "larger than 1 MB" in read_error(data, "a.csv", ReadLimits(max_bytes=1024 * 1024))


def test_an_empty_file_is_refused():
    assert read_error(b"", "a.csv") == "The file is empty."
    assert read_error(b"", "a.xlsx") == "The file is empty."


def test_a_sheet_with_nothing_in_it_has_no_rows():
    assert read_error(xlsx(), "a.xlsx") == "The file has no rows to import."


def test_other_file_types_are_refused_by_name():
    assert read_error(b"%PDF-1.7", "C:\\Users\\hr\\posts.pdf") == (
        "Upload an .xlsx or .csv file; “posts.pdf” is neither."
    )
    assert "neither" in read_error(b"data", "posts")


def test_an_xls_file_is_told_to_save_as_xlsx():
    assert ".xlsx" in read_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.XLS")


def test_the_extension_is_case_insensitive():
    assert read_table(xlsx(HEADER, ["P1", "IDVA", "X"]), "POSTS.XLSX", FIELDS).rows
    assert read_table(csv_file("Post Ref\nP1\n"), "posts.CSV", FIELDS).rows


def test_csv_text_named_xlsx_is_not_a_workbook(openpyxl_must_not_run):
    assert read_error(csv_file("Post Ref,Role\nP1,IDVA\n"), "a.xlsx") == (
        "The file is named .xlsx but is not an Excel workbook."
    )


def test_a_workbook_named_csv_is_recognised():
    assert "Excel workbook named .csv" in read_error(xlsx(HEADER), "a.csv")


def test_an_encrypted_or_old_format_workbook_named_xlsx_is_explained(openpyxl_must_not_run):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert "password-protected or in the old Excel 97–2003 format" in read_error(ole2, "a.xlsx")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_workbook_is_damaged(keep):
    data = xlsx(HEADER, ["P1", "IDVA", "Taunton"])
    message = read_error(data[: int(len(data) * keep)], "a.xlsx")
    assert message == "The file could not be read as an Excel workbook; it may be damaged."


def test_a_zip_without_workbook_parts_is_damaged():
    assert "damaged" in read_error(zip_file({"word/document.xml": b"<w/>"}), "a.xlsx")


def test_a_zip_bomb_over_the_unpacked_limit_is_refused_before_parsing(openpyxl_must_not_run):
    bomb = zip_file({"xl/worksheets/sheet1.xml": b"\0" * (50 * 1024 * 1024)})
    limits = ReadLimits(max_uncompressed_bytes=10 * 1024 * 1024)
    assert "unpacks to more than 10 MB" in read_error(bomb, "a.xlsx", limits)


def test_a_zip_bomb_compressed_over_a_thousand_to_one_is_refused(openpyxl_must_not_run):
    bomb = zip_file({"xl/worksheets/sheet1.xml": b"\0" * (50 * 1024 * 1024)}, compresslevel=9)
    member = zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0]
    assert member.file_size / member.compress_size > 1000  # below the 300 MB total limit
    assert "compressed far more" in read_error(bomb, "a.xlsx")


def test_a_workbook_with_too_many_zip_entries_is_refused(openpyxl_must_not_run):
    crowded = zip_file({f"xl/part{n}.xml": b"<x/>" for n in range(10)})
    assert "more than 5 internal parts" in read_error(
        crowded, "a.xlsx", ReadLimits(max_zip_entries=5)
    )


def test_xml_entities_in_a_workbook_are_refused():
    def add_entities(xml: bytes) -> bytes:
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml

    data = replace_member(
        xlsx(HEADER, ["P1", "IDVA", "X"]), "xl/worksheets/sheet1.xml", add_entities
    )
    assert "XML that is not allowed" in read_error(data, "a.xlsx")


def test_an_ordinary_workbook_passes_the_zip_checks():
    data = xlsx(HEADER, *[[f"P{n}", "IDVA " * 50, "Taunton"] for n in range(2_000)])
    assert len(read_table(data, "a.xlsx", FIELDS).rows) == 2_000


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 3, 5, 0, 0), date(2026, 3, 5)),
        (datetime(2026, 3, 5, 14, 30), date(2026, 3, 5)),
        (date(2026, 3, 5), date(2026, 3, 5)),
        ("05/03/2026", date(2026, 3, 5)),
        ("5/3/2026", date(2026, 3, 5)),
        ("05-03-2026", date(2026, 3, 5)),
        ("05.03.2026", date(2026, 3, 5)),
        ("5/3/26", date(2026, 3, 5)),
        ("05/03/2026 00:00", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),
        ("2026-03-05T00:00:00", date(2026, 3, 5)),
        ("5 March 2026", date(2026, 3, 5)),
        ("5 Mar 2026", date(2026, 3, 5)),
        ("5th Sept 2026", date(2026, 9, 5)),
        ("5-Mar-26", date(2026, 3, 5)),
        (" 29/02/2028 ", date(2028, 2, 29)),
    ],
)
def test_dates_are_read_the_uk_way(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_date_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2026",
        "03/13/2026",
        "29/02/2027",
        "5 Smarch 2026",
        "next week",
        "05/03-2026",
        "2026/13/01",
    ],
)
def test_impossible_or_us_dates_are_refused_with_the_format(value):
    with pytest.raises(ValueError, match="is not a date: use dd/mm/yyyy"):
        parse_date(value)


def test_the_date_error_quotes_the_value():
    with pytest.raises(ValueError) as caught:
        parse_date("31/02/2026")
    assert str(caught.value) == "“31/02/2026” is not a date: use dd/mm/yyyy"


@pytest.mark.parametrize("value", [46086, 46086.0, True])
def test_numbers_are_not_dates(value):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(value)


# --------------------------------------------------------------------------- columns and text


def test_match_columns_takes_the_left_most_column_and_uses_each_column_once():
    fields = {"reference": ["Ref", "Post Ref"], "old_reference": ["Ref"], "role": ["Role"]}
    headers = ["Notes", "Ref", "Post Ref", "Ref", "Role", "Role"]
    # "Ref" suits both reference fields: the first listed takes the first "Ref".
    assert match_columns(headers, fields) == {"reference": 1, "old_reference": 3, "role": 4}
    assert match_columns(headers[:3], fields) == {"reference": 1}


def test_match_columns_leaves_out_fields_with_no_column_and_ignores_blank_headers():
    fields = {"reference": ["Ref"], "role": ["Role"], "notes": [""]}
    assert match_columns(["", "Ref", ""], fields) == {"reference": 1}


def test_a_fields_own_name_counts_as_a_synonym():
    fields = {"holder_email": ["E-mail address"], "role": "Job title"}
    assert match_columns(["Holder Email", "Job Title"], fields) == {"holder_email": 0, "role": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Post Ref.", "postref"),
        ("E-mail", "email"),
        ("  JOB_TITLE (main) ", "jobtitlemain"),
        ("Référence", "reference"),
        (None, ""),
        (12.0, "12"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  IDVA  ", "IDVA"),
        (12, "12"),
        (12.0, "12"),
        (0.5, "0.5"),
        (0.1 + 0.2, "0.3"),
        (date(2026, 3, 5), "05/03/2026"),
        (datetime(2026, 3, 5), "05/03/2026"),
        (datetime(2026, 3, 5, 9, 30), "05/03/2026 09:30"),
        (True, "yes"),
        (False, "no"),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


def test_nearest_suggests_the_closest_spelling():
    localities = ["Taunton", "Bridgwater", "Yeovil"]
    assert nearest("Bridgewater", localities) == "Bridgwater"
    assert nearest("yeovil ", localities) == "Yeovil"
    roles = ["Adult Mental Health Worker", "IDVA Worker", "Substance Misuse Worker"]
    assert nearest("IDVA wrker", roles) == "IDVA Worker"
    assert nearest("idva-worker", roles) == "IDVA Worker"


def test_nearest_is_none_when_nothing_is_close():
    assert nearest("Manchester", ["Taunton", "Bridgwater", "Yeovil"]) is None
    assert nearest("", ["Taunton"]) is None
    assert nearest("Taunton", []) is None


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('\'=HYPERLINK("x")', '=HYPERLINK("x")'),
        ("'+44 7700", "+44 7700"),
        ("'-5", "-5"),
        ("'@home", "@home"),
        ("'plain", "'plain"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_an_apostrophe_that_quotes_a_formula_like_cell_is_dropped_on_reading(written, read):
    assert cell_text(written) == read
