"""Issue 20's journey in a real browser: a programme manager records a quarter's spend and sees
the business case's payback year and its chart's text alternative move; then records an
indicator value and sees the indicator's chart gain a point and its standing change. Each chart
carries a title and a description (its text alternative); every page visited passes axe."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from programme.services.finance import budget_lines
from programme.services.finance.budget_lines import LineValues
from programme.services.outcomes import catalogue, targets, values
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user
from tests.business_case_builders import create_scenario
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

SLUG = "bury"
KEY = "children-looked-after"


def _programme():
    """Bury, live in Radcliffe since January 2026, budgeted over 2025/26 to 2027/28. 2025/26 has
    ended with nothing spent, so it costs nothing until spend is recorded against it; the High
    scenario pays back in 2026/27 on that, and only in 2028/29 once £400,000 is spent in 2025/26.
    Radcliffe's children looked after stand worse than the baseline ("Moving away")."""
    programme = create_programme(slug=SLUG)
    radcliffe = create_locality(
        programme, name="Radcliffe", slug="radcliffe", state="live", go_live=date(2026, 1, 12)
    )
    for year, pence in ((2025, 400_000_00), (2026, 300_000_00), (2027, 300_000_00)):
        budget_lines.add_line(programme, LineValues(year, "staffing", "Council", pence), None)
    create_scenario(programme, "High", {2026: 350_000_00, 2027: 300_000_00, 2028: 400_000_00})
    indicator = catalogue.get_indicator(programme, KEY)
    targets.set_target(
        radcliffe,
        indicator,
        None,
        baseline_value=64.0,
        baseline_on=date(2025, 12, 31),
        target_change_percent=-30,
        today=TODAY,
    )
    for month, value in ((8, 63.0), (9, 65.0), (10, 66.0)):
        values.record_value(radcliffe, indicator, date(2026, month, 1), value, None)
    return programme


def _text_alternative(chart: Locator) -> tuple[str, str]:
    """The chart's <title> and <desc>, both required to say something."""
    title = chart.locator("title").text_content() or ""
    desc = chart.locator("desc").text_content() or ""
    assert title.strip() and desc.strip(), (title, desc)
    return title, desc


def test_spend_moves_the_payback_year_and_a_value_moves_the_indicator(live_server, page: Page):
    _programme()
    sign_in_through_form(page, create_user("programme_manager"))
    case_url = f"/programmes/{SLUG}/finance/business-case"
    payback = page.locator("#paybacks [data-field='payback']")
    payback_chart = page.locator("svg[aria-labelledby='payback-chart-title payback-chart-desc']")

    page.goto(case_url)
    expect(payback).to_have_text("Pays back in 2026/27")
    _title, before = _text_alternative(payback_chart)
    assert "The High scenario avoids £1,050,000 by 2029/30 and pays back in 2026/27." in before
    assert_accessible(page)

    page.goto(f"/programmes/{SLUG}/finance/spend/new")
    page.get_by_label("Budget line").select_option(label="Staffing 2025/26 (Council)")
    page.get_by_label("Quarter").select_option(label="Q4 (January to March)")
    page.get_by_label("Amount in pounds").fill("400,000")
    page.get_by_role("button", name="Save spend").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded £400,000 in Q4 2025/26")

    page.goto(case_url)
    expect(payback).to_have_text("Pays back in 2028/29")
    _title, after = _text_alternative(payback_chart)
    assert "cumulative cost from 2025/26 to 2029/30 reaches £1,000,000." in after
    assert "The High scenario avoids £1,050,000 by 2029/30 and pays back in 2028/29." in after
    assert after != before
    expect(
        page.locator("#business-case-table tr[data-year='2025'] [data-field='cost']")
    ).to_have_text("£400,000")
    assert_accessible(page)

    # The indicator: three values on the chart and in its table, worse than the baseline.
    page.goto(f"/programmes/{SLUG}/outcomes/{KEY}")
    section = page.locator("#locality-radcliffe")
    trend = section.locator("svg.app-chart__svg")
    rows = section.locator("#values-radcliffe tbody tr")
    expect(rows).to_have_count(3)
    points_before = trend.locator("circle.app-chart__marker").count()
    expect(section.locator("[data-field='status']")).to_have_text("Moving away")
    _title, trend_before = _text_alternative(trend)
    assert "3 values" in trend_before and "moving away" in trend_before

    section.get_by_role("link", name="Record a value for Radcliffe").click()
    assert_accessible(page)
    page.get_by_label("Period").fill("2026-11")
    page.get_by_label("Value").fill("58")
    page.get_by_role("button", name="Save value").click()

    expect(page.get_by_text("Recorded Children looked after")).to_be_visible()
    expect(rows).to_have_count(4)
    expect(section.locator("#values-radcliffe tr[data-period='2026-11']")).to_contain_text(
        "58 per 10,000 children"
    )
    # A point on the locality's line and one on its baseline line: two more markers.
    assert trend.locator("circle.app-chart__marker").count() == points_before + 2
    expect(section.locator("[data-field='status']")).to_have_text("On track")
    _title, trend_after = _text_alternative(trend)
    assert "4 values" in trend_after and "on track" in trend_after
    _text_alternative(page.locator("#comparison svg.app-chart__svg"))
    assert_accessible(page)
