"""Outcome indicators' arithmetic: periods (a month or a quarter, held as its first day), change
against a locality's baseline, the target a % change means, whether a value is on track, and the
months since a locality went live, to line localities of different waves up side by side.

Plain Python: no Flask, no database. A quarter is the financial year's (April to June is Q1);
its first day is also a calendar quarter's, so a period's date does not depend on which is meant.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from programme.domain import formatting
from programme.domain.financial_years import (
    financial_year_of,
    parse_year,
    quarter_label,
    quarter_of,
    quarter_start,
)
from programme.domain.indicator_units import unit_label

NAME_LENGTH = 200  # the indicator table's columns
DESCRIPTION_LENGTH = 500
MONTHLY, QUARTERLY = "monthly", "quarterly"
FREQUENCY_LABELS = {MONTHLY: "Monthly", QUARTERLY: "Quarterly"}
GROUP_LABELS = {"outcomes": "Children and families", "workforce": "Workforce"}

ON_TRACK, MOVING_AWAY, NO_DATA = "on_track", "moving_away", "no_data"
STATUS_LABELS = {ON_TRACK: "On track", MOVING_AWAY: "Moving away", NO_DATA: "No data"}

# The comparison chart's window, in months since go-live, when the data reaches beyond it.
WINDOW = (-6, 18)


# --- Periods -------------------------------------------------------------------------------------


def period_start(day: date, frequency: str) -> date:
    """The first day of the month (or quarter) `day` falls in."""
    if frequency == QUARTERLY:
        return quarter_start(financial_year_of(day), quarter_of(day))
    return day.replace(day=1)


def period_label(period: date, frequency: str) -> str:
    """ "May 2026" for a month, "Q1 2026/27" for a quarter."""
    if frequency == QUARTERLY:
        return quarter_label(financial_year_of(period), quarter_of(period))
    return f"{calendar.month_abbr[period.month]} {period.year}"


def period_key(period: date, frequency: str) -> str:
    """How a period is written in a web address and a form: "2026-05" (a quarter by the month
    it starts in: "2026-04" is Q1 2026/27)."""
    return f"{period.year:04d}-{period.month:02d}"


_MONTH_NUMBER = re.compile(r"^(\d{4})\s*[-/]\s*(\d{1,2})$")
_NUMBER_MONTH = re.compile(r"^(\d{1,2})\s*[-/]\s*(\d{4})$")
_MONTH_NAME = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_QUARTER = re.compile(r"^Q([1-4])\s+(.+)$|^(.+?)\s+Q([1-4])$", re.IGNORECASE)
_MONTHS = {
    name.lower(): number
    for table in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(table)
    if name
}
_MONTHS["sept"] = 9


def parse_period(text: str, frequency: str) -> date | None:
    """The period a person or a spreadsheet wrote, as its first day: a month "2026-05",
    "05/2026" or "May 2026"; for a quarterly indicator also a quarter "Q1 2026/27" (a month
    stands for the quarter it falls in). None when it is not one; a quarter for a monthly
    indicator is not one."""
    text = (text or "").strip()
    quarter = _QUARTER.match(text)
    if quarter is not None:
        number = quarter.group(1) or quarter.group(4)
        year = parse_year(quarter.group(2) or quarter.group(3))
        if frequency != QUARTERLY or year is None or "/" not in text and "-" not in text:
            return None  # "2026 Q2" is ambiguous between calendar and financial quarters
        return quarter_start(year, int(number))
    month = _month(text)
    return None if month is None else period_start(month, frequency)


def _month(text: str) -> date | None:
    year = month = None
    if match := _MONTH_NUMBER.match(text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _NUMBER_MONTH.match(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_NAME.match(text):
        month, year = _MONTHS.get(match.group(1).lower()), int(match.group(2))
    if year is None or month is None or not 1 <= month <= 12 or not 1900 < year < 2200:
        return None
    return date(year, month, 1)


def period_problem(period: date, today: date) -> str | None:
    """Why a value cannot be recorded for `period` yet, or None: a period still to start."""
    if period > today:
        return "is in the future: record a value once its period has started"
    return None


# --- Baselines, targets, progress ----------------------------------------------------------------


def change_percent(baseline: float, value: float) -> float | None:
    """The change from `baseline` to `value` in per cent (-30.0 for a 30% fall); None from a
    zero baseline, where no change is a share of anything."""
    if baseline == 0:
        return None
    return (value - baseline) / abs(baseline) * 100


def target_from_change(baseline: float, change: float) -> float:
    """The value a change of `change` per cent from `baseline` aims for: 100 and -30 give 70."""
    return baseline + abs(baseline) * change / 100


@dataclass(frozen=True)
class Target:
    """A locality's baseline for an indicator and its aim: a value, or a % change."""

    baseline: float
    baseline_on: date
    value: float | None = None
    change_percent: float | None = None

    @property
    def target_value(self) -> float | None:
        """The value aimed for: the one given, or the one the % change means."""
        if self.value is not None:
            return self.value
        if self.change_percent is not None:
            return target_from_change(self.baseline, self.change_percent)
        return None


def status(latest: float | None, target: Target | None, lower_is_better: bool) -> str:
    """ON_TRACK when the latest value is at or better than the baseline (or meets the target),
    MOVING_AWAY when it is worse than the baseline, NO_DATA without a value or a baseline."""
    if latest is None or target is None:
        return NO_DATA
    aim = target.target_value
    if aim is not None and (latest <= aim if lower_is_better else latest >= aim):
        return ON_TRACK
    better_or_same = latest <= target.baseline if lower_is_better else latest >= target.baseline
    return ON_TRACK if better_or_same else MOVING_AWAY


def value_text(value: float | None, unit: str) -> str:
    """A value as pages show it: "20.5%", "14.7", "1,234", "45.2 per 10,000 children"."""
    if value is None:
        return formatting.DASH
    shown = formatting.number(float(value), places=1)
    if unit == "percent":
        return shown + "%"
    if unit == "per_10000":
        return f"{shown} {unit_label(unit)}"
    return shown


def change_text(change: float | None) -> str:
    """A % change as pages show it: "−30%", "+12.5%", a dash when there is none."""
    if change is None:
        return formatting.DASH
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return sign + formatting.number(abs(change), places=1) + "%"


# --- Months since go-live ------------------------------------------------------------------------


def months_since_go_live(period: date, go_live: date, frequency: str = MONTHLY) -> int:
    """Whole months from the start of the period a locality went live in to `period`'s: 0 for
    the period it went live in (a go-live mid-month or mid-quarter counts from that period),
    negative before go-live; quarters come 3 months apart."""
    start = period_start(go_live, frequency)
    return (period.year - start.year) * 12 + period.month - start.month


@dataclass(frozen=True)
class AlignedSeries:
    """One locality's values by months since its go-live."""

    label: str
    values: Mapping[int, float]


@dataclass(frozen=True)
class Alignment:
    months: tuple[int, ...]  # the x axis: months since go-live
    series: tuple[AlignedSeries, ...]

    def values_of(self, series: AlignedSeries) -> list[float | None]:
        return [series.values.get(month) for month in self.months]


def align(
    localities: Iterable[tuple[str, date, Mapping[date, float]]],
    frequency: str = MONTHLY,
    window: tuple[int, int] = WINDOW,
) -> Alignment:
    """Line localities up on months since go-live: each (label, go-live, values by period)
    becomes values by month offset. The axis covers the months the data has, within `window`
    (the whole window when there is no data); monthly axes are every month, quarterly axes the
    offsets that carry a value."""
    low, high = window
    series = []
    for label, go_live, values in localities:
        offsets = {
            months_since_go_live(period, go_live, frequency): value
            for period, value in values.items()
        }
        series.append(
            AlignedSeries(label, {m: v for m, v in sorted(offsets.items()) if low <= m <= high})
        )
    present = sorted({month for one in series for month in one.values})
    if not present:
        months: Sequence[int] = range(low, high + 1)
    elif frequency == QUARTERLY:
        months = present
    else:
        months = range(present[0], present[-1] + 1)
    return Alignment(tuple(months), tuple(series))


def month_offset_label(month: int) -> str:
    """ "+3", "0", "−6": a month since go-live as the axis names it."""
    if month > 0:
        return f"+{month}"
    return "−" + str(-month) if month < 0 else "0"


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(text: str | None) -> float | None:
    """A number as people type one: "12.5", "-30", "−30%", "1,234". None when it is not one
    (or is blank)."""
    text = (text or "").strip().replace("−", "-").removesuffix("%").strip()
    if not text or not _NUMBER.match(text) or not any(c.isdigit() for c in text):
        return None
    return float(text.replace(",", ""))
