"""Launch timelines counted back from a go-live date.

Everything here is plain Python (no Flask, no SQLAlchemy) so it can be used from views,
services, CLI commands and tests alike.

* ``Offset`` / ``due_date``: "8 months before go-live" -> a concrete working day.
* ``TimelineTemplate`` / ``parse_template`` / ``load_template``: a timeline such as
  Lancashire's 8-month plan, stored as TOML under ``seed/timelines``.
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

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, get_args

import holidays
from dateutil.relativedelta import relativedelta

from programme.domain.provenance import SOURCE_FIELDS, Provenance, SeedError, read_provenance

__all__ = [
    "AMBER_WINDOW_DAYS",
    "OFFSET_UNITS",
    "STATUSES",
    "MilestoneStatus",
    "Offset",
    "OffsetUnit",
    "RagStatus",
    "TemplateError",
    "TemplateItem",
    "TimelineColumn",
    "TimelineTemplate",
    "band_anchor",
    "band_bounds",
    "band_label",
    "band_of",
    "due_date",
    "is_overdue",
    "is_working_day",
    "load_template",
    "parse_template",
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


def due_date(go_live: date, offset: Offset) -> date:
    """Return the working day a milestone ``offset`` before ``go_live`` is due.

    Months are calendar months (31 August minus 6 months is 28 or 29 February); the
    result is rolled back to the nearest earlier working day if it is not one.
    """
    return previous_working_day(offset.before(go_live))


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateItem:
    """One milestone in a timeline template."""

    workstream: str
    title: str
    offset: Offset
    description: str = ""
    gate_critical: bool = False
    provenance: Provenance | None = None  # where the milestone and its offset come from


@dataclass(frozen=True)
class TimelineTemplate:
    """A named, reusable launch timeline (e.g. Lancashire's 8-month plan)."""

    key: str
    name: str
    description: str
    items: tuple[TemplateItem, ...]

    def workstreams(self) -> list[str]:
        """Distinct workstream names, in the order they first appear in ``items``."""
        return list(dict.fromkeys(item.workstream for item in self.items))


class TemplateError(SeedError):
    """A timeline template is malformed; the message names the item and field at fault."""


_TOP_LEVEL_FIELDS = {"key", "name", "description", "items"}
_ITEM_FIELDS = {
    "workstream",
    "title",
    "description",
    "offset_amount",
    "offset_unit",
    "gate_critical",
    *SOURCE_FIELDS,
}


def _required_text(table: dict[str, Any], field: str, where: str) -> str:
    value = table.get(field)
    if value is None:
        raise TemplateError(f"{where}: '{field}' is missing")
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: '{field}' must be non-empty text")
    return value.strip()


def _optional_text(table: dict[str, Any], field: str, where: str) -> str:
    value = table.get(field, "")
    if not isinstance(value, str):
        raise TemplateError(f"{where}: '{field}' must be text")
    return value.strip()


def _reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise TemplateError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}")


def _parse_offset(table: dict[str, Any], where: str) -> Offset:
    amount = table.get("offset_amount")
    if amount is None:
        raise TemplateError(f"{where}: 'offset_amount' is missing")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise TemplateError(f"{where}: 'offset_amount' must be a whole number of 0 or more")
    unit = table.get("offset_unit")
    if unit is None:
        raise TemplateError(f"{where}: 'offset_unit' is missing")
    if unit not in OFFSET_UNITS:
        raise TemplateError(f"{where}: 'offset_unit' must be one of {', '.join(OFFSET_UNITS)}")
    return Offset(amount, unit)


def _parse_item(table: Any, number: int) -> TemplateItem:
    where = f"item {number}"
    if not isinstance(table, dict):
        raise TemplateError(f"{where}: must be a table of fields")
    _reject_unknown(table, _ITEM_FIELDS, where)
    title = _required_text(table, "title", where)
    where = f"item {number} ({title!r})"
    gate_critical = table.get("gate_critical", False)
    if not isinstance(gate_critical, bool):
        raise TemplateError(f"{where}: 'gate_critical' must be true or false")
    return TemplateItem(
        workstream=_required_text(table, "workstream", where),
        title=title,
        offset=_parse_offset(table, where),
        description=_optional_text(table, "description", where),
        gate_critical=gate_critical,
        provenance=_item_provenance(table, where),
    )


def _item_provenance(table: dict[str, Any], where: str) -> Provenance:
    try:
        return read_provenance(table, where)
    except SeedError as exc:
        raise TemplateError(str(exc)) from None


def parse_template(text: str) -> TimelineTemplate:
    """Parse and validate a TOML timeline template.

    Raises ``TemplateError`` naming the item number (1-based) and field when anything is
    missing, mistyped, unknown, or when two items share a workstream and title.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"not valid TOML: {exc}") from exc
    _reject_unknown(data, _TOP_LEVEL_FIELDS, "template")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise TemplateError("template: needs at least one [[items]] entry")
    items = tuple(_parse_item(raw, number) for number, raw in enumerate(raw_items, start=1))
    seen: dict[tuple[str, str], int] = {}
    for number, item in enumerate(items, start=1):
        first = seen.setdefault((item.workstream, item.title), number)
        if first != number:
            raise TemplateError(f"item {number} ({item.title!r}): duplicates item {first}")
    return TimelineTemplate(
        key=_required_text(data, "key", "template"),
        name=_required_text(data, "name", "template"),
        description=_optional_text(data, "description", "template"),
        items=items,
    )


def load_template(path: Path) -> TimelineTemplate:
    """Read and parse the TOML template at ``path``; errors are prefixed with the path."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return parse_template(text)
    except TemplateError as exc:
        raise TemplateError(f"{path}: {exc}") from exc


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
