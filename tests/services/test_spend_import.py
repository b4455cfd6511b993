"""The finance spreadsheet import: actual spend against budget lines, every row or none, messy
files included; undo removes the spend it recorded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import AuditEvent, BudgetLine, ImportRecord, Spend
from programme.services import import_flow, spend_import
from programme.services.errors import Conflict, ServiceError
from programme.services.importers import importer_for
from tests.builders import create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes

LIMITS = ReadLimits()


@pytest.fixture
def programme(app):
    programme = create_programme()
    for year, category, source in [
        (2025, "staffing", "DfE grant"),
        (2025, "staffing", "Council"),
        (2025, "training", "Council"),
        (2026, "training", "Council"),
    ]:
        db.session.add(
            BudgetLine(
                programme_id=programme.id,
                financial_year=year,
                category=category,
                funding_source=source,
                amount_pence=100_000_00,
            )
        )
    db.session.commit()
    return programme


def import_(programme, data: bytes, filename: str = "spend.xlsx", **options):
    return spend_import.SPEND.import_file(
        programme, data, filename, None, today=TODAY, limits=LIMITS, **options
    )


def spends():
    db.session.expire_all()
    return db.session.scalars(select(Spend).order_by(Spend.id)).all()


def line_id(year: int, category: str, source: str) -> int:
    return db.session.scalar(
        select(BudgetLine.id).where(
            BudgetLine.financial_year == year,
            BudgetLine.category == category,
            BudgetLine.funding_source == source,
        )
    )


def test_the_importer_is_registered_for_its_kind():
    assert importer_for("spend") is spend_import.SPEND


def test_a_messy_workbook_records_every_row(programme):
    data = xlsx_bytes(
        [
            [
                "Narrative",
                "Net amount",
                "Cost centre category",
                "Period",
                "Financial Year",
                "Funding stream",
                "Type",
            ],
            ["Social workers", "£12,500.00", "Salaries", "Q1", "FY25/26", "DfE grant", "Invoice"],
            ["MI course", 1500.5, "Training and development", date(2025, 9, 12), None, None, None],
            ["Cancelled place", "(250.00)", "Training", "Jul-Sep", "2025-2026", None, "Credit"],
            ["Total", 13750.5, None, None, None, None, None],
        ],
        title_rows=[["Family Safeguarding: actual spend 2025/26"], []],
        sheet_title="Actuals",
    )
    plan = import_(programme, data)
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [skipped.reason for skipped in plan.skipped] == ["a total row"]
    rows = spends()
    assert [(s.budget_line_id, s.quarter, s.amount_pence, s.is_refund) for s in rows] == [
        (line_id(2025, "staffing", "DfE grant"), 1, 1_250_000, False),
        (line_id(2025, "training", "Council"), 2, 150_050, False),
        (line_id(2025, "training", "Council"), 2, -25_000, True),
    ]
    record = db.session.get(ImportRecord, rows[0].import_id)
    assert record.kind == "spend" and record.state == "applied"
    assert all(s.version == 1 and s.import_id == record.id for s in rows)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert "3 spend rows recorded, £13,750.50 in all" in event.summary


def test_one_bad_row_saves_nothing_and_every_refusal_names_its_row(programme):
    data = csv_bytes(
        [
            ["Year", "Qtr", "Spend category", "Amount (£)", "Description"],
            ["2025/26", "Q1", "Training", "£100", "Room hire"],
            ["2025/27", "Q1", "Training", "£100", ""],
            ["2025/26", "Q7", "Training", "£100", ""],
            ["2025/26", "Q1", "Training", "15%", ""],
            ["2025/26", "Q1", "Training", "-1,200", "Overpayment"],
            ["2027/28", "Q1", "Staff costs", "£100", ""],
        ]
    )
    plan = import_(programme, data, "spend.csv")
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 5}
    assert str(import_flow.ImportRejected(plan)).startswith(
        "5 rows cannot be imported, so nothing was saved."
    )
    sentences = [error.sentence() for error in plan.errors]
    assert sentences[0].startswith("Row 3, Year: “2025/27” is not a financial year")
    assert sentences[1].startswith("Row 4, Qtr: “Q7” is not a quarter")
    assert sentences[2] == "Row 5, Amount (£): “15%” is a percentage, not an amount of money."
    assert sentences[3].startswith("Row 6, Amount (£): −£1,200 is negative")
    assert sentences[4] == (
        "Row 7, Spend category: There is no staffing budget line for 2027/28: add one first."
    )
    assert spends() == []


def test_a_wrong_file_type_is_refused(programme):
    with pytest.raises(ServiceError):
        import_(programme, b"%PDF-1.4 not a spreadsheet", "spend.pdf")
    assert spends() == []


def test_a_refund_in_the_description_and_a_funding_source_that_picks_the_line(programme):
    data = csv_bytes(
        [
            ["Financial year", "Quarter", "Category", "Funding source", "Actual", "Description"],
            ["2025/26", "Apr-Jun", "Staffing", "Council", "5000", "Agency cover"],
            ["2025/26", "Apr-Jun", "Staffing", "Council", "-500", "Refund: overpaid invoice"],
        ]
    )
    import_(programme, data, "spend.csv")
    council = line_id(2025, "staffing", "Council")
    assert [(s.budget_line_id, s.amount_pence, s.is_refund) for s in spends()] == [
        (council, 500_000, False),
        (council, -50_000, True),
    ]


def test_equal_payments_are_both_recorded_with_a_warning(programme):
    data = csv_bytes(
        [
            ["Year", "Quarter", "Category", "Amount"],
            ["2026/27", "Q2", "Training", "300"],
            ["2026/27", "Q2", "Training", "300"],
        ]
    )
    plan = import_(programme, data, "spend.csv")
    assert plan.count("created") == 2
    assert [warning.row for warning in plan.warnings] == [3]
    assert len(spends()) == 2


def test_undo_removes_the_spend_the_import_recorded(programme):
    first = csv_bytes(
        [["Year", "Quarter", "Category", "Amount"], ["2025/26", "Q1", "Training", "10"]]
    )
    second = csv_bytes(
        [
            ["Year", "Quarter", "Category", "Amount"],
            ["2025/26", "Q2", "Training", "20"],
            ["2025/26", "Q3", "Training", "30"],
        ]
    )
    import_(programme, first, "first.csv")
    import_(programme, second, "second.csv")
    older, latest = db.session.scalars(select(ImportRecord).order_by(ImportRecord.id)).all()
    assert spend_import.describe_undo(older).blockers
    with pytest.raises(Conflict):
        spend_import.undo_import(older, None)
    summary = spend_import.describe_undo(latest)
    assert summary.possible and len(summary.deleted) == 2
    assert "the 2 spend rows it recorded will be deleted" in summary.sentence
    assert spend_import.undo_import(latest, None) == 2
    assert [s.amount_pence for s in spends()] == [1000]
    assert db.session.get(ImportRecord, latest.id).state == "undone"
    with pytest.raises(Conflict):
        spend_import.undo_import(latest, None)
