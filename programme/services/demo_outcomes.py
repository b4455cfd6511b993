"""The demo programme's outcome data (seed/demo-outcomes.toml): each locality's baseline and
target for every indicator, and the values recorded month by month or quarter by quarter,
written through the outcomes services as a programme manager's returns would be."""

from __future__ import annotations

import random
import tomllib
from datetime import date, timedelta

from sqlalchemy import insert

from programme.clock import utc_now
from programme.domain.outcomes import QUARTERLY, months_since_go_live, period_start
from programme.extensions import db
from programme.models import Indicator, IndicatorValue, Locality, Programme
from programme.seed_files import DEMO_OUTCOMES_FILE
from programme.services import audit
from programme.services.outcomes import targets, values
from programme.services.outcomes.catalogue import indicators_of
from programme.services.outcomes.pages import localities_of

# How far after go-live the file's `after_18_months` share of the target's change is reached.
SETTLED_MONTHS = 18


def read_outcomes() -> dict:
    return tomllib.loads(DEMO_OUTCOMES_FILE.read_text(encoding="utf-8"))


def load_outcomes(programme: Programme, today: date) -> None:
    """Baselines, targets and values for the demo's localities: `history_months` of values for
    the first wave, the last `later_wave_months` for the others. Periods are those ended by
    `today`."""
    config = read_outcomes()
    indicators = {indicator.key: indicator for indicator in indicators_of(programme)}
    localities = [locality for locality in localities_of(programme) if locality.wave is not None]
    first_wave = min((locality.wave for locality in localities), default=None)
    drifting = {(m["locality"], m["indicator"]): m["drift_percent"] for m in config["moving_away"]}
    rows: list[dict] = []
    for locality in localities:
        months = config["history_months" if locality.wave == first_wave else "later_wave_months"]
        written: dict[str, tuple[float, list[tuple[date, float]]]] = {}
        for spec in config["indicators"]:
            indicator = indicators[spec["key"]]
            periods = ended_periods(indicator.frequency, today, months)
            if "complement_of" in spec:
                base, series = written[spec["complement_of"]]
                base = round(100 - base, 1)
                series = [(period, round(100 - value, 1)) for period, value in series]
            else:
                base = float(spec["baselines"][locality.name])
                drift = drifting.get((locality.name, indicator.key))
                last = len(periods) - 1
                series = [
                    (
                        period,
                        _value(config, spec, indicator, locality, base, drift, period, i, last),
                    )
                    for i, period in enumerate(periods)
                ]
            written[indicator.key] = (base, series)
            if not series:
                continue
            targets.set_target(
                locality,
                indicator,
                None,
                baseline_value=base,
                baseline_on=series[0][0] - timedelta(days=1),
                target_value=spec.get("target_value"),
                target_change_percent=spec.get("target_change_percent"),
                today=today,
            )
            rows.extend(_row(locality, indicator, period, value, today) for period, value in series)
        if rows:
            audit.record(
                None,
                "seed_demo",
                "locality",
                locality.id,
                f"Loaded the demo's outcome values for {locality.name}",
                programme_id=programme.id,
                locality_id=locality.id,
            )
    if rows:
        db.session.execute(insert(IndicatorValue), rows)


def _row(locality: Locality, indicator: Indicator, period: date, value: float, today: date) -> dict:
    """An indicator_value row, checked as `values.record_value` checks one: written in one
    insert with the others, since recording ~300 values one by one (a query, a flush and an
    audit event each) would add seconds to every demo load, tests included."""
    return {
        "locality_id": locality.id,
        "indicator_id": indicator.id,
        "period": values.checked_period(indicator, period, today),
        "value": values.checked_value(indicator, value),
        "created_at": utc_now(),
        "version": 1,
    }


def ended_periods(frequency: str, today: date, months: int) -> list[date]:
    """The first days of the last months (or quarters) ended by `today`, `months` months of
    them, oldest first (the period `today` is in counts when `today` is its last day)."""
    step = 3 if frequency == QUARTERLY else 1
    current = period_start(today, frequency)
    if _add_months(current, step) - timedelta(days=1) <= today:
        current = _add_months(current, step)  # today closes its period: count it
    return [_add_months(current, -k * step) for k in range(months // step, 0, -1)]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _value(
    config: dict,
    spec: dict,
    indicator: Indicator,
    locality: Locality,
    base: float,
    drift: float | None,
    period: date,
    index: int,
    last: int,
) -> float:
    """The figure for the `index`-th period of the history: the trend (towards the target from
    some months before go-live, or the named drift away from it) plus a small wiggle seeded by
    locality, indicator and period; the latest period's wiggle is on the improving side."""
    if drift is not None:
        trend = base * (1 + drift / 100 * (index + 1) / (last + 1))
    else:
        progress = _progress(config, spec, locality, indicator, period)
        trend = base * (1 + _aimed_change(spec, base) * progress)
    size = spec.get("wiggle", config["wiggle"]) * base
    wiggle = random.Random(f"{locality.name}|{indicator.key}|{period}").uniform(-size, size)
    if index == last:
        wiggle = abs(wiggle) * (-1 if indicator.lower_is_better else 1)
    value = max(0.0, trend + wiggle)
    if indicator.unit == "percent":
        value = min(100.0, value)
    return float(round(value)) if indicator.unit == "count" else round(value, 1)


def _aimed_change(spec: dict, base: float) -> float:
    """The target's change from the baseline as a fraction (-0.3 for a 30% fall)."""
    if "target_change_percent" in spec:
        return spec["target_change_percent"] / 100
    return (spec["target_value"] - base) / base


def _progress(
    config: dict, spec: dict, locality: Locality, indicator: Indicator, period: date
) -> float:
    """How far along the way to its target the locality is in `period`, from its months since
    go-live: none until `preparation_months` before, `by_go_live` at go-live, `after_18_months`
    eighteen months after."""
    offset = months_since_go_live(period, locality.go_live, indicator.frequency)
    lead, at_go_live = config["preparation_months"], spec["by_go_live"]
    if offset < -lead:
        return 0.0
    if offset < 0:
        return at_go_live * (offset + lead) / lead
    later = min(offset, SETTLED_MONTHS) / SETTLED_MONTHS
    return at_go_live + (spec["after_18_months"] - at_go_live) * later
