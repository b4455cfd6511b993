"""Turning a finance spreadsheet of actual spend into a plan per row (issue 20, part 1).

Each row is one payment (or refund) against a budget line: its financial year and quarter, its
category, optionally its funding source, its amount and a description. Plain Python: the
programme's budget lines come in as `BudgetLineRef`s.

Choices where finance spreadsheets differ:
- The quarter column takes "Q1", "1", "Quarter 1", "Q1 2025/26", "Apr-Jun", a finance period
  ("P7", "Period 7", counting from April), a month ("May 2025") or a date; a month or date also
  gives the year, so the year column may then be left out. A year column that disagrees with
  the date is refused.
- A negative amount is imported only as a refund: the row's type column says "Refund" or
  "Credit" (also "Credit note", "Reversal"), or its description begins with "Refund" or
  "Credit". A refund is stored negative whichever sign the file wrote it with.
- Two equal rows in one file are both imported (a ledger may hold two equal payments), with a
  warning on the later one; so is a row equal to spend already recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from programme.domain.cells import month_number
from programme.domain.finance_terms import SPEND_CATEGORIES, category_label
from programme.domain.financial_years import (
    financial_year_of,
    parse_year,
    quarter_of,
    year_label,
)
from programme.domain.formatting import money
from programme.domain.imports import (
    ImportField,
    ImportPlan,
    RowError,
    RowPlan,
    columns_for,
    row_error,
)
from programme.domain.money import parse_pounds, pounds_from_number
from programme.domain.spend import (
    category_problem,
    description_problem,
    find_budget_line,
    stored_amount,
)
from programme.domain.spreadsheet import (
    CellValue,
    SheetRow,
    Table,
    cell_text,
    normalise,
    parse_date,
)

FIELDS: dict[str, ImportField] = {
    "year": ImportField(
        "Financial year",
        ("Financial year", "Year", "FY", "Fin year", "Financial yr", "Budget year"),
    ),
    "quarter": ImportField(
        "Quarter",
        (
            "Quarter",
            "Qtr",
            "Period",
            "Month",
            "Date",
            "Transaction date",
            "Posting date",
            "Invoice date",
            "Payment date",
            "Quarter ending",
        ),
        required=True,
    ),
    "category": ImportField(
        "Category",
        (
            "Category",
            "Spend category",
            "Cost centre category",
            "Cost category",
            "Budget category",
            "Budget line",
            "Expenditure category",
            "Cost type",
            "Subjective",
            "Heading",
        ),
        required=True,
    ),
    "funding_source": ImportField(
        "Funding source",
        ("Funding source", "Funding stream", "Funded by", "Funding", "Source of funding", "Grant"),
    ),
    "amount": ImportField(
        "Amount",
        (
            "Amount",
            "Actual",
            "Actuals",
            "Amount (£)",
            "Amount £",
            "Net amount",
            "Net",
            "Net (£)",
            "Value",
            "Spend",
            "Actual spend",
            "Cost",
        ),
        required=True,
    ),
    "description": ImportField(
        "Description",
        ("Description", "Details", "Narrative", "Supplier", "Payee", "Notes", "Memo", "Item"),
    ),
    "kind": ImportField(
        "Type",
        ("Type", "Transaction type", "Entry type", "Refund", "Refund or credit", "Payment type"),
    ),
}

# Finance wording for each category, compared after `normalise` (case and punctuation ignored).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "training": (
        "training",
        "training and development",
        "training & development",
        "learning and development",
        "l&d",
        "training costs",
        "courses",
    ),
    "staffing": (
        "staffing",
        "staff",
        "staff costs",
        "staffing costs",
        "salaries",
        "salary",
        "pay",
        "wages",
        "employee costs",
        "employees",
        "posts",
    ),
    "systems": (
        "systems",
        "system",
        "it",
        "ict",
        "it systems",
        "technology",
        "software",
        "licences",
        "licenses",
    ),
    "improvement_partner": (
        "improvement partner",
        "consultancy",
        "consultants",
        "consultant",
        "implementation partner",
        "partner support",
    ),
    "other": ("other", "other costs", "miscellaneous", "misc", "sundries", "sundry"),
}
_CATEGORIES: dict[str, str] = {
    normalise(word): key
    for key, words in CATEGORY_WORDS.items()
    for word in (*words, key, SPEND_CATEGORIES[key])
}

HOW_TO_REFUND = (
    "Write “Refund” or “Credit” in a type column, or begin the description with “Refund”."
)

# A type column's words; a column headed "Refund" may hold yes or no.
REFUND_WORDS = ("refund", "credit", "credit note", "reversal", "refunded", "repayment", "yes", "y")
PAYMENT_WORDS = (
    "payment",
    "invoice",
    "spend",
    "debit",
    "expenditure",
    "charge",
    "journal",
    "no",
    "n",
    "",
)


@dataclass(frozen=True)
class BudgetLineRef:
    id: int
    financial_year: int
    category: str
    funding_source: str


@dataclass(frozen=True)
class SpendRef:
    """Spend already recorded, to point out a row the file repeats."""

    budget_line_id: int
    quarter: int
    amount_pence: int
    description: str


def category_of(text: str) -> str | None:
    return _CATEGORIES.get(normalise(text))


_QUARTER = re.compile(r"^(?:q|qtr|quarter)?\s*([1-4])(?:\s+(.+))?$")
_PERIOD = re.compile(r"^(?:p|period|month|m)\s*(\d{1,2})$")
_MONTH_RANGE = re.compile(r"^([a-z]+)\s*(?:-|–|to)\s*([a-z]+)$")
_MONTH_YEAR = re.compile(r"^([a-z]+)[\s\-/]*(\d{2}|\d{4})$")
_QUARTER_OF_MONTHS = {(4, 6): 1, (7, 9): 2, (10, 12): 3, (1, 3): 4}


def parse_period(value: CellValue) -> tuple[int | None, int]:
    """(financial year or None, quarter) from a quarter cell. Raises ValueError with a sentence
    for the user when it is not a quarter."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return financial_year_of(value), quarter_of(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value).lower().strip()
    written = cell_text(value)
    problem = (
        f"“{written}” is not a quarter: write Q1 to Q4 (Q1 is April to June), a month such as "
        "May 2025, or a date."
    )
    if not text:
        raise ValueError("The quarter is blank.")
    if match := _QUARTER.match(text):
        year = None
        if match.group(2):
            year = parse_year(match.group(2))
            if year is None:
                raise ValueError(problem)
        return year, int(match.group(1))
    if match := _PERIOD.match(text):
        period = int(match.group(1))
        if not 1 <= period <= 12:
            raise ValueError(f"“{written}” is not a finance period: periods are 1 to 12.")
        return None, (period - 1) // 3 + 1
    if match := _MONTH_RANGE.match(text):
        first, last = month_number(match.group(1)), month_number(match.group(2))
        if (first, last) in _QUARTER_OF_MONTHS:
            return None, _QUARTER_OF_MONTHS[(first, last)]
        raise ValueError(problem)
    if match := _MONTH_YEAR.match(text):
        month = month_number(match.group(1))
        if month is not None:
            digits = match.group(2)
            year = int(digits) if len(digits) == 4 else 2000 + int(digits)
            day = date(year, month, 1)
            return financial_year_of(day), quarter_of(day)
    if text.isdigit():
        raise ValueError(f"“{written}” is not a quarter: quarters are 1 to 4.")
    try:
        day = parse_date(written)
    except ValueError:
        raise ValueError(problem) from None
    return financial_year_of(day), quarter_of(day)


def read_amount(value: CellValue) -> int:
    """Whole pence from an amount cell; raises ValueError with a sentence for the user."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        pence = pounds_from_number(value)
        if pence is None:
            raise ValueError(f"“{cell_text(value)}” is not an amount in pounds and pence.")
        return pence
    text = cell_text(value)
    if not text:
        raise ValueError("The amount is blank.")
    if text.endswith("%"):
        raise ValueError(f"“{text}” is a percentage, not an amount of money.")
    pence = parse_pounds(text)
    if pence is None:
        raise ValueError(
            f"“{text}” is not an amount of money: write it in full, such as £1,234.56, "
            "with a minus sign or brackets for a refund."
        )
    return pence


def is_refund(kind: str, description: str) -> bool | None:
    """True when the type or description says refund or credit; None when the type column
    holds a word that is neither a refund nor a payment."""
    words = normalise(kind)
    if words in {normalise(word) for word in REFUND_WORDS}:
        return True
    if words not in {normalise(word) for word in PAYMENT_WORDS}:
        return None
    first = re.split(r"[^a-z]+", description.lower().strip(), maxsplit=1)[0]
    return first in ("refund", "refunded", "credit")


def plan_spend_import(
    table: Table,
    mapping: Mapping[str, int],
    lines: Sequence[BudgetLineRef],
    existing: Iterable[SpendRef] = (),
) -> ImportPlan:
    columns = columns_for(FIELDS, mapping, table.headers)
    rows = [_read_row(sheet_row, mapping, columns, lines) for sheet_row in table.rows]
    _note_repeats(rows, columns, existing)
    by_id = {line.id: line for line in lines}
    return ImportPlan(rows, lambda name, value: _describe(name, value, by_id))


def _read_row(
    sheet_row: SheetRow,
    mapping: Mapping[str, int],
    columns: Mapping[str, str],
    lines: Sequence[BudgetLineRef],
) -> RowPlan:
    plan = RowPlan(sheet_row.number, "rejected")

    def cell(name: str) -> CellValue:
        return sheet_row.cells[mapping[name]] if name in mapping else None

    def reject(name: str, problem: str) -> None:
        plan.errors.append(
            row_error(sheet_row.number, columns.get(name, FIELDS[name].label), name, problem)
        )

    year = quarter = None
    if "year" in mapping and cell_text(cell("year")):
        year = parse_year(cell_text(cell("year")))
        if year is None:
            reject(
                "year",
                f"“{cell_text(cell('year'))}” is not a financial year: write it as 2025/26.",
            )
    try:
        period_year, quarter = parse_period(cell("quarter"))
    except ValueError as error:
        reject("quarter", str(error))
        period_year = None
    if period_year is not None:
        if year is not None and period_year != year:
            reject(
                "quarter",
                f"“{cell_text(cell('quarter'))}” is in {year_label(period_year)}, not "
                f"{year_label(year)} as the financial year says.",
            )
        year = period_year
    elif year is None and quarter is not None and not plan.errors:
        reject("year", "The financial year is blank (and the quarter does not say it).")

    category_text = cell_text(cell("category"))
    category = category_of(category_text)
    if not category_text:
        reject("category", "The category is blank.")
    elif category is None:
        reject("category", category_problem(category_text))

    description = cell_text(cell("description"))
    if problem := description_problem(description):
        reject("description", problem)
    kind_text = cell_text(cell("kind"))
    refund = is_refund(kind_text, description)
    if refund is None:
        reject("kind", f"“{kind_text}” is neither a payment nor a refund or credit.")

    amount = None
    try:
        amount = read_amount(cell("amount"))
    except ValueError as error:
        reject("amount", str(error))
    pence = None
    if amount is not None and refund is not None:
        try:
            pence = stored_amount(amount, refund, HOW_TO_REFUND)
        except ValueError as error:
            reject("amount", str(error))

    line = None
    if year is not None and category is not None:
        source = cell_text(cell("funding_source"))
        line, problem = find_budget_line(lines, year, category, source)
        if problem:
            reject("funding_source" if source else "category", problem)
    if plan.errors or line is None or quarter is None or pence is None:
        return plan
    plan.action = "created"
    plan.values = {
        "budget_line_id": line.id,
        "quarter": quarter,
        "amount_pence": pence,
        "is_refund": bool(refund),
        "description": description,
    }
    plan.label = (
        f"Q{quarter} {year_label(year)} · {category_label(category)} · {line.funding_source} · "
        f"{money(pence)}" + (" (refund)" if refund else "")
    )
    return plan


def _note_repeats(rows: list[RowPlan], columns: Mapping[str, str], existing: Iterable[SpendRef]):
    recorded = {
        (spend.budget_line_id, spend.quarter, spend.amount_pence, spend.description)
        for spend in existing
    }
    seen: dict[tuple, int] = {}
    column = columns.get("amount", FIELDS["amount"].label)
    for row in rows:
        if row.action != "created":
            continue
        key = tuple(row.values[name] for name in ("budget_line_id", "quarter", "amount_pence"))
        key += (row.values["description"],)
        if key in seen:
            row.warnings.append(
                RowError(
                    row.row,
                    column,
                    f"The same as row {seen[key]}: both are imported (a ledger may hold two equal "
                    "payments); delete one from the file if it is a repeat.",
                )
            )
        else:
            seen[key] = row.row
        if key in recorded:
            row.warnings.append(
                RowError(
                    row.row,
                    column,
                    "The same spend is already recorded: it is imported again unless you "
                    "delete the row from the file.",
                )
            )


def _describe(name: str, value: Any, lines: Mapping[int, BudgetLineRef]) -> str:
    if name == "budget_line_id" and value in lines:
        line = lines[value]
        return (
            f"{category_label(line.category)} {year_label(line.financial_year)}, "
            f"{line.funding_source}"
        )
    if name == "amount_pence":
        return money(value)
    if name == "quarter":
        return f"Q{value}"
    if name == "is_refund":
        return "Refund" if value else "Payment"
    return "(blank)" if value is None or value == "" else str(value)
