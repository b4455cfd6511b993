"""Planning a finance spreadsheet import from plain values: budget lines and messy files."""

from __future__ import annotations

from datetime import date

import pytest

from programme.domain.finance_cells import category_of, parse_period
from programme.domain.imports import resolve_mapping, synonyms
from programme.domain.sheet_rows import set_aside
from programme.domain.spend_import import (
    FIELDS,
    BudgetLineRef,
    SpendRef,
    plan_spend_import,
)
from programme.domain.spreadsheet import read_table

STAFF_25_DFE, STAFF_25_COUNCIL, TRAINING_25, SYSTEMS_26 = 1, 2, 3, 4
LINES = [
    BudgetLineRef(STAFF_25_DFE, 2025, "staffing", "DfE grant"),
    BudgetLineRef(STAFF_25_COUNCIL, 2025, "staffing", "Council"),
    BudgetLineRef(TRAINING_25, 2025, "training", "Council"),
    BudgetLineRef(SYSTEMS_26, 2026, "systems", "Council"),
]


def plan(csv_text: str, lines=LINES, existing=()):
    table = read_table(csv_text.encode(), "spend.csv", synonyms(FIELDS))
    mapping = resolve_mapping(FIELDS, table.headers)
    required = [name for name, spec in FIELDS.items() if spec.required]
    table = set_aside(table, mapping, required)
    result = plan_spend_import(table, mapping, lines, existing)
    result.skipped = table.skipped  # as the import flow does
    return result


def errors(result):
    return [error.sentence() for error in result.errors]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Q1", (None, 1)),
        ("q4", (None, 4)),
        ("1", (None, 1)),
        (3, (None, 3)),
        (2.0, (None, 2)),
        ("Quarter 2", (None, 2)),
        ("Qtr 3", (None, 3)),
        ("Q1 2025/26", (2025, 1)),
        ("Apr-Jun", (None, 1)),
        ("Jan – Mar", (None, 4)),
        ("October to December", (None, 3)),
        ("P7", (None, 3)),
        ("Period 12", (None, 4)),
        ("May 2025", (2025, 1)),
        ("Feb-26", (2025, 4)),
        ("14/05/2025", (2025, 1)),
        (date(2026, 1, 31), (2025, 4)),
    ],
)
def test_quarters_as_finance_writes_them(value, expected):
    assert parse_period(value) == expected


@pytest.mark.parametrize("value", ["Q5", "5", "13", "P13", "Jun-Aug", "soon", "", "Q1 2025/27"])
def test_what_is_not_a_quarter(value):
    with pytest.raises(ValueError):
        parse_period(value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Staff costs", "staffing"),
        ("SALARIES", "staffing"),
        ("Training and development", "training"),
        ("Training & Development", "training"),
        ("IT", "systems"),
        ("Systems", "systems"),
        ("Improvement partner", "improvement_partner"),
        ("Consultancy", "improvement_partner"),
        ("Misc.", "other"),
        ("Catering", None),
    ],
)
def test_categories_in_finance_wording(text, key):
    assert category_of(text) == key


def test_a_messy_file_other_order_title_row_and_total_footer():
    result = plan(
        "Family Safeguarding actuals 2025/26,,,,\n"
        ",,,,\n"
        "Amount (£),Spend category,Qtr,Financial Year,Funding stream,Narrative\n"
        '"£1,234.56",Staff costs,Q1,2025/26,DfE grant,Social workers April\n'
        "200,Training and development,Apr-Jun,FY25/26,,MI course\n"
        '"(50.00)",Training,Q2,2025-2026,,Refund of a cancelled place\n'
        '"Total £1,384.56",,,,,\n'
    )
    assert errors(result) == []
    assert [row.action for row in result.rows] == ["created"] * 3
    first, second, third = (row.values for row in result.rows)
    assert first == {
        "budget_line_id": STAFF_25_DFE,
        "quarter": 1,
        "amount_pence": 123456,
        "is_refund": False,
        "description": "Social workers April",
    }
    assert second["budget_line_id"] == TRAINING_25 and second["amount_pence"] == 20000
    assert third["is_refund"] and third["amount_pence"] == -5000 and third["quarter"] == 2
    assert [skipped.reason for skipped in result.skipped] == ["a total row"]


def test_a_refund_written_positive_in_a_type_column_is_stored_negative():
    result = plan(
        "Year,Quarter,Category,Amount,Type\n"
        "2025/26,Q3,Training,75,Credit note\n"
        "2025/26,Q3,Training,-75,Payment\n"
    )
    refund, payment = result.rows
    assert refund.action == "created" and refund.values["amount_pence"] == -7500
    assert payment.action == "rejected"
    assert errors(result) == [
        "Row 3, Amount: −£75 is negative: an amount cannot be negative unless it is a refund. "
        "Write “Refund” or “Credit” in a type column, or begin the description with “Refund”."
    ]


def test_each_bad_cell_is_named_with_its_row():
    result = plan(
        "Year,Quarter,Category,Amount\n"
        "2025/27,Q1,Training,100\n"
        "2025/26,Q9,Training,100\n"
        "2025/26,Q1,Catering,100\n"
        "2025/26,Q1,Training,12%\n"
        "2025/26,Q1,Training,1.2k\n"
        "2027/28,Q1,Staff costs,100\n"
        "2025/26,Q1,Staffing,100\n"
    )
    assert [row.action for row in result.rows] == ["rejected"] * 7
    assert errors(result) == [
        "Row 2, Year: “2025/27” is not a financial year: write it as 2025/26.",
        "Row 3, Quarter: “Q9” is not a quarter: write Q1 to Q4 (Q1 is April to June), a month "
        "such as May 2025, or a date.",
        "Row 4, Category: “Catering” is not a spend category: the categories are training, "
        "staffing, systems, improvement partner and other.",
        "Row 5, Amount: “12%” is a percentage, not an amount of money.",
        "Row 6, Amount: “1.2k” is not an amount of money: write it in full, such as £1,234.56, "
        "with a minus sign or brackets for a refund.",
        "Row 7, Category: There is no staffing budget line for 2027/28: add one first.",
        "Row 8, Category: There are 2 staffing budget lines for 2025/26 (Council, DfE grant): "
        "say which funding source the spend is against.",
    ]


def test_a_date_gives_the_year_and_must_agree_with_a_year_column():
    result = plan(
        "Transaction date,Cost category,Net amount,Financial year\n"
        "12/02/2027,IT,500,\n"
        "12/02/2027,IT,500,2025/26\n"
        "Q1,IT,500,\n"
    )
    ok, disagrees, no_year = result.rows
    assert ok.action == "created" and ok.values["budget_line_id"] == SYSTEMS_26
    assert ok.values["quarter"] == 4
    assert disagrees.action == no_year.action == "rejected"
    assert "is in 2026/27, not 2025/26" in disagrees.errors[0].message
    assert no_year.errors[0].message.startswith("The financial year is blank")


def test_equal_rows_are_both_imported_with_a_warning():
    result = plan(
        "Year,Quarter,Category,Amount,Description\n"
        "2025/26,Q1,Training,100,Room hire\n"
        "2025/26,Q1,Training,100,Room hire\n",
        existing=[SpendRef(TRAINING_25, 1, 10000, "Room hire")],
    )
    assert [row.action for row in result.rows] == ["created", "created"]
    assert [w.message[:25] for w in result.warnings] == [
        "The same spend is already",
        "The same as row 2: both a",
        "The same spend is already",
    ]
