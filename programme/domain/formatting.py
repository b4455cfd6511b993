"""The one place that turns dates, times, shares, counts and people into the words users read.

Pages (through the Jinja filters in `programme/views/filters.py`), flash messages, service
messages, audit summaries and the CLI's human output all call these functions, so a date or a
share reads the same wherever it appears. ISO dates in CSV, JSON and `--json` output are data,
not display, and do not come here.

Plain Python: a moment is shown in the programme's time zone, which the caller passes in (the
filters pass `programme.clock.zone()`), so this module needs no Flask.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, tzinfo

from programme.domain.provenance import ASSUMPTION
from programme.domain.recruitment import Share

NOT_SET = "Not set"
DASH = "—"
KILOBYTE = 1024
MEGABYTE = 1024 * 1024


# --- Dates and times -----------------------------------------------------------------------------


def local(moment: datetime, zone: tzinfo | None) -> datetime:
    """The moment in `zone`. Naive moments are UTC (SQLite hands them back without a zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone) if zone is not None else moment


def _day(value: date | datetime, zone: tzinfo | None) -> date:
    # A recorded moment falls on the day it was where users live, not the day it was in UTC.
    return local(value, zone).date() if isinstance(value, datetime) else value


def short_date(
    value: date | datetime | None, zone: tzinfo | None = None, missing: str = DASH
) -> str:
    """The house style for a date, everywhere a person reads one: "4 Jan 2021"."""
    if value is None:
        return missing
    day = _day(value, zone)
    return f"{day.day} {day:%b %Y}"


def long_date(
    value: date | datetime | None, zone: tzinfo | None = None, missing: str = NOT_SET
) -> str:
    """The same "4 Jan 2021" as `short_date` (one date format on every page and in every
    message), saying "Not set" where there is no date rather than a dash: for a date in a
    sentence or beside its label, where a dash would read as nothing at all."""
    return short_date(value, zone, missing)


def day_and_date(value: date) -> str:
    """The house date with its weekday, for a day someone must turn up: "Tue 12 Jan 2027"."""
    return f"{value:%a} {short_date(value)}"


def month_and_year(value: date) -> str:
    """A month on its own: the end of a business case's funding ("March 2027"), an indicator's
    monthly value ("May 2026")."""
    return f"{value:%B %Y}"


def numeric_date(value: date | datetime) -> str:
    """A date as spreadsheets write it, "04/01/2021": only for reading a spreadsheet's cells as
    the person typed them (matching and quoting the cell itself), never for a date we show."""
    return f"{value:%d/%m/%Y}"


def clock_time(value: time | datetime | None, missing: str = DASH) -> str:
    """A time of day on the 24-hour clock: "09:30"."""
    return f"{value:%H:%M}" if value is not None else missing


def date_time(value: datetime | None, zone: tzinfo | None, missing: str = "") -> str:
    """A recorded moment in the programme's time zone: "4 Jan 2021, 14:05"."""
    if value is None:
        return missing
    moment = local(value, zone)
    return f"{short_date(moment.date())}, {clock_time(moment)}"


def relative_days(days: int) -> str:
    """How far a day is from today, given the days between: "in 12 days", "today", "3 days ago"."""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {count(days, 'day')}"
    return f"{count(-days, 'day')} ago"


# --- Numbers, shares and counts ------------------------------------------------------------------


def percent(value: Share | int | float | None, missing: str = DASH) -> str:
    """A percentage: "70%". One rule wherever a person reads one (pages, messages, e-mails,
    the CLI's words): a whole number, rounded down, so 70% is never shown for a share that falls
    short of it (69 of 99 is "69%", 5 of 6 is "83%"). Exports keep the exact fraction.

    A number already worked out (a threshold, a stored reading) is rounded down the same way.
    A share of nothing, or no number, is `missing`.
    """
    if value is None:
        return missing
    if isinstance(value, Share):
        if value.denominator == 0:
            return missing
        return f"{100 * value.numerator // value.denominator}%"
    return f"{math.floor(value)}%"


def count_of(share: Share) -> str:
    """The count behind a share: "7 of 10"."""
    return f"{number(share.numerator)} of {number(share.denominator)}"


def share_text(share: Share, nothing: str = "Nothing to count") -> str:
    """A share with the count behind it: "70% (7 of 10)", or `nothing` when nothing counts."""
    if share.denominator == 0:
        return nothing
    return f"{percent(share)} ({count_of(share)})"


def number(value: int | float, places: int = 0) -> str:
    """A number with thousands separators: "1,234"; a fraction to `places` places, without
    trailing zeros ("2.5", "10")."""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def listed(items: Iterable[str]) -> str:
    """The items in a sentence: "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count(amount: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun: "1 post", "3 posts", "2 people" (pass the plural when it is not
    the noun with an s)."""
    word = noun if amount == 1 else plural or f"{noun}s"
    return f"{number(amount)} {word}"


def file_size(size: int) -> str:
    """A file's size or a limit on it: "10 MB", "1.5 MB", "35 KB", "900 bytes"."""
    if size >= MEGABYTE:
        return f"{number(size / MEGABYTE, places=1)} MB"
    if size >= KILOBYTE:
        return f"{number(round(size / KILOBYTE))} KB"
    return count(size, "byte")


def money(pence: int | None) -> str:
    """£6,000 for whole pounds, £428.57 otherwise; a dash for nothing to show. A refund or an
    underspend is negative: −£250 (a minus sign, not a hyphen)."""
    if pence is None:
        return DASH
    if pence < 0:
        return "−" + money(-pence)
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}.{rest:02d}" if rest else f"£{pounds:,}"


def fte(value: float) -> str:
    """Full-time equivalence as HR writes it: "1", "0.5"."""
    return f"{value:g}"


# --- People --------------------------------------------------------------------------------------


def person(name: str, *details: str | None) -> str:
    """A person as a list or a message names them: "Ann Lee", or with what tells them apart,
    "Ann Lee (Board member)", "Ann Lee (ann@example.org)". Empty details are left out."""
    shown = ", ".join(detail for detail in details if detail)
    return f"{name} ({shown})" if shown else name


# --- Where defaults come from --------------------------------------------------------------------

NO_SOURCE = "no source recorded"


def provenance(source: str | None, reason: str | None = None) -> str:
    """Where a value comes from, to read beside it: "Lancashire scrutiny update, March 2021",
    "assumption: no source gives the workshops' cost; change it to your own", "set by
    Lancashire"; rows from before sources were kept have none."""
    if not source:
        return NO_SOURCE
    if source == ASSUMPTION and reason:
        return f"assumption: {reason[:1].lower()}{reason[1:]}"
    if source == ASSUMPTION:
        return "assumption, change to your own"
    return source
