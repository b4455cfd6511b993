"""The workbook's Finance and Partner pledges sheets (issue 20, part 6): budget lines with their
spend (a refund netted off), the training sessions' cost, the yearly totals with the cumulative
cost, two cost-avoidance scenarios with their payback, a partner behind with its pledge; an empty
programme says so; a fixed number of queries however many localities, lines and pledges; a
board pack carries both sheets and its changes are untouched by the money."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from programme.domain.xlsx_export import NUMBER_FORMATS
from programme.extensions import db
from programme.services.board_packs import issue
from programme.services.exports import workbook
from programme.services.training import catalogue
from tests.builders import create_programme, create_session, create_user
from tests.business_case_builders import add_business_case
from tests.conftest import TODAY
from tests.services.test_workbook import busy_programme

FINANCE, PLEDGES = "Finance", "Partner pledges"


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _records(ws) -> list[dict]:
    header = [cell.value for cell in ws[1]]
    return [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


@pytest.fixture
def book(app, pin_clock):
    pin_clock(TODAY)
    programme = create_programme("Bury Family Safeguarding", "bury")
    add_business_case(programme)
    return _book(workbook.programme_workbook(programme, TODAY))


def test_the_finance_sheet_is_one_table_of_lines_sessions_year_totals_and_scenarios(book):
    ws = book[FINANCE]
    assert [cell.value for cell in ws[1]] == [
        "Kind",
        "Financial year",
        "Category",
        "Funding source",
        "Budget",
        "Actual",
        "Forecast",
        "Variance",
        "Cumulative cost",
        "Scenario",
        "Avoided",
        "Cumulative avoided",
        "Pays back",
        "Note",
    ]
    records = _records(ws)
    assert ws.auto_filter.ref == f"A1:N{1 + len(records)}"
    money = ("Budget", "Actual", "Forecast", "Variance")
    lines = [
        (r["Financial year"], r["Category"], r["Funding source"], *(r[k] for k in money))
        for r in records
        if r["Kind"] == "Budget line"
    ]
    assert lines == [
        ("2025/26", "Training", "DfE grant", 20_000, 0, 0, -20_000),
        ("2025/26", "Staffing", "Council", 500_000, 440_000, 440_000, -60_000),  # refund off
        ("2026/27", "Staffing", "DfE grant", 600_000, 100_000, 650_000, 50_000),
        ("2027/28", "Staffing", "Source 0", 400_000, 0, 400_000, 0),
    ]
    assert records[1]["Note"] == "Posts from July"
    (sessions,) = [r for r in records if r["Kind"] == "Training sessions"]
    assert (sessions["Financial year"], sessions["Category"], sessions["Actual"]) == (
        "2025/26",
        "Training",
        6_000,  # the cancelled session cost nothing
    )
    totals = [
        (r["Financial year"], *(r[k] for k in money), r["Cumulative cost"], r["Note"])
        for r in records
        if r["Kind"] == "Year total"
    ]
    assert totals == [
        ("2025/26", 520_000, 446_000, 446_000, -74_000, 446_000, "Spent"),
        ("2026/27", 600_000, 100_000, 650_000, 50_000, 1_096_000, "Forecast"),
        ("2027/28", 400_000, 0, 400_000, 0, 1_496_000, "Forecast"),
        ("2028/29", 0, 0, 0, 0, 1_496_000, "Forecast"),
        ("2029/30", 0, 0, 0, 0, 1_496_000, "Forecast"),
    ]
    scenarios = [
        (r["Scenario"], r["Financial year"], r["Avoided"], r["Cumulative avoided"], r["Pays back"])
        for r in records
        if r["Kind"] == "Scenario"
    ]
    assert scenarios[:5] == [
        ("Low", "2025/26", 0, 0, "Not by 2029/30"),
        ("Low", "2026/27", 300_000, 300_000, "Not by 2029/30"),
        ("Low", "2027/28", 500_000, 800_000, "Not by 2029/30"),
        ("Low", "2028/29", 500_000, 1_300_000, "Not by 2029/30"),
        ("Low", "2029/30", 0, 1_300_000, "Not by 2029/30"),
    ]
    assert [row[3] for row in scenarios[5:]] == [0, 400_000, 1_200_000, 2_000_000, 2_000_000]
    assert {row[4] for row in scenarios[5:]} == {"2028/29"}
    assert [r["Cumulative cost"] for r in records if r["Scenario"] == "High"][3] == 1_496_000
    budget = ws.cell(2, 5)
    assert budget.number_format == NUMBER_FORMATS["money"] == '"£"#,##0.00'


def test_the_pledges_sheet_shows_the_partner_behind(book):
    ws = book[PLEDGES]
    (record,) = _records(ws)
    assert record == {
        "Partner": "Avon Police",
        "Financial year": "2025/26",
        "Pledged": 85_000,
        "Received": 20_000,
        "Still to receive": 65_000,
        "Posts pledged": 1,
        "Posts filled": 0,
        "Status": "Behind",
        "Note": None,
    }
    assert ws.cell(2, 3).number_format == NUMBER_FORMATS["money"]


def test_an_empty_programme_says_there_is_nothing(app, pin_clock):
    pin_clock(TODAY)
    book = _book(workbook.programme_workbook(create_programme("Empty", "empty"), TODAY))
    assert book.sheetnames == list(workbook.SHEET_NAMES)
    assert book[FINANCE]["A2"].value == (
        "No budget, spend or cost-avoidance scenario has been recorded"
    )
    assert book[FINANCE].max_row == 2
    assert book[PLEDGES]["A2"].value == "No partner organisation has pledged a contribution yet"


def test_training_sessions_alone_give_year_totals_but_no_scenario(app, pin_clock):
    pin_clock(TODAY)
    programme = create_programme("Somerset", "somerset")
    create_session(catalogue.list_courses(programme)[0], 1, date(2026, 5, 4), cost_pence=1_500_00)
    records = _records(_book(workbook.programme_workbook(programme, TODAY))[FINANCE])
    assert [r["Kind"] for r in records] == ["Training sessions", *["Year total"] * 5]
    assert records[1]["Actual"] == 1_500 and records[1]["Cumulative cost"] == 1_500


def test_the_workbook_runs_as_many_queries_for_six_localities_and_many_lines_as_for_one(
    app, pin_clock, count_queries
):
    pin_clock(TODAY)
    small, large = busy_programme("small", 1), busy_programme("large", 6)
    add_business_case(small, lines=1, pledges=1)
    add_business_case(large, lines=8, pledges=4)

    def queries(programme) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            workbook.programme_workbook(programme, TODAY)
        return counter.count

    assert queries(small) == queries(large)


def test_a_board_pack_carries_the_finance_sheets_and_its_changes_ignore_the_money(app, pin_clock):
    pin_clock(TODAY)
    programme = busy_programme("bury", 1)
    board_member = create_user("board_member")
    first = issue.issue_pack(programme, date(2026, 12, 3), board_member, TODAY)
    add_business_case(programme)
    second = issue.issue_pack(programme, date(2027, 1, 7), board_member, TODAY)

    book = _book(second.workbook)
    assert book.sheetnames == [
        "Summary",
        "Changes since the last pack",
        *workbook.SHEET_NAMES[1:],
    ]
    assert len(_records(book[FINANCE])) == 4 + 1 + 5 + 10
    assert [r["Status"] for r in _records(book[PLEDGES])] == ["Behind"]
    assert second.state == first.state  # the money is not part of a pack's state
    assert not any(locality["changes"] for locality in second.changes["localities"])
    assert book["Changes since the last pack"]["A2"].value == (
        "Nothing changed since the last pack, issued on 30 Nov 2026."
    )
