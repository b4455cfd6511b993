"""Importing a quarterly outcome return: messy files from other councils, all rows or none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import ImportRecord, Indicator, IndicatorValue
from programme.services.errors import Conflict, ServiceError
from programme.services.importers import importer_for
from programme.services.indicator_import import INDICATORS
from programme.services.outcomes import values
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import audit_events_for, count_rows

LIMITS = ReadLimits()


@pytest.fixture
def world(app):
    programme = create_programme(slug="westshire")
    bridgwater = create_locality(programme, name="Bridgwater", slug="bridgwater")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    # A programme starts with the seeded catalogue; these tests use a small one of their own.
    db.session.execute(delete(Indicator).where(Indicator.programme_id == programme.id))
    catalogue = {}
    for position, (key, name, unit, frequency) in enumerate(
        [
            ("children-looked-after", "Children looked after, per 10,000", "per_10000", "monthly"),
            ("child-protection-plans", "Child protection plans", "count", "monthly"),
            ("re-referrals", "Re-referrals within 12 months", "percent", "quarterly"),
            ("average-caseload", "Average caseload", "average", "monthly"),
        ]
    ):
        indicator = Indicator(
            programme_id=programme.id,
            key=key,
            name=name,
            unit=unit,
            frequency=frequency,
            position=position,
            version=1,
        )
        db.session.add(indicator)
        catalogue[key] = indicator
    db.session.commit()
    return programme, bridgwater, taunton, catalogue


def _import(programme, data: bytes, filename: str = "return.csv", **options):
    return INDICATORS.import_file(
        programme, data, filename, None, today=TODAY, limits=LIMITS, **options
    )


def _stored() -> dict[tuple[str, str, date], float]:
    db.session.expire_all()
    return {
        (value.locality.slug, value.indicator.key, value.period): value.value
        for value in db.session.scalars(select(IndicatorValue))
    }


def _errors(plan) -> list[str]:
    return [error.sentence() for error in plan.errors]


def test_the_importer_is_registered_for_the_import_pages():
    assert importer_for("indicators") is INDICATORS


def test_another_councils_xlsx_with_a_title_row_a_footer_and_its_own_words_imports(world):
    programme, _bridgwater, _taunton, _catalogue = world
    data = xlsx_bytes(
        [
            ["Measure", "Area", "Month ending", "Figure"],
            ["CLA rate", "Bridgwater", date(2026, 9, 30), 62.4],
            ["Looked after children per 10k", "taunton", "Sep 2026", "58.1"],
            ["CP plans", "Bridgwater", "2026-09", "1,234"],
            ["Re-referral rate", "Taunton", "Q2 2026/27", "21%"],
            ["Avg caseload", "Bridgwater", "09/2026", "14.7"],
            ["Total", None, None, 1370.2],
        ],
        title_rows=[["Westshire quarterly outcome return 2026/27"], []],
        sheet_title="Return",
    )

    plan = _import(programme, data, "Q2 return.xlsx")

    assert _errors(plan) == []
    assert plan.counts["created"] == 5
    assert [row.number for row in plan.skipped] == [9]
    assert _stored() == {
        ("bridgwater", "children-looked-after", date(2026, 9, 1)): 62.4,
        ("taunton", "children-looked-after", date(2026, 9, 1)): 58.1,
        ("bridgwater", "child-protection-plans", date(2026, 9, 1)): 1234.0,
        ("taunton", "re-referrals", date(2026, 7, 1)): 21.0,
        ("bridgwater", "average-caseload", date(2026, 9, 1)): 14.7,
    }
    assert {v.import_id for v in db.session.scalars(select(IndicatorValue))} != {None}


def test_a_value_already_recorded_is_changed_and_the_preview_says_so(world):
    programme, bridgwater, _taunton, catalogue = world
    _import(
        programme,
        csv_bytes(
            [["Locality", "Indicator", "Period", "Value"], ["Bridgwater", "CLA", "Oct 2026", "60"]]
        ),
    )
    manager = create_user("programme_manager")
    data = csv_bytes(
        [
            ["Period", "Value", "Locality", "Indicator"],  # another column order
            ["October 2026", "57.5", "bridgwater", "children-looked-after"],
            ["Nov 2026", "55", "Bridgwater", "CLA rate"],
        ]
    )

    record, preview = INDICATORS.upload(programme, data, "nov.csv", manager, LIMITS, today=TODAY)

    changed, created = preview.plan.rows
    assert (changed.action, changed.changes) == ("updated", {"value": (60.0, 57.5)})
    assert created.action == "created"
    assert preview.plan.describe("value", 57.5) == "57.5"
    INDICATORS.apply_import(record, manager, today=TODAY, limits=LIMITS)
    assert _stored()[("bridgwater", "children-looked-after", date(2026, 10, 1))] == 57.5
    assert count_rows(IndicatorValue) == 2
    (event,) = audit_events_for("import", record.id)
    assert event.locality_id == bridgwater.id
    assert "2 values recorded or changed" in event.summary


def test_importing_the_same_file_again_changes_nothing(world):
    programme = world[0]
    data = csv_bytes(
        [["Locality", "Indicator", "Period", "Value"], ["Taunton", "CP plans", "Oct 2026", "40"]]
    )
    _import(programme, data)
    plan = _import(programme, data)
    assert plan.counts["unchanged"] == 1 and count_rows(IndicatorValue) == 1


def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_saved(world):
    programme = world[0]
    data = csv_bytes(
        [
            ["LA area", "KPI", "Reporting period", "Outturn"],
            ["Bridgwater", "Re-referral rate", "Q1 2026/27", "104%"],
            ["Taunton", "CP plans", "Oct 2026", "-3"],
            ["Taunton", "CP plans", "Spring 2026", "12"],
            ["Taunton", "CLA rate", "Jan 2027", "50"],
            ["Minehead", "CLA rate", "Oct 2026", "50"],
            ["Bridgwater", "Smiles per hour", "Oct 2026", "3"],
            ["Bridgwater", "Avg caseload", "Oct 2026", "15"],
            ["bridgwater", "average-caseload", "2026-10", "16"],
            ["Taunton", "Average caseload", "Oct 2026", "17"],
        ]
    )

    plan = _import(programme, data)
    errors = _errors(plan)

    assert (
        "Row 2, Outturn: Re-referrals within 12 months cannot be more than 100%: "
        "the file gives 104%." in errors
    )
    assert "Row 3, Outturn: Child protection plans cannot be negative: the file gives -3." in errors
    assert any(
        e.startswith("Row 4, Reporting period: “Spring 2026” is not a period") for e in errors
    )
    assert (
        "Row 5, Reporting period: Jan 2027 is in the future: record a value once its period "
        "has started." in errors
    )
    assert any(e.startswith("Row 6, LA area: There is no locality “Minehead”") for e in errors)
    assert any(e.startswith("Row 7, KPI: There is no indicator “Smiles per hour”") for e in errors)
    duplicate = (
        "Rows 8 and 9 all give Bridgwater · Average caseload · Oct 2026; give each value once."
    )
    assert f"Row 8, Reporting period: {duplicate}" in errors
    assert f"Row 9, Reporting period: {duplicate}" in errors
    assert [row.action for row in plan.rows][-1] == "created"
    assert count_rows(IndicatorValue) == 0


def test_a_locality_named_in_the_councils_own_words_can_be_mapped(world):
    programme, bridgwater = world[0], world[1]
    data = csv_bytes(
        [
            ["Locality", "Indicator", "Period", "Value"],
            ["Bridgwater & Sedgemoor", "CLA", "Oct 2026", "61"],
        ]
    )

    plan = _import(programme, data, dry_run=True)
    assert plan.unknown_values()[0].field == "locality"

    plan = _import(
        programme, data, map_options=[f"Locality=Bridgwater & Sedgemoor:{bridgwater.name}"]
    )
    assert plan.counts["created"] == 1


def test_a_file_that_is_not_a_spreadsheet_is_refused(world):
    with pytest.raises(
        ServiceError, match="Upload an .xlsx or .csv file; “return.pdf” is neither."
    ):
        _import(world[0], b"%PDF-1.7", "return.pdf")


def test_a_file_without_a_value_column_names_what_is_missing(world):
    data = csv_bytes([["Locality", "Indicator", "Period"], ["Taunton", "CLA", "Oct 2026"]])
    with pytest.raises(ServiceError, match="No column could be matched for the value"):
        _import(world[0], data)


def _record(name: str) -> ImportRecord:
    return db.session.scalars(select(ImportRecord).where(ImportRecord.original_name == name)).one()


def test_undo_deletes_the_values_it_added_and_puts_back_the_values_it_changed(world):
    programme, bridgwater, _taunton, _catalogue = world
    header = ["Locality", "Indicator", "Period", "Value"]
    INDICATORS.import_file(
        programme,
        csv_bytes([header, ["Bridgwater", "CLA", "Oct 2026", "60"]]),
        "oct.csv",
        None,
        today=TODAY,
        limits=LIMITS,
    )
    first = _record("oct.csv")
    manager = create_user("programme_manager")
    INDICATORS.import_file(
        programme,
        csv_bytes(
            [
                header,
                ["Bridgwater", "CLA", "Oct 2026", "57.5"],
                ["Bridgwater", "CLA", "Nov 2026", "55"],
            ]
        ),
        "nov.csv",
        manager,
        today=TODAY,
        limits=LIMITS,
    )
    record = _record("nov.csv")

    summary = INDICATORS.describe_undo(record)
    assert summary.possible and summary.blockers == []
    assert summary.deleted == [
        "Bridgwater · Children looked after, per 10,000 · Nov 2026: 55 per 10,000 children"
    ]
    (reverted,) = summary.reverted
    assert reverted.post == "Bridgwater · Children looked after, per 10,000 · Oct 2026"
    assert reverted.changes == [("Value", "57.5 per 10,000 children", "60 per 10,000 children")]
    assert summary.sentence == (
        "Undo the import of nov.csv: the 1 value it added will be deleted and the 1 value it "
        "changed will go back to what it held before."
    )

    assert INDICATORS.undo(record, manager) == 2

    assert _stored() == {("bridgwater", "children-looked-after", date(2026, 10, 1)): 60.0}
    (kept,) = db.session.scalars(select(IndicatorValue)).all()
    assert kept.import_id == first.id  # the earlier import's value again, so it can be undone
    assert record.state == "undone"
    assert INDICATORS.describe_undo(record).blockers == [
        "This import was already undone; an import can be undone only once."
    ]
    *_imported, event = audit_events_for("import", record.id)
    assert event.action == "undo_import"
    assert (
        event.summary == "Undid the indicator import of nov.csv: 1 value deleted, 1 value put back"
    )


def test_undo_is_refused_when_a_value_was_changed_since_and_nothing_is_undone(world):
    programme, bridgwater, _taunton, catalogue = world
    INDICATORS.import_file(
        programme,
        csv_bytes(
            [["Locality", "Indicator", "Period", "Value"], ["Bridgwater", "CLA", "Oct 2026", "60"]]
        ),
        "oct.csv",
        None,
        today=TODAY,
        limits=LIMITS,
    )
    record = _record("oct.csv")
    (value,) = db.session.scalars(select(IndicatorValue)).all()
    values.change_value(value, 61.0, None, value.version)

    blockers = INDICATORS.describe_undo(record).blockers
    assert blockers == [
        "Bridgwater · Children looked after, per 10,000 · Oct 2026 was changed since the import; "
        "undoing it would lose that change."
    ]
    with pytest.raises(Conflict, match="was changed since the import"):
        INDICATORS.undo(record, None)
    assert _stored() == {("bridgwater", "children-looked-after", date(2026, 10, 1)): 61.0}
    assert db.session.get(ImportRecord, record.id).state == "applied"


def test_only_the_latest_indicator_import_can_be_undone(world):
    programme = world[0]
    header = ["Locality", "Indicator", "Period", "Value"]
    for name, row in [
        ("oct.csv", ["Taunton", "CP plans", "Oct 2026", "40"]),
        ("nov.csv", ["Taunton", "CP plans", "Nov 2026", "41"]),
    ]:
        INDICATORS.import_file(
            programme, csv_bytes([header, row]), name, None, today=TODAY, limits=LIMITS
        )
    assert INDICATORS.describe_undo(_record("oct.csv")).blockers == [
        "Only the programme's most recent indicator import can be undone; another was applied "
        "after this one."
    ]
