"""A programme manager records a quarter's spend in a real browser and sees the finance page
change; the finance pages fit a 320 px phone (their tables stacked into labelled rows) and pass
axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from programme.services.finance import budget_lines
from programme.services.finance.budget_lines import LineValues
from programme.services.training import catalogue
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.browser.test_phone_widths import MEASURE_STACKED
from tests.builders import create_locality, create_programme, create_session, create_user

pytestmark = pytest.mark.browser


def _business_case():
    programme = create_programme(slug="bury")
    create_locality(programme, go_live=date(2027, 6, 1))
    budget_lines.add_line(programme, LineValues(2026, "staffing", "DfE grant", 65_500_000), None)
    budget_lines.add_line(programme, LineValues(2026, "training", "Council", 1_800_000), None)
    create_session(catalogue.get_course(programme, "mi"), on=date(2026, 9, 1), cost_pence=600_000)
    return programme


def test_a_programme_manager_records_a_quarters_spend(live_server, page: Page):
    programme = _business_case()
    sign_in_through_form(page, create_user("programme_manager"))

    page.goto(f"/programmes/{programme.slug}/finance")
    assert_accessible(page)
    expect(page.locator("#unfunded")).to_contain_text("No funding recorded after March 2027")
    page.get_by_role("link", name="Record spend").first.click()
    assert_accessible(page)
    page.get_by_label("Budget line").select_option(label="Staffing 2026/27 (DfE grant)")
    page.get_by_label("Quarter").select_option(label="Q2 (July to September)")
    page.get_by_label("Amount in pounds").fill("£150,000")
    page.get_by_label("Description (optional)").fill("Agency social workers")
    page.get_by_role("button", name="Save spend").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Recorded £150,000 in Q2 2026/27 against Staffing 2026/27 (DfE grant)."
    )
    assert_accessible(page)
    page.goto(f"/programmes/{programme.slug}/finance")
    row = page.locator('#years tr[data-year="2026"]')
    expect(row.locator('[data-field="actual"]')).to_have_text("£156,000")


@pytest.mark.parametrize("width", [320])
def test_the_finance_pages_fit_a_phone(live_server, page: Page, width):
    programme = _business_case()
    sign_in_through_form(page, create_user("programme_manager"))
    page.set_viewport_size({"width": width, "height": 800})

    for path, tables in (
        ("/finance", ["#years", "#funding", "#year-2026 table"]),
        ("/finance/budget-lines", ["#budget-lines"]),
    ):
        page.goto(f"/programmes/{programme.slug}{path}")
        assert page_width(page) <= width, path
        for selector in tables:
            measured = page.evaluate(MEASURE_STACKED, selector)
            assert measured and all(
                each == {"scrolls": False, "stacked": True, "unlabelled": 0} for each in measured
            ), (path, selector, measured)
        assert_accessible(page)
