"""Rows that are not data (blank rows, the header again, totals, keys and notes) are set aside,
never rejected; rows that are data, however short or oddly named, are kept. And the columns an
import does not read are named."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from programme.domain.headers import match_columns
from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import synonyms
from programme.domain.sheet_rows import not_data, set_aside, unused_columns
from programme.domain.spreadsheet import SheetRow, SkippedRow, Table, read_table

HEADERS = ("Post No.", "Area", "Team", "Post Title", "Employer", "Recruitment Stage", "Notes")
MAPPING = match_columns(HEADERS, synonyms(FIELDS))
REQUIRED = [name for name, spec in FIELDS.items() if spec.required]
REQUIRED_COLUMNS = [MAPPING[name] for name in REQUIRED]  # Area, Team, Post Title, Stage


def row(*cells) -> tuple:
    return tuple(cells) + (None,) * (len(HEADERS) - len(cells))


def reason(*cells) -> str | None:
    return not_data(row(*cells), HEADERS, REQUIRED_COLUMNS)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DATA = ["AT/01", "Anytown North", "FS Team 1", "IDVA", "Anytown Council", "Advert live"]


# ------------------------------------------------------------------ the rules


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        (("TOTAL", None, None, None, None, None, None), "a total row"),
        (("Totals:",), "a total row"),
        (("Grand Total", None, None, None, None, None, "8"), "a total row"),
        (("Sub-total", None, None, "=COUNTA(D5:D12)"), "a total row"),
        (("Key: Started = in post; Offer accepted = conditional offer",), "a key"),
        (("Key",), "a key"),
        (("Legend",), "a key"),
        (("Notes:", "Figures exclude agency staff"), "a note"),
        (("Note: posts on hold are not counted",), "a note"),
        (("NB frozen posts are shown in grey",), "a note"),
        (("Source: iTrent, 27/11/2026",), "a note"),
        (("Last updated 27 November 2026",), "a note"),
        (("* agency cover",), "a note"),
        ((None, None, None, None, None, None, "=SUM(I5:I12)"), "a total row"),
        ((None, None, None, None, None, 8, 7.5), "a total row"),
        ((None, None, None, None, None, "12", "£2,000"), "a total row"),
        # A finance ledger's total: its figure first, then its label.
        ((None, None, None, None, "£20,200.50", "Total", None), "a total row"),
        (
            (None, "Area", "Team", "Post Title", "Employer", "Recruitment Stage"),
            "the header row again",
        ),
        (("post no", "AREA", "Team", "Post title"), "the header row again"),
    ],
)
def test_rows_that_are_not_data(cells, why):
    assert reason(*cells) == why


@pytest.mark.parametrize(
    "cells",
    [
        DATA,
        # A team called "Key Team": its other required values are there, so it is data.
        ["Key Team", "Anytown North", "Key Team", "IDVA", None, "Vacant"],
        ["Total Recovery Worker", "Anytown North", "FS Team 1", "Recovery worker", None, "Vacant"],
        # Short of values, but not a footer: rejected with its reasons, not skipped unseen.
        ["AT/02", "Anytown North"],
        [None, None, "FS Team 1"],
        ["Anytown recruitment tracker — continued"],
        # Dates are not totals.
        [None, None, None, None, None, None, date(2026, 11, 1)],
        # A formula that is not a sum or a count is not a total.
        [None, None, "=B5", "=C5"],
        # Only one header cell again is not the header row.
        [None, None, "Team"],
    ],
)
def test_rows_that_are_data(cells):
    assert reason(*cells) is None


def test_a_footer_word_is_a_whole_word():
    assert reason("Keyworker") is None
    assert reason("Totally new post") is None
    assert reason("Total posts: 8") == "a total row"


def test_the_lacks_most_values_rule_counts_half_of_the_required_columns():
    # Two of the four required values besides the first cell: data (its errors are shown).
    assert reason("Total", "Anytown North", "FS Team 1") is None
    # One of four: a footer.
    assert reason("Total", "Anytown North") == "a total row"
    # Formulas do not count as values.
    assert reason("Total", "=COUNTA(B5:B12)", "=COUNTA(C5:C12)") == "a total row"


def test_a_file_with_no_required_columns_mapped_still_finds_its_footers():
    assert not_data(row("Total", None, "3"), HEADERS, []) == "a total row"


# ------------------------------------------------------------------ tables


def test_set_aside_moves_rows_that_are_not_data_into_skipped_in_row_order():
    table = Table(
        HEADERS,
        4,
        [
            SheetRow(5, row(*DATA)),
            SheetRow(6, row(*HEADERS)),
            SheetRow(7, row(*DATA)),
            SheetRow(9, row("TOTAL", *[None] * 5, "=SUM(G5:G8)")),
            SheetRow(10, row("Key: S = started")),
        ],
        "FS posts",
        [SkippedRow(8, "a blank row")],
    )

    kept = set_aside(table, MAPPING, REQUIRED)

    assert [sheet_row.number for sheet_row in kept.rows] == [5, 7]
    assert kept.skipped == [
        SkippedRow(6, "the header row again"),
        SkippedRow(8, "a blank row"),
        SkippedRow(9, "a total row"),
        SkippedRow(10, "a key"),
    ]
    assert (kept.headers, kept.header_row, kept.sheet_name) == (HEADERS, 4, "FS posts")


def test_an_anytown_style_tracker_has_three_rows_that_are_not_data():
    data = xlsx(
        [
            ["Anytown Borough Council — Family Safeguarding establishment and recruitment"],
            ["Owner: HR Business Partner · refreshed weekly"],
            [],
            list(HEADERS),
            *[[f"AT/{n}", *DATA[1:]] for n in range(1, 9)],
            [],
            ["TOTAL", None, None, None, None, None, "=SUM(G5:G12)"],
            ["Key: Started = in post"],
            [],
            [],
        ]
    )
    table = read_table(data, "tracker.xlsx", synonyms(FIELDS))
    assert table.skipped == [SkippedRow(13, "a blank row")]  # trailing blank rows: not listed

    kept = set_aside(table, match_columns(table.headers, synonyms(FIELDS)), REQUIRED)

    assert len(kept.rows) == 8
    assert [(entry.number, entry.reason) for entry in kept.skipped] == [
        (13, "a blank row"),
        (14, "a total row"),
        (15, "a key"),
    ]
    assert sum(entry.count for entry in kept.skipped) == 3


def test_a_csv_pasted_in_blocks_repeats_its_header_and_ends_with_a_grand_total():
    lines = [
        ";".join(HEADERS),
        ";".join(DATA),
        "",
        "",
        ";".join(HEADERS),
        ";".join(["AT/2", *DATA[1:]]),
        "Grand Total;;;;;;2",
        "Report run 27/11/2026 09:14 by HRSYSTEM",
    ]
    data = "\r\n".join(lines).encode("utf-8")
    table = read_table(data, "export.csv", synonyms(FIELDS))

    kept = set_aside(table, match_columns(table.headers, synonyms(FIELDS)), REQUIRED)

    assert [sheet_row.number for sheet_row in kept.rows] == [2, 6]
    assert kept.skipped == [
        SkippedRow(3, "a blank row", last=4),
        SkippedRow(5, "the header row again"),
        SkippedRow(7, "a total row"),
        SkippedRow(8, "a note"),
    ]
    assert [entry.count for entry in kept.skipped] == [2, 1, 1, 1]


def test_a_skipped_row_round_trips_through_its_stored_form():
    entry = SkippedRow(3, "a blank row", last=4)
    assert SkippedRow.from_dict(entry.as_dict()) == entry


# ------------------------------------------------------------------ columns not read


def test_unused_columns_are_named_and_a_headerless_column_with_data_is_numbered():
    headers = ("Post No.", "Grade", "", "Team", "", "Cost centre")
    rows = [SheetRow(2, ("AT/1", "G7", None, "FS Team 1", "spill-over", "CC-19"))]

    unused = unused_columns(headers, {"reference": 0, "team": 3}, rows)

    assert unused == ["Grade", "Column 5 (no header)", "Cost centre"]
    assert unused_columns(headers, {"reference": 0, "team": 3}) == ["Grade", "Cost centre"]
