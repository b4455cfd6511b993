"""The finance pages: budget against actual against forecast, the budget lines and their spend,
adding and changing them (errors naming the field, 409 over someone else's change), deleting
through a confirmation page, and the overview's query count."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import BudgetLine, Spend
from programme.services.finance import budget_lines, spend
from programme.services.finance.budget_lines import LineValues
from programme.services.finance.spend import SpendValues
from programme.services.training import catalogue
from tests.builders import create_locality, create_programme, create_session, create_user
from tests.pages import page_of, visible_text


@pytest.fixture
def programme(app):
    return create_programme(slug="bury")


def _url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/finance{suffix}"


def _line(programme, year=2026, category="staffing", source="DfE grant", pence=65_500_000):
    return budget_lines.add_line(programme, LineValues(year, category, source, pence), None)


def _errors(page: str) -> list[str]:
    return [
        visible_text(m) for m in re.findall(r'class="app-error-message"[^>]*>(.*?)</p>', page, re.S)
    ]


def test_the_overview_shows_budget_actual_forecast_and_flags_unfunded_years(programme, sign_in):
    create_locality(programme, go_live=date(2027, 6, 1))  # 2027/28: the horizon runs to 2029/30
    line = _line(programme, year=2026)
    _line(programme, year=2026, category="training", source="Council", pence=2_000_000)
    spend.record_spend(line, SpendValues(1, 10_000_000), None)
    create_session(catalogue.get_course(programme, "mi"), on=date(2026, 9, 1), cost_pence=600_000)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_url(programme)))

    text = visible_text(page)
    assert "No funding recorded after March 2027" in text
    assert "No budget line is recorded for 2027/28, 2028/29, 2029/30" in text
    years = re.search(r'<table[^>]*id="years".*?</table>', page, re.S).group(0)
    row = visible_text(re.search(r'<tr data-year="2026">.*?</tr>', years, re.S).group(0))
    assert row == "2026/27 Current year £675,000 £106,000 £675,000 On budget"
    training = re.search(r'<tr data-category="training">.*?</tr>', page, re.S).group(0)
    assert "including £6,000 from training sessions" in visible_text(training)
    assert 'href="/programmes/bury/training"' in page
    assert "DfE grant" in visible_text(re.search(r'id="funding".*?</table>', page, re.S).group(0))


def test_a_programme_with_no_lines_says_so(programme, sign_in):
    client = sign_in(create_user("viewer"))
    page = page_of(client.get(_url(programme)))
    assert "has no budget lines yet" in visible_text(page)
    assert "Add a budget line" not in page  # a viewer changes nothing


def test_the_overview_runs_the_same_queries_for_1_or_6_localities_and_many_lines(
    programme, sign_in, count_queries
):
    create_locality(programme)
    _line(programme)
    client = sign_in(create_user("programme_manager"))
    client.get(_url(programme))
    with count_queries() as few:
        assert client.get(_url(programme)).status_code == 200

    for n in range(5):
        create_locality(programme, go_live=date(2027 + n % 2, 5, 1))
    for year in (2025, 2026, 2027):
        for category in ("training", "systems", "other"):
            line = _line(programme, year=year, category=category, source="Council")
            spend.record_spend(line, SpendValues(2, 1_000), None)
    create_session(catalogue.get_course(programme, "mi"), on=date(2026, 9, 1), cost_pence=600_000)
    with count_queries() as many:
        assert client.get(_url(programme)).status_code == 200

    assert many.count == few.count, "\n".join(many.statements)


def test_a_programme_manager_adds_a_line_and_records_a_refund(programme, sign_in):
    client = sign_in(create_user("programme_manager"))
    response = client.post(
        _url(programme, "/budget-lines/new"),
        data={
            "financial_year": "FY26/27",
            "category": "staffing",
            "funding_source": "DfE grant",
            "organisation_id": "",
            "amount": "£655,000",
            "forecast": "",
            "note": "Cabinet report",
        },
    )
    assert response.status_code == 302
    line = db.session.scalar(select(BudgetLine))
    assert (line.financial_year, line.amount_pence, line.forecast_pence) == (2026, 65_500_000, None)

    response = client.post(
        _url(programme, "/spend/new"),
        data={"budget_line": str(line.id), "quarter": "2", "amount": "250", "is_refund": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/finance/budget-lines/{line.id}")
    assert db.session.scalar(select(Spend.amount_pence)) == -25_000
    page = page_of(client.get(response.headers["Location"]))
    assert "−£250 Refund" in visible_text(page)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("financial_year", "next year", "Enter the financial year like 2025/26."),
        ("amount", "lots", "Enter the budget in pounds, such as 655000 or £655,000.50."),
        ("amount", "-5", "The budget cannot be negative."),
        ("category", "", "Choose the category."),
        ("funding_source", "", "Enter the funding source, for example DfE grant."),
    ],
)
def test_a_bad_line_names_the_field(programme, sign_in, field, value, message):
    client = sign_in(create_user("programme_manager"))
    data = {
        "financial_year": "2026/27",
        "category": "staffing",
        "funding_source": "DfE grant",
        "organisation_id": "",
        "amount": "1000",
        **{field: value},
    }
    response = client.post(_url(programme, "/budget-lines/new"), data=data)
    assert response.status_code == 400
    page = page_of(response)
    assert message in _errors(page)[0]
    assert f'href="#{field}"' in page
    assert db.session.scalar(select(BudgetLine)) is None


def test_a_negative_amount_that_is_not_a_refund_is_refused_on_the_amount(programme, sign_in):
    line = _line(programme)
    client = sign_in(create_user("programme_manager"))
    response = client.post(
        _url(programme, "/spend/new"),
        data={"budget_line": str(line.id), "quarter": "1", "amount": "-250"},
    )
    assert response.status_code == 400
    assert "cannot be negative unless it is a refund" in _errors(page_of(response))[0]
    assert db.session.scalar(select(Spend)) is None


def test_spend_needs_a_line_and_a_quarter(programme, sign_in):
    _line(programme)
    client = sign_in(create_user("programme_manager"))
    response = client.post(_url(programme, "/spend/new"), data={"budget_line": "", "amount": "5"})
    assert response.status_code == 400
    page = page_of(response)
    assert 'href="#budget_line"' in page


def test_a_save_over_someone_elses_change_answers_409_with_the_values_saved_now(programme, sign_in):
    line = _line(programme)
    budget_lines.change_line(
        line, LineValues(2026, "staffing", "DfE grant", 70_000_000), None, expected_version=1
    )
    client = sign_in(create_user("programme_manager"))
    data = {
        "version": "1",
        "financial_year": "2026/27",
        "category": "staffing",
        "funding_source": "DfE grant",
        "organisation_id": "",
        "amount": "1",
    }
    response = client.post(_url(programme, f"/budget-lines/{line.id}/edit"), data=data)
    assert response.status_code == 409
    page = page_of(response)
    assert "Someone else changed the budget line" in visible_text(page)
    assert "£700,000" in visible_text(
        re.search(r'id="current-values".*?</dl>', page, re.S).group(0)
    )
    assert db.session.get(BudgetLine, line.id).amount_pence == 70_000_000


def test_a_stale_spend_edit_and_delete_answer_409(programme, sign_in):
    entry = spend.record_spend(_line(programme), SpendValues(1, 1_000), None)
    spend.change_spend(entry, SpendValues(1, 2_000), None, expected_version=1)
    client = sign_in(create_user("programme_manager"))
    edit = client.post(
        _url(programme, f"/spend/{entry.id}/edit"),
        data={"version": "1", "quarter": "1", "amount": "30"},
    )
    assert edit.status_code == 409
    delete = client.post(_url(programme, f"/spend/{entry.id}/delete"), data={"version": "1"})
    assert delete.status_code == 409
    assert db.session.get(Spend, entry.id).amount_pence == 2_000


def test_deleting_a_line_is_confirmed_first_and_refused_while_it_has_spend(programme, sign_in):
    line = _line(programme)
    entry = spend.record_spend(line, SpendValues(1, 1_000), None)
    client = sign_in(create_user("programme_manager"))
    page = page_of(client.get(_url(programme, f"/budget-lines/{line.id}/delete")))
    assert "cannot be deleted: 1 spend entry is recorded against it" in visible_text(page)
    refused = client.post(_url(programme, f"/budget-lines/{line.id}/delete"), data={"version": "1"})
    assert refused.status_code == 302
    assert db.session.get(BudgetLine, line.id) is not None

    confirm = page_of(client.get(_url(programme, f"/spend/{entry.id}/delete")))
    assert "Delete £10 in Q1 2026/27" in visible_text(confirm)
    assert (
        client.post(_url(programme, f"/spend/{entry.id}/delete"), data={"version": "1"}).status_code
        == 302
    )
    page = page_of(client.get(_url(programme, f"/budget-lines/{line.id}/delete")))
    assert "Delete budget line" in page
    assert (
        client.post(
            _url(programme, f"/budget-lines/{line.id}/delete"), data={"version": "1"}
        ).status_code
        == 302
    )
    assert db.session.scalar(select(BudgetLine)) is None


def test_a_viewer_sees_the_pages_but_cannot_change_them(programme, sign_in):
    line = _line(programme)
    client = sign_in(create_user("viewer"))
    assert client.get(_url(programme, "/budget-lines")).status_code == 200
    page = page_of(client.get(_url(programme, f"/budget-lines/{line.id}")))
    assert "Record spend" not in page
    assert client.get(_url(programme, "/budget-lines/new")).status_code == 403
    assert client.post(_url(programme, "/spend/new"), data={}).status_code == 403


def test_the_spend_form_offers_only_budget_lines_and_preselects_the_lines_own(programme, sign_in):
    client = sign_in(create_user("programme_manager"))
    page = page_of(client.get(_url(programme, "/spend/new")))
    assert "has none yet" in visible_text(page)

    line = _line(programme)
    page = page_of(client.get(_url(programme, f"/spend/new?line={line.id}")))
    assert f'<option selected value="{line.id}">Staffing 2026/27 (DfE grant)</option>' in page
