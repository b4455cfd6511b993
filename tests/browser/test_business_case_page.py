"""The business case page on a phone and a wide screen: at 320 px nothing scrolls sideways, the
chart scales down, the table of its figures stacks into labelled rows; axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.browser.test_phone_widths import MEASURE_STACKED
from tests.builders import create_programme, create_user
from tests.business_case_builders import create_budget_line, create_scenario, create_spend

pytestmark = pytest.mark.browser

URL = "/programmes/westshire/finance/business-case"


@pytest.fixture
def manager(app):
    programme = create_programme(slug="westshire")
    spent = create_budget_line(programme, 2025, 1_081_000_00)
    create_spend(spent, 1_000_000_00)
    create_budget_line(programme, 2026, 900_000_00)
    create_scenario(programme, "Low (cabinet report)", {2026: 1_097_000_00, 2027: 1_500_000_00})
    create_scenario(programme, "High (cabinet report)", {2026: 3_291_000_00})
    create_scenario(programme, "Cautious", {2028: 100_000_00})
    return create_user("programme_manager")


@pytest.mark.parametrize("width", [320, 375])
def test_the_business_case_fits_a_phone(manager, page: Page, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_through_form(page, manager)

    response = page.goto(URL)

    assert response is not None and response.ok
    assert page_width(page) <= width
    chart = page.locator("svg.app-chart__svg").bounding_box()
    assert chart is not None and chart["width"] <= width
    assert page.evaluate(MEASURE_STACKED, "#business-case-table") == [
        {"scrolls": False, "stacked": True, "unlabelled": 0}
    ]
    assert_accessible(page)


def test_the_forms_pass_axe(manager, page: Page):
    sign_in_through_form(page, manager)
    page.goto(URL)
    assert_accessible(page)

    page.get_by_role("link", name="Change avoided costs of Cautious").click()
    page.get_by_label("2027/28").fill("-5")
    page.get_by_role("button", name="Save avoided costs").click()

    assert page.locator(".app-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("2027/28").fill("£250k")
    page.get_by_role("button", name="Save avoided costs").click()
    assert "Saved the Cautious scenario's avoided costs for 2027/28." in page.content()
    assert "£250,000" in page.locator('tr[data-year="2027"]').inner_text()
