"""The workbook's Outcomes sheet, built directly: a row per locality and indicator with the
baseline, target, latest value and the overview's tag, in a fixed number of queries."""

from datetime import date

import pytest

from programme.extensions import db
from programme.services.exports.outcomes_sheet import COLUMNS, EMPTY, outcomes_sheet
from programme.services.outcomes import catalogue, pages, targets, values
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY

CLA = "children-looked-after"


@pytest.fixture
def world(app):
    programme = create_programme()
    taunton = create_locality(programme, name="Taunton", wave=1, go_live=date(2026, 1, 12))
    yeovil = create_locality(programme, name="Yeovil", wave=2, go_live=date(2027, 4, 6))
    return programme, taunton, yeovil


def rows_of(table) -> list[dict]:
    headers = [column.header for column in COLUMNS]
    return [dict(zip(headers, row, strict=True)) for row in table.rows]


def row_for(table, locality: str, indicator: str) -> dict:
    [row] = [r for r in rows_of(table) if (r["Locality"], r["Indicator"]) == (locality, indicator)]
    return row


def test_one_row_per_locality_and_indicator_in_the_order_given(world):
    programme, taunton, yeovil = world
    indicators = catalogue.indicators_of(programme)

    table = outcomes_sheet(programme, [yeovil, taunton], TODAY)

    rows = rows_of(table)
    assert len(rows) == 2 * len(indicators)
    assert [r["Locality"] for r in rows[: len(indicators)]] == ["Yeovil"] * len(indicators)
    assert [r["Indicator"] for r in rows[: len(indicators)]] == [i.name for i in indicators]
    assert all(len(row) == len(COLUMNS) for row in table.rows)


def test_a_row_carries_the_baseline_target_latest_value_and_tag(world):
    programme, taunton, _yeovil = world
    cla = catalogue.get_indicator(programme, CLA)
    targets.set_target(
        taunton, cla, None, baseline_value=50.0, baseline_on=date(2025, 12, 31),
        target_change_percent=-30, today=TODAY,
    )  # fmt: skip
    values.record_value(taunton, cla, "2026-09", 45.0, None, today=TODAY)
    values.record_value(taunton, cla, "2026-10", 62.0, None, today=TODAY)

    row = row_for(outcomes_sheet(programme, [taunton], TODAY), "Taunton", cla.name)

    assert row == {
        "Locality": "Taunton",
        "Wave": 1,
        "Go-live": date(2026, 1, 12),
        "Indicator": cla.name,
        "Unit": "per 10,000 children",
        "Lower is better": True,
        "Baseline": 50.0,
        "Baseline date": date(2025, 12, 31),
        "Target": 35.0,
        "Target change": pytest.approx(-0.30),
        "Latest period": "Oct 2026",
        "Latest value": 62.0,
        "Change against baseline": pytest.approx(0.24),
        "Months since go-live": 9,
        "Status": "Moving away",
    }


def test_the_tag_is_the_overview_pages_tag(world):
    programme, taunton, yeovil = world
    cla = catalogue.get_indicator(programme, CLA)
    turnover = catalogue.get_indicator(programme, "turnover")
    targets.set_target(
        taunton, cla, None, baseline_value=50.0, baseline_on=date(2025, 12, 31),
        target_value=40.0, today=TODAY,
    )  # fmt: skip
    values.record_value(taunton, cla, "2026-10", 48.0, None, today=TODAY)
    values.record_value(yeovil, turnover, "2026-10", 12.0, None, today=TODAY)  # no baseline

    table = outcomes_sheet(programme, [taunton, yeovil], TODAY)

    shown = {
        (standing.locality.name, row.indicator.name): standing.status_label
        for row in pages.overview(programme)
        for standing in row.standings
    }
    assert {(r["Locality"], r["Indicator"]): r["Status"] for r in rows_of(table)} == shown
    assert row_for(table, "Taunton", cla.name)["Status"] == "On track"
    no_baseline = row_for(table, "Yeovil", turnover.name)
    assert (no_baseline["Status"], no_baseline["Latest value"]) == ("No data", 12.0)
    assert no_baseline["Change against baseline"] is None
    untouched = row_for(table, "Yeovil", cla.name)
    assert untouched["Status"] == "No data"
    assert untouched["Latest period"] is None and untouched["Baseline"] is None


def test_a_target_as_a_value_has_no_change_and_values_after_as_of_are_left_out(world):
    programme, taunton, _yeovil = world
    cla = catalogue.get_indicator(programme, CLA)
    targets.set_target(
        taunton, cla, None, baseline_value=50.0, baseline_on=date(2025, 12, 31),
        target_value=40.0, today=TODAY,
    )  # fmt: skip
    values.record_value(taunton, cla, "2026-08", 44.0, None, today=TODAY)
    values.record_value(taunton, cla, "2026-11", 60.0, None, today=TODAY)

    row = row_for(outcomes_sheet(programme, [taunton], date(2026, 10, 31)), "Taunton", cla.name)

    assert (row["Target"], row["Target change"]) == (40.0, None)
    assert (row["Latest period"], row["Latest value"], row["Status"]) == (
        "Aug 2026",
        44.0,
        "On track",
    )
    assert row["Months since go-live"] == 7


def test_a_quarterly_indicator_counts_months_from_its_go_live_quarter(world):
    programme, taunton, _yeovil = world
    quarterly = catalogue.add_indicator(
        programme, None, name="Family group conferences", unit="count", lower_is_better=False,
        frequency="quarterly", group="outcomes",
    )  # fmt: skip
    values.record_value(taunton, quarterly, "Q2 2026/27", 14, None, today=TODAY)

    row = row_for(outcomes_sheet(programme, [taunton], TODAY), "Taunton", quarterly.name)

    # Taunton went live in Q4 2025/26 (January to March 2026): July 2026 is 6 months on.
    assert (row["Latest period"], row["Months since go-live"]) == ("Q2 2026/27", 6)


def test_an_empty_programme_says_so(app):
    programme = create_programme(with_templates=False)

    table = outcomes_sheet(programme, [], TODAY)

    assert (list(table.rows), table.empty_message) == ([], EMPTY)


def _populate(programme, size: int, first: int = 0) -> list:
    cla = catalogue.get_indicator(programme, CLA)
    turnover = catalogue.get_indicator(programme, "turnover")
    localities = []
    for n in range(first, first + size):
        locality = create_locality(programme, name=f"Place {n}", slug=f"place-{n}")
        targets.set_target(
            locality, cla, None, baseline_value=50.0, baseline_on=date(2025, 12, 31),
            target_change_percent=-30, today=TODAY,
        )  # fmt: skip
        for month in range(1, 11):
            values.record_value(locality, cla, f"2026-{month:02d}", 40.0 + n, None, today=TODAY)
            values.record_value(locality, turnover, f"2026-{month:02d}", 11.0, None, today=TODAY)
        localities.append(locality)
    return localities


def test_the_same_queries_for_one_locality_as_for_six(app, count_queries):
    one = create_programme("One", "one")
    six = create_programme("Six", "six")
    _populate(one, 1)
    _populate(six, 6, first=1)
    db.session.expire_all()
    # Loaded as the workbook has them (the readiness board's rows), before counting.
    few_places, many_places = pages.localities_of(one), pages.localities_of(six)

    with count_queries() as few:
        small = list(outcomes_sheet(one, few_places, TODAY).rows)
    with count_queries() as many:
        large = list(outcomes_sheet(six, many_places, TODAY).rows)

    assert len(large) == 6 * len(small)
    assert many.count == few.count, "\n".join(many.statements)
    assert few.count <= 3, few.count
