"""The workbook's Outcomes sheet: each locality's standing on each outcome indicator as of a
day, one row per locality and indicator: its baseline and target, the latest value of a period
started by then, the change against the baseline, how many months after go-live that value
fell, and the tag the outcomes pages give it (On track, Moving away, No data).

The figures and the tag come from the rules the outcomes overview uses (`domain.outcomes`
through `services.outcomes.pages`), so the sheet and the page cannot disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from programme.domain import outcomes
from programme.domain.export_tables import Column, Table
from programme.domain.outcomes import STATUS_LABELS
from programme.models import Indicator, IndicatorTarget, IndicatorValue, Locality, Programme
from programme.services.outcomes import pages
from programme.services.outcomes.catalogue import indicators_of

COLUMNS = (
    Column("Locality"),
    Column("Wave", "integer", width=7),
    Column("Go-live", "date"),
    Column("Indicator", "wrap", width=30),
    Column("Unit", width=12),
    Column("Lower is better", "yes_no", width=9),
    Column("Baseline", "number", width=10),
    Column("Baseline date", "date"),
    Column("Target", "number", width=10),
    Column("Target change", "percent", width=10),
    Column("Latest period", width=12),
    Column("Latest value", "number", width=10),
    Column("Change against baseline", "percent", width=12),
    Column("Months since go-live", "integer", width=10),
    Column("Status", width=12),
)
EMPTY = "No localities or outcome indicators yet"


def outcomes_sheet(programme: Programme, localities: Sequence[Locality], as_of: date) -> Table:
    """A row for each of `localities` (in the order given) and each of the programme's
    indicators (in the catalogue's order), with the newest value of a period started by
    `as_of`. Three queries however many localities or values."""
    indicators = indicators_of(programme)
    if not localities or not indicators:
        return Table(COLUMNS, [], EMPTY)
    targets = pages.targets_of(programme)
    latest = {
        (row.locality_id, row.indicator_id): row for row in pages.latest_values(programme, as_of)
    }
    rows = [
        _row(
            locality,
            indicator,
            targets.get((locality.id, indicator.id)),
            latest.get((locality.id, indicator.id)),
        )
        for locality in localities
        for indicator in indicators
    ]
    return Table(COLUMNS, rows, EMPTY)


def _row(
    locality: Locality,
    indicator: Indicator,
    target_row: IndicatorTarget | None,
    latest: IndicatorValue | None,
) -> list:
    target = pages.target_of_row(target_row)
    value = latest.value if latest is not None else None
    change = (
        outcomes.change_percent(target.baseline, value)
        if target is not None and value is not None
        else None
    )
    return [
        locality.name,
        locality.wave,
        locality.go_live,
        indicator.name,
        outcomes.unit_label(indicator.unit),
        indicator.lower_is_better,
        target.baseline if target else None,
        target.baseline_on if target else None,
        target.target_value if target else None,
        target.change_percent / 100 if target and target.change_percent is not None else None,
        outcomes.period_label(latest.period, indicator.frequency) if latest else None,
        value,
        change / 100 if change is not None else None,
        (
            outcomes.months_since_go_live(latest.period, locality.go_live, indicator.frequency)
            if latest
            else None
        ),
        STATUS_LABELS[outcomes.status(value, target, indicator.lower_is_better)],
    ]
