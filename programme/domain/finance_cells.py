"""Reading the cells of a finance spreadsheet (issue 20): a spend category in finance teams'
words, a quarter as ledgers write it, an amount of money, and whether a row is a refund. Each
reader raises ValueError with a sentence for the user; `spend_import.py` plans the rows."""

from __future__ import annotations

import re
from datetime import date, datetime

from programme.domain.cells import month_number
from programme.domain.finance_terms import SPEND_CATEGORIES
from programme.domain.financial_years import financial_year_of, parse_year, quarter_of
from programme.domain.money import parse_pounds, pounds_from_number
from programme.domain.spreadsheet import CellValue, cell_text, normalise, parse_date

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
