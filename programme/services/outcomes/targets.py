"""A locality's baseline for an indicator (a value on a date) and its target: a value, or a %
change from the baseline (-30 for a 30% fall)."""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import select

from programme.domain.indicator_units import value_problem
from programme.extensions import db
from programme.models import Indicator, IndicatorTarget, Locality, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.stale import refuse_if_stale
from programme.services.transaction import transactional


def target_of(locality: Locality, indicator: Indicator) -> IndicatorTarget | None:
    return db.session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.locality_id == locality.id,
            IndicatorTarget.indicator_id == indicator.id,
        )
    )


def target_values(target: IndicatorTarget) -> dict:
    """What the audit trail keeps of a baseline and target."""
    return {
        "baseline_value": target.baseline_value,
        "baseline_on": target.baseline_on,
        "target_value": target.target_value,
        "target_change_percent": target.target_change_percent,
    }


def _checked_value(indicator: Indicator, value: float | None, field: str, what: str) -> float:
    if value is None or not math.isfinite(value):
        raise ServiceError(f"Enter the {what} as a number.", field)
    problem = value_problem(indicator.unit, value)
    if problem:
        raise ServiceError(f"The {what} {problem}.", field)
    return float(value)


def _checked_target(
    indicator: Indicator, target_value: float | None, change_percent: float | None
) -> tuple[float | None, float | None]:
    if target_value is not None and change_percent is not None:
        raise ServiceError(
            "Give the target as a value or as a % change from the baseline, not both.",
            "target_value",
        )
    if target_value is not None:
        return _checked_value(indicator, target_value, "target_value", "target"), None
    if change_percent is not None:
        if not math.isfinite(change_percent) or change_percent < -100 or change_percent > 1000:
            raise ServiceError(
                "The % change must be between -100 and 1000 (-30 for a 30% fall).",
                "target_change_percent",
            )
        return None, float(change_percent)
    return None, None


@transactional
def set_target(
    locality: Locality,
    indicator: Indicator,
    actor: User | None,
    *,
    baseline_value: float | None,
    baseline_on: date | None,
    target_value: float | None = None,
    target_change_percent: float | None = None,
    today: date,
    expected_version: int | None = None,
) -> IndicatorTarget:
    """Set (or change) the locality's baseline and target for the indicator. The baseline
    needs a value in the indicator's unit and a date not in the future; the target is a value,
    a % change, or neither (not yet agreed)."""
    baseline_value = _checked_value(indicator, baseline_value, "baseline_value", "baseline")
    if baseline_on is None:
        raise ServiceError("Enter the date the baseline was measured.", "baseline_on")
    if baseline_on > today:
        raise ServiceError("The baseline's date cannot be in the future.", "baseline_on")
    value, change = _checked_target(indicator, target_value, target_change_percent)
    target = target_of(locality, indicator)
    refuse_if_stale(
        target,
        expected_version if target is not None else None,
        f"Someone else changed {locality.name}'s baseline and target for {indicator.name} after "
        "you opened them. Nothing was saved: review the current values and make your change "
        "again.",
    )
    before = target_values(target) if target is not None else None
    if target is None:
        target = IndicatorTarget(locality_id=locality.id, indicator_id=indicator.id)
        db.session.add(target)
    target.baseline_value = baseline_value
    target.baseline_on = baseline_on
    target.target_value = value
    target.target_change_percent = change
    db.session.flush()
    after = target_values(target)
    if before is None or before != after:
        before_changed, after_changed = (
            audit.changed_fields(before, after) if before else (None, after)
        )
        audit.record(
            actor,
            "set_target",
            "indicator_target",
            target.id,
            f"{indicator.name}: baseline and target set for {locality.name}",
            programme_id=indicator.programme_id,
            locality_id=locality.id,
            before=before_changed,
            after=after_changed,
        )
    return target
