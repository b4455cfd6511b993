"""Budget lines and spend: the refund rule, spend for a year with no line refused naming it, a
line with spend kept, stale edits refused, and training spend taken from the sessions held."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from programme.clock import utc_now
from programme.extensions import db
from programme.models import AuditEvent, BudgetLine, Spend
from programme.services.errors import Conflict, ServiceError, StaleEdit
from programme.services.finance import budget_lines, spend
from programme.services.finance.budget_lines import LineValues
from programme.services.finance.overview import finance_summary
from programme.services.finance.spend import SpendValues
from programme.services.finance_figures import training_by_year
from programme.services.training import catalogue
from tests.builders import create_locality, create_programme, create_session, create_user
from tests.conftest import TODAY


@pytest.fixture
def programme(app):
    return create_programme(slug="bury")


def add_line(
    programme, year=2026, category="staffing", source="DfE grant", pounds=655_000, **extra
):
    return budget_lines.add_line(
        programme, LineValues(year, category, source, pounds * 100, **extra), None
    )


def test_a_line_is_added_and_audited(programme):
    manager = create_user("programme_manager")
    line = budget_lines.add_line(
        programme, LineValues(2026, "staffing", "  DfE   grant ", 65_500_000), manager
    )
    assert (line.funding_source, line.version) == ("DfE grant", 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "add_budget_line"))
    assert event.summary == "Added the budget line Staffing 2026/27 (DfE grant): £655,000"
    assert event.actor_id == manager.id


def test_the_same_year_category_and_source_twice_is_refused(programme):
    add_line(programme)
    with pytest.raises(Conflict, match="already a staffing budget line for 2026/27 funded by DfE"):
        add_line(programme, source="dfe GRANT")
    add_line(programme, source="Council")  # another source is another line


@pytest.mark.parametrize(
    "values, field",
    [
        (LineValues(1999, "staffing", "Council", 1), "financial_year"),
        (LineValues(2026, "catering", "Council", 1), "category"),
        (LineValues(2026, "staffing", " ", 1), "funding_source"),
        (LineValues(2026, "staffing", "Council", -1), "amount_pence"),
        (LineValues(2026, "staffing", "Council", 1, forecast_pence=-5), "forecast_pence"),
    ],
)
def test_bad_line_values_are_refused_naming_the_field(programme, values, field):
    with pytest.raises(ServiceError) as refused:
        budget_lines.add_line(programme, values, None)
    assert refused.value.field == field
    assert db.session.scalar(select(BudgetLine)) is None


def test_a_negative_amount_is_refused_unless_it_is_a_refund(programme):
    line = add_line(programme)
    with pytest.raises(ServiceError, match="cannot be negative unless it is a refund") as refused:
        spend.record_spend(line, SpendValues(1, -25_000), None)
    assert refused.value.field == "amount"
    assert db.session.scalar(select(Spend)) is None


@pytest.mark.parametrize("typed", [25_000, -25_000])
def test_a_refund_is_stored_negative_however_it_is_typed(programme, typed):
    line = add_line(programme)
    refund = spend.record_spend(line, SpendValues(2, typed, is_refund=True), None)
    assert (refund.amount_pence, refund.is_refund) == (-25_000, True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "record_spend"))
    assert (
        event.summary
        == "Recorded a refund of £250 in Q2 2026/27 against Staffing 2026/27 (DfE grant)"
    )


@pytest.mark.parametrize(
    "values, field",
    [
        (SpendValues(5, 100), "quarter"),
        (SpendValues(None, 100), "quarter"),
        (SpendValues(1, 0), "amount"),
    ],
)
def test_a_bad_quarter_or_amount_is_refused(programme, values, field):
    line = add_line(programme)
    with pytest.raises(ServiceError) as refused:
        spend.record_spend(line, values, None)
    assert refused.value.field == field


def test_spend_for_a_year_with_no_line_is_refused_naming_the_line(programme):
    add_line(programme, year=2026)
    with pytest.raises(ServiceError) as refused:
        spend.record_spend_for(programme, 2027, "staffing", None, 1, 10_000)
    assert refused.value.message == "There is no staffing budget line for 2027/28: add one first."
    with pytest.raises(ServiceError, match="no staffing budget line for 2026/27 funded by Council"):
        spend.record_spend_for(programme, 2026, "staffing", "Council", 1, 10_000)
    assert db.session.scalar(select(Spend)) is None


def test_spend_by_year_and_category_finds_its_line(programme):
    line = add_line(programme)
    council = add_line(programme, source="Council")
    with pytest.raises(ServiceError, match="There are 2 staffing budget lines for 2026/27"):
        spend.record_spend_for(programme, 2026, "staffing", None, 1, 10_000)
    recorded = spend.record_spend_for(
        programme, 2026, "staffing", "dfe grant", 3, 10_000, description="Agency social worker"
    )
    assert recorded.budget_line_id == line.id
    assert (
        spend.record_spend_for(
            programme, 2026, "staffing", "Council", 3, 500, lines=[line, council]
        ).budget_line_id
        == council.id
    )


def test_a_line_with_spend_cannot_be_deleted(programme):
    line = add_line(programme)
    spend.record_spend(line, SpendValues(1, 10_000), None)
    with pytest.raises(Conflict, match=r"has spend recorded against it \(1 entry\)"):
        budget_lines.delete_line(line, None, expected_version=line.version)
    assert db.session.get(BudgetLine, line.id) is not None


def test_a_line_without_spend_is_deleted_and_audited(programme):
    line = add_line(programme)
    assert (
        budget_lines.delete_line(line, None, expected_version=1) == "Staffing 2026/27 (DfE grant)"
    )
    assert db.session.scalar(select(BudgetLine)) is None
    assert (
        db.session.scalar(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "budget_line")
            .order_by(AuditEvent.id.desc())
        )
        == "delete_budget_line"
    )


def test_a_change_over_someone_elses_is_refused(programme):
    line = add_line(programme)
    values = LineValues(2026, "staffing", "DfE grant", 70_000_000)
    assert budget_lines.change_line(line, values, None, expected_version=1) == ["amount_pence"]
    assert line.version == 2
    with pytest.raises(StaleEdit, match="Someone else changed the budget line"):
        budget_lines.change_line(
            line, LineValues(2026, "staffing", "DfE grant", 1), None, expected_version=1
        )
    assert db.session.get(BudgetLine, line.id).amount_pence == 70_000_000
    with pytest.raises(StaleEdit):
        budget_lines.delete_line(line, None, expected_version=1)


def test_spend_is_changed_and_deleted_with_its_version(programme):
    line = add_line(programme)
    entry = spend.record_spend(line, SpendValues(1, 10_000, description="Invoice 1"), None)
    changed = spend.change_spend(
        entry, SpendValues(2, 12_000, description="Invoice 1"), None, expected_version=1
    )
    assert changed == ["quarter", "amount_pence"]
    with pytest.raises(StaleEdit):
        spend.change_spend(entry, SpendValues(3, 1), None, expected_version=1)
    with pytest.raises(StaleEdit):
        spend.delete_spend(entry, None, expected_version=1)
    assert spend.delete_spend(entry, None, expected_version=2) == (
        "£120 in Q2 2026/27 against Staffing 2026/27 (DfE grant)"
    )
    assert db.session.scalar(select(Spend)) is None


def test_training_spend_comes_from_sessions_held_by_financial_year(programme):
    course = catalogue.get_course(programme, "mi")
    create_session(course, on=date(2026, 3, 31), cost_pence=100_000)  # 2025/26
    create_session(course, on=date(2026, 4, 1), cost_pence=200_000)  # 2026/27
    create_session(course, on=date(2026, 11, 2), cost_pence=50_000)
    create_session(course, on=date(2026, 10, 1), cost_pence=999_999, cancelled_at=utc_now())
    create_session(course, on=date(2027, 1, 11), cost_pence=70_000)  # not held yet
    other = catalogue.get_course(create_programme(slug="elsewhere"), "mi")
    create_session(other, on=date(2026, 5, 1), cost_pence=888_888)

    assert training_by_year(programme, TODAY) == {2025: 100_000, 2026: 250_000}


def test_the_summary_counts_sessions_and_recorded_spend_as_training(programme):
    create_locality(programme, go_live=date(2027, 6, 1))
    line = add_line(programme, category="training", pounds=20_000)
    spend.record_spend(line, SpendValues(1, 100_000), None)
    create_session(catalogue.get_course(programme, "mi"), on=date(2026, 9, 1), cost_pence=600_000)

    summary = finance_summary(programme, TODAY)

    assert [year.year for year in summary.years] == [2026, 2027, 2028, 2029]
    training = summary.years[0].categories[0]
    assert (training.figures.budget, training.figures.actual) == (2_000_000, 700_000)
    assert summary.unfunded_warning == "No funding recorded after March 2027"


def test_spend_for_an_unknown_category_is_refused_naming_the_categories(programme):
    with pytest.raises(ServiceError) as refused:
        spend.record_spend_for(programme, 2026, "catering", None, 1, 10_000)
    assert refused.value.message == (
        "“catering” is not a spend category: the categories are training, staffing, systems, "
        "improvement partner and other."
    )
    assert refused.value.field == "category"
