"""The business case page: cumulative cost against each scenario's cumulative avoided cost as a
chart with its text alternative and the table of the same figures, the year each scenario pays
back; what to add when nothing is recorded; and the scenario forms with their refusals. Today is
30 November 2026 (2026/27)."""

from __future__ import annotations

import re

import pytest
from flask import g

from programme.extensions import db
from programme.models import CostScenario, ScenarioYear
from programme.services import business_case
from tests.builders import create_locality, create_programme, create_user
from tests.business_case_builders import create_budget_line, create_scenario, create_spend
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread


@pytest.fixture
def programme(app):
    return create_programme(slug="westshire")


@pytest.fixture
def manager(app):
    return create_user("programme_manager")


def _url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/finance/business-case{suffix}"


def _bury(programme) -> tuple[CostScenario, CostScenario]:
    """Spent in 2025/26, budgeted for 2026/27 and 2027/28; a low and a high scenario."""
    spent = create_budget_line(programme, 2025, 400_000_00)
    create_spend(spent, 350_000_00)
    create_spend(spent, -10_000_00, quarter=2, description="Refund")
    create_budget_line(programme, 2026, 500_000_00)
    create_budget_line(programme, 2027, 300_000_00)
    low = create_scenario(programme, "Low", {2026: 300_000_00, 2027: 400_000_00, 2028: 500_000_00})
    high = create_scenario(programme, "High", {2025: 300_000_00, 2026: 600_000_00})
    return low, high


def _row(page: str, year: int) -> str:
    found = re.search(rf'<tr data-year="{year}">(.*?)</tr>', page, re.S)
    assert found, f"no row for {year}"
    return found.group(1)


def _cell(row: str, field: str) -> str:
    found = re.search(rf'data-field="{field}">(.*?)</td>', row, re.S)
    assert found, field
    return visible_text(found.group(1))


def test_the_page_shows_each_scenarios_payback_year_in_words(programme, sign_in):
    low, high = _bury(programme)

    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))

    paybacks = re.search(r'<dl class="app-summary-list" id="paybacks">.*?</dl>', page, re.S)
    assert visible_text(paybacks.group(0)) == ("Low Pays back in 2028/29 High Pays back in 2026/27")


def test_a_scenario_that_never_catches_up_does_not_pay_back_by_the_last_year(programme, sign_in):
    create_budget_line(programme, 2026, 1_000_000_00)
    create_scenario(programme, "Cautious", {2027: 10_000_00})

    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))

    assert "Does not pay back by 2030/31" in page


def test_the_chart_has_a_title_and_a_description_stating_the_paybacks(programme, sign_in):
    _bury(programme)

    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))

    svg = re.search(r'<svg class="app-chart__svg".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="payback-chart-title">Cumulative cost against cumulative costs avoided' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "The Low scenario avoids £1,200,000 by 2029/30 and pays back in 2028/29." in desc
    assert "The High scenario avoids £900,000 by 2029/30 and pays back in 2026/27." in desc
    assert svg.count('class="app-chart__line ') == 3  # the cost and one line per scenario
    legend = re.search(r'<ul class="app-chart__legend">.*?</ul>', page, re.S).group(0)
    assert visible_text(legend) == "Cumulative cost Low High"


def test_the_table_beneath_gives_the_same_figures_year_by_year(programme, sign_in):
    low, high = _bury(programme)

    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))

    assert page.index('id="payback-chart-title"') < page.index('id="business-case-table"')
    ended = _row(page, 2025)
    assert "2025/26 spent" in visible_text(ended)
    assert _cell(ended, "cost") == "£340,000"  # spend less the refund
    assert _cell(ended, f"avoided-{high.id}") == "£300,000"
    current = _row(page, 2026)
    assert "2026/27 forecast" in visible_text(current)
    assert _cell(current, "cost") == "£500,000"
    assert _cell(current, "cumulative-cost") == "£840,000"
    assert _cell(current, f"avoided-{low.id}") == "£300,000"
    assert _cell(current, f"cumulative-avoided-{high.id}") == "£900,000"
    assert _cell(_row(page, 2028), f"cumulative-avoided-{low.id}") == "£1,200,000"
    assert 'data-label="Low: cumulative avoided"' in current  # read as stacked rows on a phone
    assert 'class="app-table app-table--stack"' in page


def test_with_nothing_recorded_a_manager_is_told_what_to_add(programme, manager, sign_in):
    page = page_of(sign_in(manager).get(_url(programme)))

    assert "No budget is recorded for Somerset Family Safeguarding yet." in page
    assert "Add the programme's budget lines on its finance pages" in visible_text(page)
    assert 'href="/programmes/westshire/finance/budget-lines">finance pages</a>' in page
    assert "The business case has no cost-avoidance scenarios yet." in page
    assert f'href="{_url(programme, "/scenarios/new")}"' in page
    assert 'id="payback-chart-title"' not in page


def test_a_viewer_is_told_what_is_missing_without_links_to_forms(programme, sign_in):
    create_scenario(programme, "Low", {2026: 100_00})

    page = page_of(sign_in(create_user("viewer")).get(_url(programme)))

    assert "No budget is recorded for Somerset Family Safeguarding yet." in page
    assert "Add the programme's budget lines" not in page
    assert "/scenarios/" not in page
    assert 'id="payback-chart-title"' in page  # the scenario is drawn against no cost


def test_a_manager_adds_a_scenario_then_enters_its_years(programme, manager, sign_in):
    client = sign_in(manager)

    added = client.post(_url(programme, "/scenarios/new"), data={"name": "High"})

    scenario = db.session.query(CostScenario).one()
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/scenarios/{scenario.id}/years")
    years = client.get(added.headers["Location"])
    page = page_of(years)
    assert "Added the High scenario: enter the costs it avoids each year." in page
    assert [
        label for label in re.findall(r'<label class="app-label" for="year_\d+">(.*?)<', page)
    ] == [
        "2026/27",
        "2027/28",
        "2028/29",
        "2029/30",
        "2030/31",
        "2031/32",
        "2032/33",
    ]

    saved = client.post(
        years.request.path,
        data={"version": "1", "year_2026": "£1,200,000", "year_2027": "1.5m", "year_2028": ""},
    )

    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"#scenario-{scenario.id}")
    assert {y.financial_year: y.avoided_pence for y in reread(scenario).years} == {
        2026: 1_200_000_00,
        2027: 1_500_000_00,
    }
    shown = page_of(client.get(saved.headers["Location"]))
    assert "Saved the High scenario's avoided costs for 2026/27, 2027/28." in shown


def test_a_year_the_submitted_form_did_not_carry_keeps_its_amount(programme, manager, sign_in):
    low = create_scenario(programme, "Low", {2026: 100_00, 2030: 500_00})

    answer = sign_in(manager).post(
        _url(programme, f"/scenarios/{low.id}/years"), data={"version": "1", "year_2026": "200"}
    )

    assert answer.status_code == 302
    assert {y.financial_year: y.avoided_pence for y in reread(low).years} == {
        2026: 200_00,
        2030: 500_00,
    }


def test_the_years_form_shows_the_amounts_saved(programme, manager, sign_in):
    low = create_scenario(programme, "Low", {2026: 1_097_000_00})

    page = page_of(sign_in(manager).get(_url(programme, f"/scenarios/{low.id}/years")))

    assert re.search(r'id="year_2026"[^>]*value="£1,097,000"', page)


def test_bad_and_negative_amounts_are_refused_naming_the_year_and_nothing_is_saved(
    programme, manager, sign_in
):
    low = create_scenario(programme, "Low", {2026: 100_00})

    answer = sign_in(manager).post(
        _url(programme, f"/scenarios/{low.id}/years"),
        data={"version": "1", "year_2026": "200", "year_2027": "lots", "year_2028": "-£5"},
    )

    assert answer.status_code == 400
    summary = re.search(r'<div class="app-error-summary".*?</div>', page_of(answer), re.S).group(0)
    assert '<a href="#year_2027">Enter the avoided cost for 2027/28 in pounds' in summary
    assert '<a href="#year_2028">The avoided cost for 2028/29 cannot be negative' in summary
    assert {y.financial_year: y.avoided_pence for y in reread(low).years} == {2026: 100_00}


def test_years_saved_over_someone_elses_change_answer_409_with_the_values_saved(
    programme, manager, sign_in
):
    low = create_scenario(programme, "Low", {2026: 100_00})
    business_case.set_avoided_costs(low, {2026: 150_00}, None)

    answer = sign_in(manager).post(
        _url(programme, f"/scenarios/{low.id}/years"), data={"version": "1", "year_2026": "999"}
    )

    assert answer.status_code == 409
    page = page_of(answer)
    assert "Someone else changed the Low scenario after you opened it." in page
    current = re.search(r'<dl class="app-summary-list" id="current-values">.*?</dl>', page, re.S)
    assert visible_text(current.group(0)) == "2026/27 £150"
    assert reread(low).years[0].avoided_pence == 150_00


def test_a_duplicate_or_blank_name_is_refused_naming_the_field(programme, manager, sign_in):
    create_scenario(programme, "Low")
    client = sign_in(manager)

    taken = client.post(_url(programme, "/scenarios/new"), data={"name": " low "})
    blank = client.post(_url(programme, "/scenarios/new"), data={"name": ""})

    assert taken.status_code == 400
    assert '<a href="#name">There is already a scenario called “Low”.</a>' in page_of(taken)
    assert blank.status_code == 400
    assert '<a href="#name">Enter the scenario\'s name, for example Low or High.</a>' in page_of(
        blank
    )
    assert count_rows(CostScenario) == 1


def test_renaming_a_scenario(programme, manager, sign_in):
    low = create_scenario(programme, "Low")
    client = sign_in(manager)
    form = page_of(client.get(_url(programme, f"/scenarios/{low.id}/rename")))
    assert 'value="Low"' in form

    renamed = client.post(
        _url(programme, f"/scenarios/{low.id}/rename"), data={"version": "1", "name": "Lower"}
    )

    assert renamed.status_code == 302
    assert reread(low).name == "Lower"
    assert "Renamed the Low scenario Lower." in page_of(client.get(renamed.headers["Location"]))


def test_deleting_a_scenario_asks_first_then_deletes_it_and_its_years(programme, manager, sign_in):
    low = create_scenario(programme, "Low", {2026: 100_00, 2027: 200_00})
    low_id = low.id
    client = sign_in(manager)

    confirm = page_of(client.get(_url(programme, f"/scenarios/{low_id}/delete")))
    assert "Delete the Low scenario?" in confirm
    assert "the costs it avoids each year (2 years) are deleted" in confirm
    assert count_rows(CostScenario) == 1

    deleted = client.post(_url(programme, f"/scenarios/{low_id}/delete"), data={"version": "1"})

    assert deleted.status_code == 302
    assert count_rows(CostScenario) == count_rows(ScenarioYear) == 0
    assert "Deleted the Low scenario." in page_of(client.get(deleted.headers["Location"]))
    assert [e.action for e in audit_events_for("cost_scenario", low_id)] == ["delete"]


def test_deleting_over_someone_elses_change_answers_409_and_keeps_it(programme, manager, sign_in):
    low = create_scenario(programme, "Low")
    business_case.rename_scenario(low, "Lower", None)

    answer = sign_in(manager).post(
        _url(programme, f"/scenarios/{low.id}/delete"), data={"version": "1"}
    )

    assert answer.status_code == 409
    assert "Delete the Lower scenario?" in page_of(answer)
    assert count_rows(CostScenario) == 1


def test_another_programmes_scenario_is_not_found(programme, manager, sign_in):
    other = create_scenario(create_programme("Eastshire", slug="eastshire"), "Low")

    answer = sign_in(manager).get(_url(programme, f"/scenarios/{other.id}/years"))

    assert answer.status_code == 404


def _new_request() -> None:
    db.session.remove()
    g.pop("_login_user", None)


def _queries(client, url, count_queries) -> int:
    _new_request()
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_the_page_runs_the_same_queries_for_1_or_6_localities_and_1_or_3_scenarios(
    programme, sign_in, count_queries
):
    create_locality(programme)
    spent = create_budget_line(programme, 2025, 400_000_00)
    create_spend(spent, 100_000_00)
    create_scenario(programme, "Low", {2026: 100_00})
    client = sign_in(create_user("viewer"))
    url = _url(programme)
    client.get(url)
    few = _queries(client, url, count_queries)

    programme = reread(programme)
    for _number in range(5):
        create_locality(programme)
    for year in (2026, 2027, 2028):
        create_spend(create_budget_line(programme, year, 100_00, category="systems"), 50_00)
    create_scenario(programme, "Mid", {2026: 100_00, 2027: 200_00})
    create_scenario(programme, "High", {2026: 100_00, 2027: 200_00, 2028: 300_00})
    many = _queries(client, url, count_queries)

    assert many == few
