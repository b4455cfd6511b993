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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from programme.domain.finance_cells import (
    HOW_TO_REFUND,
    category_of,
    is_refund,
    parse_period,
    read_amount,
)
from programme.domain.finance_terms import category_label
from programme.domain.financial_years import (
    parse_year,
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
