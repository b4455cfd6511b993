"""The values recorded for an indicator in a locality, one per month or quarter.

`record_value` is the one way a value is written, by the form and by the indicator import: it
parses and checks the period and the value, and adds the value or changes the one recorded."""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import select

from programme.clock import today as clock_today
from programme.domain.indicator_units import value_problem
from programme.domain.outcomes import (
    fit_period,
    parse_period,
    period_key,
    period_label,
    period_problem,
    read_period,
)
from programme.extensions import db
from programme.models import Indicator, IndicatorValue, Locality, User
from programme.services import audit
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.stale import refuse_if_stale
from programme.services.transaction import transactional


def checked_period(indicator: Indicator, period: date | str, today: date) -> date:
    """The period's first day, read as the indicator import reads it (`outcomes.read_period`);
    refused (naming the `period` field) when it is not the indicator's month or quarter, or has
    not started yet."""
    try:
        start = fit_period(
            read_period(period, indicator.frequency), indicator.frequency, indicator.name
        )
    except ValueError as refused:
        raise ServiceError(str(refused), "period") from None
    if problem := period_problem(start, indicator.frequency, today):
        raise ServiceError(problem, "period")
    return start


def checked_value(indicator: Indicator, value: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ServiceError("Enter the value as a number.", "value")
    problem = value_problem(indicator.unit, value)
    if problem:
        raise ServiceError(f"The value {problem}.", "value")
    return float(value)


def value_for(locality: Locality, indicator: Indicator, period: date) -> IndicatorValue | None:
    return db.session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.locality_id == locality.id,
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.period == period,
        )
    )


def get_value(locality: Locality, indicator: Indicator, period_text: str) -> IndicatorValue:
    """The value recorded for the period written as in a web address ("2026-05")."""
    period = parse_period(period_text, indicator.frequency)
    found = value_for(locality, indicator, period) if period is not None else None
    if found is None or period_key(found.period, indicator.frequency) != period_text:
        raise NotFound(f"{locality.name} has no {indicator.name} value for {period_text!r}.")
    return found


def _summary(indicator: Indicator, locality: Locality, period: date) -> str:
    return f"{indicator.name}, {locality.name}, {period_label(period, indicator.frequency)}"


@transactional
def record_value(
    locality: Locality,
    indicator: Indicator,
    period: date | str,
    value: float | None,
    actor: User | None,
    *,
    replace: bool = True,
    import_id: int | None = None,
    today: date | None = None,
) -> IndicatorValue:
    """Record the indicator's value in the locality for a period (a date in it, or text such as
    "2026-05" or "Q1 2026/27"): added, or the one recorded changed (`replace=False` refuses to
    change one, naming the period). Refused, naming the field, for a period that has not
    started or a value outside the unit's range (a % over 100, a negative count)."""
    if locality.programme_id != indicator.programme_id:
        raise ServiceError(f"{indicator.name} is not an indicator of {locality.name}'s programme.")
    start = checked_period(indicator, period, today or clock_today())
    value = checked_value(indicator, value)
    row = value_for(locality, indicator, start)
    if row is not None and not replace:
        raise Conflict(
            f"{locality.name} already has a value for {period_label(start, indicator.frequency)}:"
            " change that one instead.",
            "period",
        )
    if row is None:
        row = IndicatorValue(
            locality_id=locality.id,
            indicator_id=indicator.id,
            period=start,
            value=value,
            import_id=import_id,
            recorded_by_id=actor.id if actor else None,
        )
        db.session.add(row)
        db.session.flush()
        summary = f"{_summary(indicator, locality, start)} recorded"
        _audit(actor, "create", row, indicator, locality, summary, after={"value": value})
        return row
    if row.value != value:
        _set_value(row, indicator, locality, value, actor, import_id=import_id)
    return row


def _set_value(row, indicator, locality, value: float, actor: User | None, **also) -> None:
    """Change a recorded value (and the columns in `also`), audited with what it was."""
    before = row.value
    row.value = value
    for column, new in also.items():
        setattr(row, column, new)
    row.recorded_by_id = actor.id if actor else None
    db.session.flush()
    summary = f"{_summary(indicator, locality, row.period)} changed"
    _audit(
        actor,
        "update",
        row,
        indicator,
        locality,
        summary,
        before={"value": before},
        after={"value": value},
    )


def _changed_since(row: IndicatorValue, indicator: Indicator, locality: Locality) -> str:
    return (
        f"Someone else changed {_summary(indicator, locality, row.period)} after you opened it. "
        "Nothing was saved: review the current value and make your change again."
    )


@transactional
def change_value(
    row: IndicatorValue, value: float | None, actor: User | None, expected_version: int | None
) -> bool:
    """Change a recorded value; False when it is the value already recorded."""
    indicator, locality = row.indicator, row.locality
    refuse_if_stale(row, expected_version, _changed_since(row, indicator, locality))
    value = checked_value(indicator, value)
    if value == row.value:
        return False
    _set_value(row, indicator, locality, value, actor)
    return True


@transactional
def delete_value(row: IndicatorValue, actor: User | None, expected_version: int | None) -> None:
    indicator, locality = row.indicator, row.locality
    refuse_if_stale(row, expected_version, _changed_since(row, indicator, locality))
    summary = f"{_summary(indicator, locality, row.period)} removed"
    _audit(actor, "delete", row, indicator, locality, summary, before={"value": row.value})
    db.session.delete(row)
    db.session.flush()


def _audit(actor, action, row, indicator, locality, summary, **change) -> None:
    audit.record(
        actor,
        action,
        "indicator_value",
        row.id,
        summary,
        programme_id=indicator.programme_id,
        locality_id=locality.id,
        **change,
    )
