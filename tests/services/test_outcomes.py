"""Outcome indicators: programme managers add indicators, set a locality's baseline and target,
and record, change and delete values; every refusal names its field and writes nothing."""

from datetime import date, datetime

import pytest

from programme.models import AuditEvent, Indicator, IndicatorTarget, IndicatorValue
from programme.services.errors import Conflict, ServiceError, StaleEdit
from programme.services.outcomes import catalogue, pages, targets, values
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows


@pytest.fixture
def world(app):
    programme = create_programme()
    locality = create_locality(programme, name="Bridgwater", go_live=date(2026, 1, 12))
    manager = create_user("programme_manager")
    return programme, locality, manager


def _indicator(programme, key="children-looked-after") -> Indicator:
    return catalogue.get_indicator(programme, key)


# --- Adding indicators ---------------------------------------------------------------------------


def test_a_programme_manager_adds_an_indicator_keyed_from_its_name(world):
    programme, _locality, manager = world

    added = catalogue.add_indicator(
        programme, manager, name="School attendance", unit="percent", lower_is_better=False,
        frequency="quarterly", group="outcomes", description="Children of families worked with.",
    )  # fmt: skip

    assert added.key == "school-attendance"
    assert added.position == len(catalogue.indicators_of(programme)) - 1
    [event] = audit_events_for("indicator", added.id)
    assert (event.action, event.summary) == ("create", "Added the indicator School attendance")
    assert event.after["lower_is_better"] is False


def test_a_key_taken_or_reserved_gets_a_number(world):
    programme, _locality, manager = world
    fields = {"unit": "count", "lower_is_better": True, "frequency": "monthly", "group": "outcomes"}

    new = catalogue.add_indicator(programme, manager, name="New", **fields)
    turnover = catalogue.add_indicator(programme, manager, name="Turnover!", **fields)

    assert new.key == "new-2"  # /outcomes/new is the form's address
    assert turnover.key == "turnover-2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Social worker turnover"}, "name"),  # already in the catalogue
        ({"unit": "parsecs"}, "unit"),
        ({"frequency": "weekly"}, "frequency"),
        ({"group": "finance"}, "group"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_a_bad_indicator_is_refused_naming_the_field(world, changes, field):
    programme, _locality, manager = world
    before = count_rows(Indicator)
    fields = {"name": "Repeat referrals to CAMHS", "unit": "count", "lower_is_better": True,
              "frequency": "monthly", "group": "outcomes", **changes}  # fmt: skip

    with pytest.raises(ServiceError) as refused:
        catalogue.add_indicator(programme, manager, **fields)

    assert refused.value.field == field
    assert count_rows(Indicator) == before


# --- Baselines and targets -----------------------------------------------------------------------


def test_a_baseline_and_a_target_as_a_change_are_set_and_audited(world):
    programme, locality, manager = world
    indicator = _indicator(programme)

    target = targets.set_target(
        locality, indicator, manager, baseline_value=62.0, baseline_on=date(2025, 12, 31),
        target_change_percent=-30, today=TODAY,
    )  # fmt: skip

    assert (target.baseline_value, target.target_value, target.target_change_percent) == (
        62.0,
        None,
        -30.0,
    )
    [event] = audit_events_for("indicator_target", target.id)
    assert event.action == "set_target"
    assert event.locality_id == locality.id


def test_changing_the_target_to_a_value_clears_the_change_and_records_only_what_changed(world):
    programme, locality, manager = world
    indicator = _indicator(programme)
    first = targets.set_target(
        locality, indicator, manager, baseline_value=62.0, baseline_on=date(2025, 12, 31),
        target_change_percent=-30, today=TODAY,
    )  # fmt: skip

    targets.set_target(
        locality, indicator, manager, baseline_value=62.0, baseline_on=date(2025, 12, 31),
        target_value=45.0, today=TODAY, expected_version=first.version,
    )  # fmt: skip

    events = audit_events_for("indicator_target", first.id)
    assert events[-1].before == {"target_value": None, "target_change_percent": -30.0}
    assert events[-1].after == {"target_value": 45.0, "target_change_percent": None}


def test_a_target_changed_by_someone_else_since_it_was_opened_is_stale(world):
    programme, locality, manager = world
    indicator = _indicator(programme)
    set_once = targets.set_target(
        locality, indicator, manager, baseline_value=62.0, baseline_on=date(2025, 12, 31),
        today=TODAY,
    )  # fmt: skip
    opened = set_once.version

    targets.set_target(
        locality, indicator, manager, baseline_value=61.0, baseline_on=date(2025, 12, 31),
        today=TODAY, expected_version=opened,
    )  # fmt: skip
    with pytest.raises(StaleEdit):
        targets.set_target(
            locality, indicator, manager, baseline_value=60.0, baseline_on=date(2025, 12, 31),
            today=TODAY, expected_version=opened,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("key", "changes", "field"),
    [
        ("re-referrals", {"baseline_value": 120.0}, "baseline_value"),  # a % over 100
        ("care-proceedings", {"baseline_value": -1.0}, "baseline_value"),
        ("care-proceedings", {"baseline_value": None}, "baseline_value"),
        ("care-proceedings", {"baseline_on": None}, "baseline_on"),
        ("care-proceedings", {"baseline_on": date(2026, 12, 1)}, "baseline_on"),
        ("re-referrals", {"target_value": 101.0}, "target_value"),
        ("re-referrals", {"target_value": 10.0, "target_change_percent": -30}, "target_value"),
        ("re-referrals", {"target_change_percent": -130}, "target_change_percent"),
    ],
)
def test_a_bad_baseline_or_target_is_refused_naming_the_field(world, key, changes, field):
    programme, locality, manager = world
    fields = {"baseline_value": 20.0, "baseline_on": date(2026, 1, 1), **changes}

    with pytest.raises(ServiceError) as refused:
        targets.set_target(locality, _indicator(programme, key), manager, today=TODAY, **fields)

    assert refused.value.field == field
    assert count_rows(IndicatorTarget) == 0


# --- Values --------------------------------------------------------------------------------------


def test_a_value_is_recorded_for_a_month_and_changed_by_recording_it_again(world):
    programme, locality, manager = world
    indicator = _indicator(programme)

    first = values.record_value(locality, indicator, "2026-05", 58.5, manager)
    again = values.record_value(locality, indicator, date(2026, 5, 20), 57.0, manager)

    assert first.id == again.id
    assert (again.period, again.value, again.recorded_by_id) == (date(2026, 5, 1), 57.0, manager.id)
    actions = [event.action for event in audit_events_for("indicator_value", first.id)]
    assert actions == ["create", "update"]


def test_a_quarter_is_stored_as_its_first_day(world):
    programme, locality, manager = world

    row = values.record_value(locality, _indicator(programme, "turnover"), "Q2 2026/27", 11.0,
                              manager)  # fmt: skip

    assert row.period == date(2026, 7, 1)


def test_a_date_or_a_moment_stands_for_the_period_it_falls_in(world):
    programme, locality, manager = world

    row = values.record_value(
        locality, _indicator(programme, "turnover"), datetime(2026, 8, 31, 17, 5), 11.0, manager
    )

    assert row.period == date(2026, 7, 1)


def test_the_form_does_not_overwrite_a_value_already_recorded(world):
    programme, locality, manager = world
    indicator = _indicator(programme)
    values.record_value(locality, indicator, "2026-05", 58.5, manager)

    with pytest.raises(Conflict) as refused:
        values.record_value(locality, indicator, "May 2026", 50.0, manager, replace=False)

    assert refused.value.field == "period"
    assert "already has a value for May 2026" in refused.value.message


@pytest.mark.parametrize(
    ("key", "period", "value", "field", "words"),
    [
        ("children-looked-after", "2026-12", 50.0, "period", "in the future"),
        ("children-looked-after", "next month", 50.0, "period", "is not a month"),
        ("children-looked-after", "Q1 2026/27", 50.0, "period", "is not a month"),
        ("re-referrals", "2026-04", 104.0, "value", "more than 100%"),
        ("care-proceedings", "2026-04", -2.0, "value", "cannot be negative"),
        ("care-proceedings", "2026-04", 2.5, "value", "whole number"),
        ("care-proceedings", "2026-04", None, "value", "as a number"),
        ("care-proceedings", "2026-04", float("nan"), "value", "as a number"),
        ("care-proceedings", "2026-04", "3", "value", "as a number"),
        ("care-proceedings", "2026-04", True, "value", "as a number"),
    ],
)
def test_a_bad_value_or_period_is_refused_naming_the_field(world, key, period, value, field, words):
    programme, locality, manager = world

    with pytest.raises(ServiceError) as refused:
        values.record_value(locality, _indicator(programme, key), period, value, manager)

    assert refused.value.field == field
    assert words in refused.value.message
    assert count_rows(IndicatorValue) == 0
    assert count_rows(AuditEvent, AuditEvent.entity_type == "indicator_value") == 0


def test_a_value_of_another_programmes_indicator_is_refused(world):
    _programme, locality, manager = world
    elsewhere = create_programme("Elsewhere")

    with pytest.raises(ServiceError):
        values.record_value(locality, _indicator(elsewhere), "2026-05", 5.0, manager)


def test_a_value_is_changed_and_deleted_at_the_version_it_was_opened(world):
    programme, locality, manager = world
    indicator = _indicator(programme)
    row = values.record_value(locality, indicator, "2026-05", 58.5, manager)
    opened = row.version

    assert values.change_value(row, 57.5, manager, opened) is True
    assert values.change_value(row, 57.5, manager, row.version) is False  # nothing changed
    with pytest.raises(StaleEdit):
        values.delete_value(row, manager, opened)
    values.delete_value(row, manager, row.version)

    assert count_rows(IndicatorValue) == 0
    [*_, deleted] = audit_events_for("indicator_value", row.id)
    assert (deleted.action, deleted.before) == ("delete", {"value": 57.5})


def test_a_value_is_found_by_its_period_as_the_address_writes_it(world):
    programme, locality, manager = world
    indicator = _indicator(programme, "turnover")
    values.record_value(locality, indicator, "Q1 2026/27", 11.0, manager)

    assert values.get_value(locality, indicator, "2026-04").value == 11.0
    for other in ("2026-05", "2026-4", "soon"):
        with pytest.raises(ServiceError):
            values.get_value(locality, indicator, other)


# --- What the pages show -------------------------------------------------------------------------


def test_the_overview_shows_each_localitys_latest_value_against_its_baseline(world):
    programme, locality, manager = world
    other = create_locality(programme, name="Mendip", wave=2, go_live=date(2027, 4, 5))
    indicator = _indicator(programme)
    targets.set_target(
        locality, indicator, manager, baseline_value=60.0, baseline_on=date(2025, 12, 31),
        target_change_percent=-30, today=TODAY,
    )  # fmt: skip
    values.record_value(locality, indicator, "2026-04", 58.0, manager)
    values.record_value(locality, indicator, "2026-05", 63.0, manager)

    rows = {row.indicator.key: row for row in pages.overview(programme)}
    bridgwater, mendip = rows["children-looked-after"].standings

    assert (bridgwater.latest, bridgwater.latest_period) == (
        "63 per 10,000 children",
        "May 2026",
    )
    assert bridgwater.target == "42 per 10,000 children (−30%)"
    assert (bridgwater.change, bridgwater.status_label) == ("+5%", "Moving away")
    assert (mendip.locality, mendip.status_label, mendip.target) == (other, "No data", "Not set")


def test_the_indicator_page_lines_localities_up_on_months_since_go_live(world):
    programme, locality, manager = world
    later = create_locality(programme, name="Mendip", wave=2, go_live=date(2026, 6, 15))
    indicator = _indicator(programme)
    for period, value in (("2025-12", 64.0), ("2026-01", 62.0), ("2026-02", 60.0)):
        values.record_value(locality, indicator, period, value, manager)
    for period, value in (("2026-05", 70.0), ("2026-06", 69.0)):
        values.record_value(later, indicator, period, value, manager)

    page = pages.indicator_page(programme, indicator)

    assert [row.month for row in page.comparison_rows] == ["−1", "0", "+1"]
    assert [row.values for row in page.comparison_rows] == [
        ("64 per 10,000 children", "70 per 10,000 children"),
        ("62 per 10,000 children", "69 per 10,000 children"),
        ("60 per 10,000 children", "—"),
    ]
    assert page.comparison is not None and "months since go-live" in page.comparison_summary
    assert [reading.key for reading in page.trends[0].readings] == ["2025-12", "2026-01", "2026-02"]
