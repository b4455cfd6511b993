"""The one set of spend rules the spend form and the finance spreadsheet import share."""

from __future__ import annotations

import pytest

from programme.domain.spend import (
    category_problem,
    description_problem,
    find_budget_line,
    missing_line,
    stored_amount,
)
from programme.domain.spend_import import BudgetLineRef

STAFF_25_DFE, STAFF_25_COUNCIL, TRAINING_25 = 1, 2, 3
LINES = [
    BudgetLineRef(STAFF_25_DFE, 2025, "staffing", "DfE grant"),
    BudgetLineRef(STAFF_25_COUNCIL, 2025, "staffing", "Council"),
    BudgetLineRef(TRAINING_25, 2025, "training", "Council"),
]


def test_the_line_of_a_year_and_category():
    assert find_budget_line(LINES, 2025, "training")[0].id == TRAINING_25
    assert find_budget_line(LINES, 2025, "training", "  ")[0].id == TRAINING_25
    assert find_budget_line(LINES, 2025, "staffing", "dfe  GRANT")[0].id == STAFF_25_DFE


def test_spend_with_no_line_is_refused_naming_the_missing_line():
    assert find_budget_line(LINES, 2027, "staffing") == (
        None,
        "There is no staffing budget line for 2027/28: add one first.",
    )
    assert missing_line(2027, "staffing") == find_budget_line(LINES, 2027, "staffing")[1]
    assert find_budget_line(LINES, 2025, "training", "Public health") == (
        None,
        "There is no training budget line for 2025/26 funded by Public health (only by "
        "Council): add one first.",
    )


def test_several_lines_need_a_funding_source():
    line, problem = find_budget_line(LINES, 2025, "staffing")
    assert line is None
    assert problem == (
        "There are 2 staffing budget lines for 2025/26 (Council, DfE grant): say which funding "
        "source the spend is against."
    )


@pytest.mark.parametrize(
    ("pence", "refund", "stored"), [(500, False, 500), (500, True, -500), (-500, True, -500)]
)
def test_a_refund_is_stored_negative_whichever_sign_it_was_given_with(pence, refund, stored):
    assert stored_amount(pence, refund, "") == stored


@pytest.mark.parametrize(
    ("pence", "refund", "message"),
    [
        (-500, False, "−£5 is negative: an amount cannot be negative unless it is a refund. Tick"),
        (0, False, "The amount is £0"),
        (100_000_000_001, False, "The amount must be £1,000,000,000 or less."),
        (-100_000_000_001, True, "The amount must be £1,000,000,000 or less."),
    ],
)
def test_amounts_refused(pence, refund, message):
    with pytest.raises(ValueError) as refused:
        stored_amount(pence, refund, "Tick the box.")
    assert str(refused.value).startswith(message)


def test_categories_and_descriptions():
    assert category_problem("staffing") is None
    assert category_problem("catering") == (
        "“catering” is not a spend category: the categories are training, staffing, systems, "
        "improvement partner and other."
    )
    assert description_problem("x" * 300) is None
    assert description_problem("x" * 301) == "The description must be 300 characters or fewer."
