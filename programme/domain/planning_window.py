"""The range of dates a plan may use: wide enough for any real programme, narrow enough that a
typo (year 0001, 9999) is caught before it reaches a page or a calculation."""

from collections.abc import Collection
from datetime import date

from programme.domain.formatting import long_date

EARLIEST_GO_LIVE = date(2000, 1, 1)
LATEST_GO_LIVE = date(2099, 12, 31)
MAX_YEARS_FROM_GO_LIVE = 5


def go_live_problem(go_live: date) -> str | None:
    """Why a go-live date is implausible, or None when it is fine."""
    if not EARLIEST_GO_LIVE <= go_live <= LATEST_GO_LIVE:
        return (
            f"The go-live date must be between {EARLIEST_GO_LIVE.year} and "
            f"{LATEST_GO_LIVE.year}; check the year."
        )
    return None


def due_date_problem(due: date, go_live: date) -> str | None:
    """Why a milestone's due date is implausible for its go-live date, or None when it is fine."""
    earliest = go_live.replace(year=go_live.year - MAX_YEARS_FROM_GO_LIVE, day=1)
    latest = go_live.replace(year=go_live.year + MAX_YEARS_FROM_GO_LIVE, day=28)
    if not earliest <= due <= latest:
        return (
            f"The due date must be within {MAX_YEARS_FROM_GO_LIVE} years of the go-live date "
            f"({long_date(go_live)}); check the year."
        )
    return None


def programme_due_date_problem(due: date, go_lives: Collection[date]) -> str | None:
    """Why a programme-wide milestone's due date is implausible, or None when it is fine.

    A programme-wide milestone has no go-live date of its own, so the rule is the locality one
    stretched over the programme: within MAX_YEARS_FROM_GO_LIVE years of its localities'
    go-live dates (of the earliest before, of the latest after). A programme with no
    localities yet takes the years any go-live date may have (EARLIEST_GO_LIVE to
    LATEST_GO_LIVE), which still catches a typed year such as 0207 or 2207.
    """
    if not go_lives:
        if EARLIEST_GO_LIVE <= due <= LATEST_GO_LIVE:
            return None
        return (
            f"The due date must be between {EARLIEST_GO_LIVE.year} and {LATEST_GO_LIVE.year}; "
            "check the year."
        )
    first, last = min(go_lives), max(go_lives)
    earliest = first.replace(year=first.year - MAX_YEARS_FROM_GO_LIVE, day=1)
    latest = last.replace(year=last.year + MAX_YEARS_FROM_GO_LIVE, day=28)
    if earliest <= due <= latest:
        return None
    span = (
        f"the localities' go-live date ({long_date(first)})"
        if first == last
        else f"the localities' go-live dates ({long_date(first)} to {long_date(last)})"
    )
    return f"The due date must be within {MAX_YEARS_FROM_GO_LIVE} years of {span}; check the year."
