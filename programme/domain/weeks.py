"""ISO weeks: a digest is identified by its recipient and the ISO week it covers."""

from __future__ import annotations

import re
from datetime import date, timedelta


def iso_week(day: date) -> str:
    """'2026-W49' for any day from Monday 30 November to Sunday 6 December 2026."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_commencing(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})")


def parse_iso_week(text: str) -> str | None:
    """'2026-W49' (also '2026-w49', '2026W49', '2026-W9') as the outbox files digests: None when
    it is not a week of a year."""
    found = _ISO_WEEK.fullmatch(text.strip().upper())
    if not found:
        return None
    year, week = int(found[1]), int(found[2])
    try:
        date.fromisocalendar(year, week, 1)  # week 53 only in the years that have one
    except ValueError:
        return None
    return f"{year:04d}-W{week:02d}"
