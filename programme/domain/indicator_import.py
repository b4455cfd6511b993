"""Turning a quarterly outcome return into a plan: each row a locality's value of one indicator
for one month or quarter, to record, change, leave or reject.

Councils' returns word things their own way: an indicator may be named by its catalogue name,
its key or a common other name ("CLA rate", "CP plans"); a period as "May 2026", "2026-05",
"05/2026", a date in the month, or a financial quarter ("Q1 2026/27"); a value as "14.7",
"74%" or "1,234". The plan is made from plain values, so the preview, the apply and the CLI
see the same outcome for every row.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from programme.domain.formatting import listed, number
from programme.domain.imports import (
    ImportField,
    ImportPlan,
    RowError,
    RowPlan,
    columns_for,
    consume_rows,
    row_error,
)
from programme.domain.indicator_units import value_problem
from programme.domain.outcomes import (
    fit_period,
    period_label,
    period_problem,
    read_period,
    read_value,
)
from programme.domain.programme_names import LocalityRef, resolve
from programme.domain.spreadsheet import CellValue, SheetRow, Table, cell_text
from programme.domain.vocabulary import Vocabulary

FIELDS: dict[str, ImportField] = {
    "locality": ImportField(
        "Locality",
        (
            "Locality",
            "Area",
            "Office",
            "District",
            "Service area",
            "Hub",
            "Locality name",
            "Area name",
            "LA area",
            "Local authority area",
            "Team area",
        ),
        required=True,
    ),
    "indicator": ImportField(
        "Indicator",
        ("Indicator", "Measure", "Metric", "KPI", "Performance indicator", "Indicator name"),
        required=True,
    ),
    "period": ImportField(
        "Period",
        (
            "Period",
            "Month",
            "Quarter",
            "Reporting period",
            "Period ending",
            "Month ending",
            "Date",
            "As at",
        ),
        required=True,
    ),
    "value": ImportField(
        "Value",
        ("Value", "Figure", "Result", "Actual", "Outturn", "Rate", "Number", "Amount"),
        required=True,
    ),
}

# Other councils' names for the catalogue's indicators. Each group applies to the indicators
# whose key holds one of its stems, so the aliases follow the catalogue's keys
# (children-looked-after, child-protection-plans...) without repeating them here.
ALIASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("looked-after", "cla", "lac"),
        (
            "CLA",
            "CLA rate",
            "LAC",
            "LAC rate",
            "Looked after children",
            "Looked after children per 10k",
            "Looked after children per 10,000",
            "Children looked after",
            "CLA per 10k",
            "Children in care",
        ),
    ),
    (
        ("protection-plan", "cp-plan"),
        (
            "CP plans",
            "CP plan rate",
            "Children on CP plans",
            "Children on a child protection plan",
            "Children subject to a child protection plan",
            "Child protection plans",
            "CPP",
        ),
    ),
    (("in-need", "cin"), ("CIN", "CIN rate", "Children in need")),
    (
        ("re-referral", "rereferral"),
        ("Re-referral rate", "Re-referrals", "Rereferrals", "Re-referrals within 12 months"),
    ),
    (("care-proceeding",), ("Care proceedings", "Care applications", "Section 31 applications")),
    (
        ("call-out", "callout"),
        ("Repeat DA call-outs", "Repeat police call-outs", "Repeat domestic abuse call-outs"),
    ),
    (("vacanc",), ("Vacancies", "SW vacancies", "Social work vacancies", "Vacancy rate")),
    (("agency",), ("Agency share", "Agency staff", "Agency %", "Agency workers")),
    (("turnover",), ("Turnover", "Staff turnover", "SW turnover", "Turnover rate")),
    (("permanent",), ("Permanent share", "Permanent staff", "Permanent workforce")),
    (("caseload",), ("Average caseload", "Caseload", "Caseloads", "Avg caseload")),
)


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    key: str
    name: str
    unit: str
    frequency: str  # "monthly" or "quarterly"


@dataclass(frozen=True)
class ExistingValue:
    id: int
    locality_id: int
    indicator_id: int
    period: date
    value: float


def aliases_for(key: str) -> tuple[str, ...]:
    return tuple(
        name for stems, names in ALIASES if any(stem in key for stem in stems) for name in names
    )


def indicator_vocabulary(indicators: Iterable[IndicatorRef]) -> Vocabulary:
    """Indicators by name, key ("children-looked-after") and other councils' names. An alias
    two indicators share names neither: the row is refused as ambiguous."""
    vocabulary = Vocabulary()
    for indicator in indicators:
        vocabulary.add(
            indicator, indicator.name, (indicator.key, *aliases_for(indicator.key.lower()))
        )
    return vocabulary


# --- Periods and values: read as the value form reads them (domain/outcomes.py) -------------


def parse_value(value: CellValue, indicator: IndicatorRef) -> float:
    """A value as a return writes it (`outcomes.read_value`), refused outside the indicator's
    unit (a percentage over 100, a negative count) naming the indicator and what the file
    gives. ValueError says why."""
    found = read_value(value, indicator.unit, indicator.name)
    if problem := value_problem(indicator.unit, found):
        raise ValueError(f"{indicator.name} {problem}: the file gives {cell_text(value)}.")
    return found


def describe_value(value: float) -> str:
    return number(value, 2)


# --- The plan --------------------------------------------------------------------------------


@dataclass
class _Reading:
    plan: RowPlan
    slot: tuple[int, int, date] | None = None  # locality, indicator, period


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    localities,
    indicators: Iterable[IndicatorRef],
    existing: Iterable[ExistingValue],
    today: date,
) -> ImportPlan:
    """Read every row, then refuse repeats and compare with the values recorded.

    `localities` is the programme's locality Vocabulary (with the names remembered or mapped
    for it); the table's rows are consumed as they are read."""
    columns = columns_for(FIELDS, mapping, table.headers)
    catalogue = list(indicators)
    vocabulary = indicator_vocabulary(catalogue)
    readings = [
        _read_row(row, mapping, columns, localities, vocabulary, catalogue, today)
        for row in consume_rows(table)
    ]
    _reject_repeats(readings, columns)
    recorded = {(v.locality_id, v.indicator_id, v.period): v for v in existing}
    for reading in readings:
        if reading.plan.action == "pending":
            _compare(reading, recorded)
    return ImportPlan([reading.plan for reading in readings], _describe)


def _describe(name: str, value) -> str:
    if value is None or value == "":
        return "(blank)"
    if name == "value" and isinstance(value, int | float):
        return describe_value(value)
    return str(value)


def _read_row(
    sheet_row: SheetRow,
    mapping: Mapping[str, int],
    columns: Mapping[str, str],
    localities,
    vocabulary: Vocabulary,
    catalogue: list[IndicatorRef],
    today: date,
) -> _Reading:
    plan = RowPlan(sheet_row.number, "rejected")

    def cell(name: str) -> CellValue:
        index = mapping.get(name)
        return (
            sheet_row.cells[index] if index is not None and index < len(sheet_row.cells) else None
        )

    def reject(name: str, problem) -> None:
        plan.errors.append(
            row_error(sheet_row.number, columns.get(name, FIELDS[name].label), name, problem)
        )

    locality, problem = resolve(cell("locality"), localities, "locality")
    if problem is not None:
        reject("locality", problem)
    indicator = _read_indicator(cell("indicator"), vocabulary, catalogue, reject)
    start = value = None
    try:
        period = read_period(cell("period"))
        if indicator is not None:
            start = fit_period(period, indicator.frequency, indicator.name)
    except ValueError as error:
        reject("period", str(error))
    if start is not None and (problem := period_problem(start, indicator.frequency, today)):
        reject("period", problem)
        start = None
    if indicator is not None:
        try:
            value = parse_value(cell("value"), indicator)
        except ValueError as error:
            reject("value", str(error))
    parts = [
        locality.name if isinstance(locality, LocalityRef) else cell_text(cell("locality")),
        indicator.name if indicator else cell_text(cell("indicator")),
        period_label(start, indicator.frequency)
        if start and indicator
        else cell_text(cell("period")),
    ]
    plan.label = " · ".join(part for part in parts if part)
    reading = _Reading(plan)
    if not plan.errors and locality is not None and indicator is not None and start is not None:
        plan.action = "pending"
        plan.values = {
            "locality_id": locality.id,
            "indicator_id": indicator.id,
            "period": start,
            "value": value,
        }
        reading.slot = (locality.id, indicator.id, start)
    return reading


def _read_indicator(
    value: CellValue, vocabulary: Vocabulary, catalogue: list[IndicatorRef], reject
) -> IndicatorRef | None:
    text = cell_text(value)
    if not text:
        reject("indicator", "The indicator is blank.")
        return None
    found = vocabulary.find(text)
    if found is not None:
        return found
    if ambiguity := vocabulary.ambiguity(text, "indicator"):
        reject("indicator", ambiguity)
        return None
    suggestion = vocabulary.suggest(text)
    if suggestion is not None:
        hint = f" Did you mean “{suggestion}”?"
    elif catalogue:
        hint = " The indicators are " + listed(f"“{i.name}”" for i in catalogue) + "."
    else:
        hint = " The programme has no indicators yet: add them first."
    reject("indicator", f"There is no indicator “{text}”.{hint}")
    return None


def _reject_repeats(readings: list[_Reading], columns: Mapping[str, str]) -> None:
    """Two rows giving one locality's indicator for one period: neither can be trusted."""
    claims: dict[tuple[int, int, date], list[_Reading]] = defaultdict(list)
    for reading in readings:
        if reading.slot is not None:
            claims[reading.slot].append(reading)
    column = columns.get("period", FIELDS["period"].label)
    for claimants in claims.values():
        if len(claimants) < 2:
            continue
        numbers = listed(str(reading.plan.row) for reading in claimants)
        for reading in claimants:
            reading.plan.action = "rejected"
            reading.plan.errors.append(
                RowError(
                    reading.plan.row,
                    column,
                    f"Rows {numbers} all give {reading.plan.label}; give each value once.",
                    "period",
                )
            )


def _compare(reading: _Reading, recorded: Mapping[tuple[int, int, date], ExistingValue]) -> None:
    plan = reading.plan
    stored = recorded.get(reading.slot)
    if stored is None:
        plan.action = "created"
        return
    plan.target_id = stored.id
    if math.isclose(stored.value, plan.values["value"], rel_tol=0, abs_tol=1e-9):
        plan.action = "unchanged"
    else:
        plan.action = "updated"
        plan.changes = {"value": (stored.value, plan.values["value"])}
