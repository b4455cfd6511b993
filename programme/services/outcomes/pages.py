"""What the outcomes pages show, in a fixed number of queries however many localities there
are: the overview (every indicator, each locality's latest value against its baseline and
target) and one indicator's trends, with the localities lined up on months since go-live."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from programme.domain import outcomes
from programme.domain.charts import LineChart, Series, line_chart
from programme.domain.formatting import count, listed, short_date
from programme.domain.outcomes import STATUS_LABELS, Target
from programme.extensions import db
from programme.models import Indicator, IndicatorTarget, IndicatorValue, Locality, Programme
from programme.services.outcomes.catalogue import indicators_of

_STATUS_TAGS = {
    outcomes.ON_TRACK: "app-tag--green",
    outcomes.MOVING_AWAY: "app-tag--red",
    outcomes.NO_DATA: "app-tag--grey",
}


@dataclass(frozen=True)
class Standing:
    """One locality's figures for one indicator, as the pages show them."""

    locality: Locality
    latest: str
    latest_period: str
    baseline: str
    baseline_on: str
    target: str
    change: str  # the latest value's change from the baseline
    status: str
    status_label: str
    status_tag: str
    target_row: IndicatorTarget | None


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    unit_label: str
    standings: tuple[Standing, ...]


def localities_of(programme: Programme) -> list[Locality]:
    """The programme's localities, by wave and go-live date."""
    return list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
        )
    )


def target_of_row(row: IndicatorTarget | None) -> Target | None:
    """A baseline and target as the domain's rules take them."""
    if row is None:
        return None
    return Target(row.baseline_value, row.baseline_on, row.target_value, row.target_change_percent)


def standing(
    locality: Locality,
    indicator: Indicator,
    target_row: IndicatorTarget | None,
    latest: IndicatorValue | None,
) -> Standing:
    target = target_of_row(target_row)
    unit = indicator.unit
    value = latest.value if latest is not None else None
    state = outcomes.status(value, target, indicator.lower_is_better)
    aim = target.target_value if target else None
    aim_text = outcomes.value_text(aim, unit)
    if target is not None and target.change_percent is not None:
        aim_text += f" ({outcomes.change_text(target.change_percent)})"
    change = (
        outcomes.change_percent(target.baseline, value)
        if target is not None and value is not None
        else None
    )
    return Standing(
        locality=locality,
        latest=outcomes.value_text(value, unit),
        latest_period=outcomes.period_label(latest.period, indicator.frequency) if latest else "",
        baseline=outcomes.value_text(target.baseline if target else None, unit),
        baseline_on=short_date(target.baseline_on if target else None),
        target=aim_text if target is not None and aim is not None else "Not set",
        change=outcomes.change_text(change),
        status=state,
        status_label=STATUS_LABELS[state],
        status_tag=_STATUS_TAGS[state],
        target_row=target_row,
    )


def overview(programme: Programme) -> list[IndicatorRow]:
    """Every indicator with each locality's latest value, baseline, target and standing: four
    queries."""
    localities = localities_of(programme)
    indicators = indicators_of(programme)
    targets = targets_of(programme)
    latest = {(row.locality_id, row.indicator_id): row for row in latest_values(programme)}
    return [
        IndicatorRow(
            indicator,
            outcomes.unit_label(indicator.unit),
            tuple(
                standing(
                    locality,
                    indicator,
                    targets.get((locality.id, indicator.id)),
                    latest.get((locality.id, indicator.id)),
                )
                for locality in localities
            ),
        )
        for indicator in indicators
    ]


def targets_of(programme: Programme) -> dict[tuple[int, int], IndicatorTarget]:
    """Every baseline and target of the programme by (locality id, indicator id): one query."""
    return {
        (row.locality_id, row.indicator_id): row
        for row in db.session.scalars(
            select(IndicatorTarget)
            .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
            .where(Indicator.programme_id == programme.id)
        )
    }


def latest_values(programme: Programme, as_of: date | None = None) -> list[IndicatorValue]:
    """Each locality's newest value of each indicator (of a period started by `as_of`, when
    given): one query."""
    started = () if as_of is None else (IndicatorValue.period <= as_of,)
    newest = (
        select(
            IndicatorValue.locality_id,
            IndicatorValue.indicator_id,
            func.max(IndicatorValue.period).label("period"),
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.programme_id == programme.id, *started)
        .group_by(IndicatorValue.locality_id, IndicatorValue.indicator_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(IndicatorValue).join(
                newest,
                (newest.c.locality_id == IndicatorValue.locality_id)
                & (newest.c.indicator_id == IndicatorValue.indicator_id)
                & (newest.c.period == IndicatorValue.period),
            )
        )
    )


# --- One indicator -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    period: date
    key: str  # the period as the web address writes it
    label: str
    value: str
    change: str  # from the baseline
    row: IndicatorValue


@dataclass(frozen=True)
class LocalityTrend:
    standing: Standing
    readings: tuple[Reading, ...]
    chart: LineChart | None
    summary: str


@dataclass(frozen=True)
class ComparisonRow:
    month: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    unit_label: str
    trends: tuple[LocalityTrend, ...]
    comparison: LineChart | None
    comparison_summary: str
    comparison_labels: tuple[str, ...]
    comparison_rows: tuple[ComparisonRow, ...]


def indicator_page(programme: Programme, indicator: Indicator) -> IndicatorPage:
    """Each locality's values against its baseline and target, and all of them lined up on
    months since go-live: three queries."""
    localities = localities_of(programme)
    targets = {
        row.locality_id: row
        for row in db.session.scalars(
            select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
        )
    }
    by_locality: dict[int, list[IndicatorValue]] = defaultdict(list)
    for row in db.session.scalars(
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id == indicator.id)
        .order_by(IndicatorValue.period)
    ):
        by_locality[row.locality_id].append(row)
    trends = tuple(
        _trend(locality, indicator, targets.get(locality.id), by_locality[locality.id])
        for locality in localities
    )
    alignment = outcomes.align(
        (
            (locality.name, locality.go_live, {v.period: v.value for v in by_locality[locality.id]})
            for locality in localities
        ),
        indicator.frequency,
    )
    return IndicatorPage(
        indicator,
        outcomes.unit_label(indicator.unit),
        trends,
        *_comparison(indicator, alignment, any(by_locality.values())),
    )


def _trend(
    locality: Locality,
    indicator: Indicator,
    target_row: IndicatorTarget | None,
    rows: list[IndicatorValue],
) -> LocalityTrend:
    frequency, unit = indicator.frequency, indicator.unit
    target = target_of_row(target_row)
    readings = tuple(
        Reading(
            row.period,
            outcomes.period_key(row.period, frequency),
            outcomes.period_label(row.period, frequency),
            outcomes.value_text(row.value, unit),
            outcomes.change_text(
                outcomes.change_percent(target.baseline, row.value) if target else None
            ),
            row,
        )
        for row in rows
    )
    here = standing(locality, indicator, target_row, rows[-1] if rows else None)
    if not rows:
        return LocalityTrend(here, readings, None, "")
    series = [Series(locality.name, [row.value for row in rows])]
    if target is not None:
        series.append(Series("Baseline", [target.baseline] * len(rows)))
    aim = target.target_value if target else None
    chart = line_chart(
        [reading.label for reading in readings],
        series,
        value_label=lambda value: outcomes.value_text(value, unit if unit != "per_10000" else ""),
        reference=aim,
        reference_label=f"Target {outcomes.value_text(aim, unit)}" if aim is not None else "",
    )
    return LocalityTrend(here, readings, chart, _trend_summary(locality, indicator, here, readings))


def _trend_summary(
    locality: Locality, indicator: Indicator, here: Standing, readings: tuple[Reading, ...]
) -> str:
    first, last = readings[0], readings[-1]
    words = (
        f"{indicator.name} in {locality.name}: {count(len(readings), 'value')} from "
        f"{first.label} ({first.value}) to {last.label} ({last.value})."
    )
    if here.target_row is None:
        return words + " No baseline or target set."
    return (
        words + f" Baseline {here.baseline} on {here.baseline_on}; target {here.target}; "
        f"latest change from baseline {here.change}: {here.status_label.lower()}."
    )


def _comparison(indicator: Indicator, alignment: outcomes.Alignment, has_data: bool):
    unit = indicator.unit
    labels = tuple(one.label for one in alignment.series)
    rows = tuple(
        ComparisonRow(
            outcomes.month_offset_label(month),
            tuple(outcomes.value_text(one.values.get(month), unit) for one in alignment.series),
        )
        for month in alignment.months
        if any(month in one.values for one in alignment.series)
    )
    if not has_data or not rows:
        return None, "", labels, rows
    chart = line_chart(
        [outcomes.month_offset_label(month) for month in alignment.months],
        [Series(one.label, alignment.values_of(one)) for one in alignment.series],
        value_label=lambda value: outcomes.value_text(value, unit if unit != "per_10000" else ""),
    )
    shown = [one.label for one in alignment.series if one.values]
    summary = (
        f"{indicator.name} by months since go-live, from {rows[0].month} to {rows[-1].month}, "
        f"for {listed(shown)}. Month 0 is the month (or quarter) each locality went live."
    )
    return chart, summary, labels, rows
