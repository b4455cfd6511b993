"""English local government's financial year, April to March, and its quarters.

A financial year is held as the calendar year it starts in: 2025 is "2025/26", 1 April 2025 to
31 March 2026. Quarter 1 is April to June.
"""

from __future__ import annotations

import re
from datetime import date

FIRST_MONTH = 4  # April


def financial_year_of(day: date) -> int:
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def quarter_of(day: date) -> int:
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def year_label(year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_start(year: int) -> date:
    return date(year, FIRST_MONTH, 1)


def year_end(year: int) -> date:
    return date(year + 1, FIRST_MONTH - 1, 31)


def quarter_start(year: int, quarter: int) -> date:
    month = FIRST_MONTH + 3 * (quarter - 1)
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def quarter_label(year: int, quarter: int) -> str:
    """(2025, 1) -> "Q1 2025/26"."""
    return f"Q{quarter} {year_label(year)}"


_YEAR = re.compile(r"^(?:FY\s*)?(\d{2}|\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?$", re.IGNORECASE)


def parse_year(text: str) -> int | None:
    """A financial year as finance spreadsheets write it: "2025/26", "2025-26", "2025/2026",
    "FY25/26", "25/26" or "2025" (the year it starts in). None when it is not one; also None
    when the second year does not follow the first ("2025/27")."""
    match = _YEAR.match(text.strip())
    if match is None:
        return None
    first = _full_year(match.group(1))
    if match.group(2) is not None and _full_year(match.group(2), near=first) != first + 1:
        return None
    return first


def _full_year(digits: str, near: int | None = None) -> int:
    if len(digits) == 4:
        return int(digits)
    if near is None:
        return 2000 + int(digits)
    year = near // 100 * 100 + int(digits)
    return year + 100 if year < near else year  # 2099/00
