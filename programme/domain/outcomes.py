"""Outcome indicators' arithmetic: periods (a month or a quarter, held as its first day), change
against a locality's baseline, the target a % change means, whether a value is on track, and the
months since a locality went live, to line localities of different waves up side by side.

Plain Python: no Flask, no database. A quarter is the financial year's (April to June is Q1);
its first day is also a calendar quarter's, so a period's date does not depend on which is meant.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from programme.domain import formatting
from programme.domain.cells import CellValue, cell_text, month_number, parse_date
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


# How a period is written: a month (perhaps as a date in it) or a financial quarter.
MONTH, QUARTER = "month", "quarter"


@dataclass(frozen=True)
class Period:
    start: date
    kind: str  # MONTH or QUARTER
    from_date: bool = False  # a date in the month was given

    @property
    def label(self) -> str:
        return period_label(self.start, QUARTERLY if self.kind == QUARTER else MONTHLY)


_YEARS = r"(\S+(?:\s*[/\-–]\s*\S+)?)"
_Q = r"(?:q|qtr|quarter)\s*([1-4])"
_QUARTER = re.compile(rf"^(?:{_Q}\s*(?:fy\s*)?{_YEARS}|{_YEARS}\s*{_Q})$", re.IGNORECASE)
_NUMERIC_MONTH = re.compile(r"^(?:(\d{4})\s*[-/.]\s*(\d{1,2})|(\d{1,2})\s*[-/.]\s*(\d{4}))$")
_WORDY_MONTH = re.compile(r"^([a-z]+)\.?[\s\-/,']+(\d{4}|\d{2})$", re.IGNORECASE)
_WRITE_A = {
    None: "is not a period: write a month (May 2026, 2026-05, 05/2026 or a date in the month) "
    "or a quarter (Q1 2026/27).",
    MONTHLY: "is not a month: write it as May 2026, 2026-05, 05/2026 or a date in the month.",
    QUARTERLY: "is not a quarter: write it as Q1 2026/27, or a month or a date in the quarter.",
}


def read_period(value: CellValue, frequency: str | None = None) -> Period:
    """The one reading of a period, for the value form, web addresses and the indicator import:
    a month as "May 2026", "may-26", "Sept 2026", "2026-05", "05/2026", a date in the month (or
    a spreadsheet's date cell); a financial quarter as "Q1 2026/27", "2026/27 Q2", "Q4 FY26/27"
    or "Quarter 1 2026-27". "Q2 2026" is refused: a calendar or a financial quarter? ValueError
    says why not; `frequency`, when known, names what was wanted."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Period(value.replace(day=1), MONTH, from_date=True)
    text = cell_text(value).strip()
    if not text:
        raise ValueError("The period is blank.")
    if match := _QUARTER.match(text):
        quarter = int(match.group(1) or match.group(4))
        written = (match.group(2) or match.group(3)).strip()
        year = parse_year(written) if re.search(r"[/\-–]", written) else None
        if year is None:
            raise ValueError(
                f"“{text}” is not a quarter: write the financial year after it, as in "
                f"Q{quarter} 2026/27."
            )
        return Period(quarter_start(year, quarter), QUARTER)
    if (month := _month(text)) is not None:
        return Period(month, MONTH)
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"“{text[:40]}” {_WRITE_A.get(frequency, _WRITE_A[None])}")
    return Period(day.replace(day=1), MONTH, from_date=True)


def _month(text: str) -> date | None:
    year = month = None
    if match := _NUMERIC_MONTH.match(text):
        year, month = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
        year, month = int(year), int(month)
    elif match := _WORDY_MONTH.match(text):
        digits = match.group(2)
        month = month_number(match.group(1))
        year = 2000 + int(digits) if len(digits) == 2 else int(digits)
    if year is None or month is None or not 1 <= month <= 12 or not 1900 < year < 2200:
        return None
    return date(year, month, 1)


def fit_period(period: Period, frequency: str, name: str) -> date:
    """The first day of the period an indicator recorded `frequency` keeps the value under. A
    quarterly indicator takes a quarter, or a month or a date standing for the quarter it falls
    in (a return's "period ending 30/06/2026", a web address's "2026-04"); a monthly one takes no
    quarter. ValueError says why, naming the indicator."""
    if frequency == QUARTERLY:
        return period_start(period.start, QUARTERLY)
    if period.kind == QUARTER:
        raise ValueError(
            f"{name} is recorded monthly: {period.label} is not a month; give the month, as in "
            "May 2026."
        )
    return period.start


def parse_period(value: CellValue, frequency: str) -> date | None:
    """The first day of the period `value` is, for an indicator recorded `frequency`; None when
    it is not one (see `read_period` and `fit_period`)."""
    try:
        return fit_period(read_period(value, frequency), frequency, "")
    except ValueError:
        return None


def period_problem(period: date, frequency: str, today: date) -> str | None:
    """Why a value cannot be recorded for `period` yet, or None: a period still to start."""
    if period > today:
        return (
            f"{period_label(period, frequency)} is in the future: record a value once its "
            "period has started."
        )
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


def read_value(value: CellValue, unit: str, name: str) -> float:
    """The one reading of an indicator's value, for the value form and the import: 14.7,
    "14.7", "74%" (for a percentage), "1,234", "1 234". ValueError says why not. The unit's
    range (`indicator_units.value_problem`) is checked by the caller, who words it."""
    if isinstance(value, bool):
        raise ValueError(f"“{cell_text(value)}” is not a number.")
    if isinstance(value, int | float):
        found, written = float(value), cell_text(value)
    else:
        written = cell_text(value).strip()
        if not written:
            raise ValueError("The value is blank.")
        text = written.replace(" ", "")
        if text.endswith("%") and unit != "percent":
            raise ValueError(
                f"“{written}” is a percentage, but {name} is measured as {unit_label(unit)}."
            )
        number = parse_number(text)
        if number is None:
            raise ValueError(
                f"“{written[:40]}” is not a number: the value must be a number, like 12.5 or 1,234."
            )
        found = number
    if not math.isfinite(found):
        raise ValueError(f"“{written}” is not a number.")
    return found
