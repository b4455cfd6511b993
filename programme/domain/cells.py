"""One cell of an uploaded spreadsheet: its value as the user would read it, a UK date from it,
and the nearest known name to it for "did you mean" hints. Plain Python, shared by the readers
(``spreadsheet.py``) and every import's planner."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import TypeAlias

from programme.domain.formatting import clock_time, numeric_date
from programme.domain.headers import header_key

CellValue: TypeAlias = str | int | float | date | datetime | bool | None

NEAREST_CUTOFF = 0.6  # as difflib.get_close_matches


# --------------------------------------------------------------------------- text helpers


def normalise(text: object) -> str:
    """Header text reduced for comparison: "Post Ref." -> "postref", "E-mail" -> "email"."""
    if text is None:
        return ""
    return header_key(text if isinstance(text, str) else cell_text(text))


# A CSV download writes "'=..." so that Excel shows a formula-like cell as text; reading it back,
# the apostrophe goes again (Excel itself never stores it in a cell's value).
_QUOTED_FORMULA = re.compile(r"^'(?=[=+\-@\t\r])")


def cell_text(value: CellValue) -> str:
    """A cell as the user would read it: 12.0 -> "12", a date -> "dd/mm/yyyy", True -> "yes"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _QUOTED_FORMULA.sub("", value.strip(), count=1)
    if isinstance(value, bool):  # before int: bool is an int
        return "yes" if value else "no"
    if isinstance(value, float):
        # 15 significant digits is what Excel shows, so 0.1 + 0.2 reads "0.3".
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return numeric_date(value)
        return f"{numeric_date(value)} {clock_time(value)}"
    if isinstance(value, date):
        return numeric_date(value)
    return str(value)


def nearest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``value`` (ignoring case and punctuation), for "did you mean"."""
    key = normalise(value)
    if not key:
        return None
    matcher = SequenceMatcher(b=key)  # b is the side SequenceMatcher caches
    best, best_ratio = None, 0.0
    for candidate in candidates:
        matcher.set_seq1(normalise(candidate))
        if (ratio := matcher.ratio()) > best_ratio:  # ties keep the earlier candidate
            best, best_ratio = candidate, ratio
    return best if best_ratio >= NEAREST_CUTOFF else None


# --------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def month_number(name: str) -> int | None:
    """1 to 12 for a month's English name or abbreviation ("May", "sept", "Dec."); else None."""
    return _MONTHS.get(name.strip().lower().removesuffix("."))


# A time after the date is ignored: CSVs saved from other systems often add " 00:00:00".
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_UK_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
# "1 March 2026", "1st Mar. 2026", and Excel's "1-Mar-26".
_WORDY_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ /-]+([a-z]+)\.?,?[ /-]+(\d{4}|\d{2})")


def parse_date(value: CellValue) -> date | None:
    """A date from a cell: Excel dates, or UK text dates; "" and None give None.

    Raises ValueError with a sentence for the user for anything else, including numbers
    (a bare number in a CSV is not a date) and US-style dates such as "03/13/2026".
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = _date_from_text(value.strip()) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError(f"“{cell_text(value)}” is not a date: use dd/mm/yyyy")
    return parsed


def _date_from_text(text: str) -> date | None:
    if match := _UK_DATE.fullmatch(text):
        day, _, month, year = match.groups()
        return _valid_date(_full_year(year), int(month), int(day))
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return _valid_date(int(year), int(month), int(day))
    if match := _WORDY_DATE.fullmatch(text.lower()):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name)
        return _valid_date(_full_year(year), month, int(day)) if month else None
    return None


def _full_year(year: str) -> int:
    return 2000 + int(year) if len(year) == 2 else int(year)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02, or a US date with the month second
        return None
