"""The outcomes pages in a real browser: each passes axe, fits a 320 px phone without scrolling
sideways, and a programme manager records a value that the chart and its table then show."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from programme.services.outcomes import catalogue, targets, values
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

KEY = "children-looked-after"


def _programme_with_values():
    programme = create_programme(slug="somerset")
    first = create_locality(
        programme, name="Bridgwater", slug="bridgwater", go_live=date(2026, 1, 12)
    )
    later = create_locality(
        programme, name="Mendip", slug="mendip", wave=2, go_live=date(2026, 6, 1)
    )
    indicator = catalogue.get_indicator(programme, KEY)
    targets.set_target(
        first,
        indicator,
        None,
        baseline_value=64.0,
        baseline_on=date(2025, 12, 31),
        target_change_percent=-30,
        today=TODAY,
    )
    for month in range(1, 11):
        values.record_value(first, indicator, date(2026, month, 1), 64.0 - month, None)
    for month in range(5, 11):
        values.record_value(later, indicator, date(2026, month, 1), 70.0 - month / 2, None)
    return programme


def test_the_outcomes_pages_pass_axe_and_fit_a_phone(app, page: Page):
    _programme_with_values()
    manager = create_user("programme_manager")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_through_form(page, manager)

    too_wide = {}
    for path in (
        "/programmes/somerset/outcomes",
        f"/programmes/somerset/outcomes/{KEY}",
        "/programmes/somerset/outcomes/new",
        f"/programmes/somerset/outcomes/{KEY}/bridgwater/target",
        f"/programmes/somerset/outcomes/{KEY}/bridgwater/values/new",
        f"/programmes/somerset/outcomes/{KEY}/bridgwater/values/2026-05/delete",
    ):
        response = page.goto(path)
        assert response is not None and response.ok, path
        if page_width(page) > page.evaluate("window.innerWidth"):
            too_wide[path] = page_width(page)
        assert_accessible(page)

    assert too_wide == {}


def test_a_programme_manager_records_a_value_and_sees_it_in_the_table(app, page: Page):
    _programme_with_values()
    manager = create_user("programme_manager")
    sign_in_through_form(page, manager)
    page.goto(f"/programmes/somerset/outcomes/{KEY}")

    page.get_by_role("link", name="Record a value for Mendip").click()
    page.get_by_label("Period").fill("2026-11")
    page.get_by_label("Value").fill("60.5")
    page.get_by_role("button", name="Save value").click()

    expect(page.get_by_text("Recorded Children looked after")).to_be_visible()
    row = page.locator("#values-mendip tr[data-period='2026-11']")
    expect(row).to_contain_text("60.5 per 10,000 children")
