"""Launch timelines counted back from a go-live date.

Everything here is plain Python (no Flask, no SQLAlchemy) so it can be used from views,
services, CLI commands and tests alike.

* ``Offset`` / ``due_date``: "8 months before go-live" -> a concrete working day.
* Timeline templates (Lancashire's 8-month plan, TOML under ``seed/timelines``) are read by
  ``timeline_templates.py``.
* ``rag_status`` / ``is_overdue``: red/amber/green for a milestone.
* ``timeline_columns``: month-long bands around go-live for the timeline view.

Month bands
-----------
The *anchor* of band ``k`` is ``go_live - k calendar months`` (``k`` may be negative for
months after go-live). A date belongs to the band whose anchor is nearest to it; a date
exactly halfway between two anchors belongs to the later band. So band ``k`` runs from
``anchor(k) - gap // 2`` days to the day before band ``k - 1`` starts, where ``gap`` is the
number of days between ``anchor(k + 1)`` and ``anchor(k)`` (28 to 31). Every half-band is
at least 14 days wide, while rolling back to a working day moves a date by at most a few
days, so a milestone due "k months before" always lands in band ``k``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Generic, Literal, TypeVar, get_args

from dateutil.relativedelta import relativedelta

__all__ = [
    "AMBER_WINDOW_DAYS",
    "OFFSET_UNITS",
    "STATUSES",
    "MilestoneStatus",
    "Offset",
    "OffsetUnit",
    "RagStatus",
    "add_working_days",
    "TimelineColumn",
    "band_anchor",
    "band_bounds",
    "band_label",
    "band_of",
    "due_date",
    "is_overdue",
    "is_working_day",
    "previous_working_day",
    "rag_status",
    "timeline_columns",
]

T = TypeVar("T")

# --------------------------------------------------------------------------- offsets

OffsetUnit = Literal["months", "weeks", "days"]
OFFSET_UNITS: tuple[str, ...] = get_args(OffsetUnit)

_UNIT_SINGULAR = {"months": "month", "weeks": "week", "days": "day"}


@dataclass(frozen=True)
class Offset:
    """How long before go-live a milestone is due (``amount`` >= 0 of ``unit``)."""

    amount: int
    unit: OffsetUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"offset amount must be a whole number, not {self.amount!r}")
        if self.amount < 0:
            raise ValueError(f"offset amount must be 0 or more, not {self.amount}")
        if self.unit not in OFFSET_UNITS:
            raise ValueError(f"offset unit must be one of {', '.join(OFFSET_UNITS)}")

    def describe(self) -> str:
        """Return e.g. "8 months before", "1 week before", or "at launch" when zero."""
        if self.amount == 0:
            return "at launch"
        unit = _UNIT_SINGULAR[self.unit] if self.amount == 1 else self.unit
        return f"{self.amount} {unit} before"

    def before(self, go_live: date) -> date:
        """Return ``go_live`` minus this offset, without working-day adjustment."""
        if self.unit == "months":
            return go_live - relativedelta(months=self.amount)
        if self.unit == "weeks":
            return go_live - timedelta(weeks=self.amount)
        return go_live - timedelta(days=self.amount)


# --------------------------------------------------------------------------- working days


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    """England-and-Wales bank holidays (including substitute days) in ``year``."""
    import holidays  # its calendars take ~0.1 s to load: at the first date sum, not at start-up

    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(calendar.keys())


def is_working_day(day: date) -> bool:
    """True when ``day`` is Monday to Friday and not an England-and-Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: date) -> date:
    """Return ``day`` if it is a working day, otherwise the nearest earlier working day."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, n: int) -> date:
    """Return the date ``n`` working days after ``day`` (before it when ``n`` is negative).

    Weekends and England-and-Wales bank holidays are skipped. ``n == 0`` returns ``day`` as
    it is, even when ``day`` is not a working day itself.
    """
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def due_date(go_live: date, offset: Offset) -> date:
    """Return the working day a milestone ``offset`` before ``go_live`` is due.

    Months are calendar months (31 August minus 6 months is 28 or 29 February); the
    result is rolled back to the nearest earlier working day if it is not one.
    """
    return previous_working_day(offset.before(go_live))


# --------------------------------------------------------------------------- RAG status

RagStatus = Literal["red", "amber", "green"]


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


STATUSES: tuple[str, ...] = tuple(status.value for status in MilestoneStatus)
AMBER_WINDOW_DAYS = 14


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown milestone status {status!r}")


def is_overdue(due: date | None, status: str, today: date) -> bool:
    """True when the milestone has a due date before ``today`` and is not done."""
    _check_status(status)
    return due is not None and due < today and status != "done"


def rag_status(due: date | None, status: str, today: date) -> RagStatus:
    """Red/amber/green for a milestone with ``status`` and ``due`` date, as of ``today``.

    done -> green; blocked -> red; overdue -> red; not started and due within
    ``AMBER_WINDOW_DAYS`` (today <= due <= today + 14) -> amber; anything else,
    including no due date, -> green.
    """
    _check_status(status)
    if status == "done":
        return "green"
    if status == "blocked" or is_overdue(due, status, today):
        return "red"
    if (
        status == "not_started"
        and due is not None
        and due <= today + timedelta(days=AMBER_WINDOW_DAYS)
    ):
        return "amber"
    return "green"


# --------------------------------------------------------------------------- month bands


def band_anchor(go_live: date, months_before: int) -> date:
    """The date ``months_before`` calendar months before go-live (negative: after)."""
    return go_live - relativedelta(months=months_before)


def band_of(go_live: date, day: date) -> int:
    """The band (months before go-live; negative after) whose anchor is nearest ``day``.

    A day exactly halfway between two anchors belongs to the later band (smaller number).
    """
    guess = (go_live.year - day.year) * 12 + (go_live.month - day.month)
    candidates = (guess - 1, guess, guess + 1)
    return min(candidates, key=lambda k: (abs((day - band_anchor(go_live, k)).days), k))


def band_bounds(go_live: date, months_before: int) -> tuple[date, date]:
    """First and last day (both inclusive) of band ``months_before``; see ``band_of``."""

    def start(k: int) -> date:
        anchor = band_anchor(go_live, k)
        gap = (anchor - band_anchor(go_live, k + 1)).days
        return anchor - timedelta(days=gap // 2)

    return start(months_before), start(months_before - 1) - timedelta(days=1)


def band_label(months_before: int) -> str:
    """ "8 months before", "1 month before", "Launch", "1 month after", "2 months after"."""
    if months_before == 0:
        return "Launch"
    count = abs(months_before)
    unit = "month" if count == 1 else "months"
    return f"{count} {unit} {'before' if months_before > 0 else 'after'}"


@dataclass(frozen=True)
class TimelineColumn(Generic[T]):
    """One month-long band of the timeline view and the items due in it."""

    months_before: int
    label: str
    start: date
    end: date
    items: tuple[T, ...]
    contains_today: bool


def timeline_columns(
    go_live: date,
    items: Sequence[T],
    due_of: Callable[[T], date | None],
    today: date,
    min_months_before: int = 8,
) -> list[TimelineColumn[T]]:
    """Month bands around ``go_live``, earliest first, each holding the items due in it.

    Columns run from the largest of ``min_months_before``, the earliest item's band and
    (if today is before go-live) today's band, down to band 0 ("Launch"). Bands after
    go-live are added only as far as the latest item or today reaches. Items whose due
    date is None are left out; within a column items are in due-date order (ties keep
    the caller's order). Band boundaries are described in ``band_of``.
    """
    dated = sorted(
        ((due, item) for item in items if (due := due_of(item)) is not None),
        key=lambda pair: pair[0],
    )
    bands = [band_of(go_live, due) for due, _ in dated]
    today_band = band_of(go_live, today)
    first = max([min_months_before, *bands, today_band if today < go_live else 0])
    last = min([0, *bands, today_band])
    columns = []
    for k in range(first, last - 1, -1):
        start, end = band_bounds(go_live, k)
        columns.append(
            TimelineColumn(
                months_before=k,
                label=band_label(k),
                start=start,
                end=end,
                items=tuple(
                    item for (_, item), band in zip(dated, bands, strict=True) if band == k
                ),
                contains_today=start <= today <= end,
            )
        )
    return columns
