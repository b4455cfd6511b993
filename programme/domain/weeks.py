"""ISO weeks: a digest is identified by its recipient and the ISO week it covers."""

from __future__ import annotations

from datetime import date, timedelta


def iso_week(day: date) -> str:
    """'2026-W49' for any day from Monday 30 November to Sunday 6 December 2026."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_commencing(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())
