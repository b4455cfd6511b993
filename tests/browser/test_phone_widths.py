"""The pages a programme manager and the board open on a phone fit it: at 320 px (also what a
1280 px window shows at 400% zoom, WCAG 1.4.10) and 375 px nothing scrolls sideways, neither
the page nor a table in its own box, because the wide tables stack into labelled rows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from programme.extensions import db
from programme.models import User
from programme.services.demo import load_demo, read_demo
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "/programmes/somerset",
    "locality": "/programmes/somerset/localities/taunton",
    "board": "/programmes/somerset/readiness",
    "training": "/programmes/somerset/training",
    "milestones": "/programmes/somerset/milestones?overdue=yes&sort=due",
    "locality readiness": "/programmes/somerset/localities/taunton/readiness",
    "audit trail": "/programmes/somerset/localities/taunton/audit",
}
# The tables that stack below 640 px on those pages, by page.
STACKED = {
    "overview": ["#localities"],
    "board": ["table.app-board"],
    "training": ["#localities", "#costs"],
    "locality": ["table.app-milestones"],
    "milestones": ["table.app-milestones"],
    "audit trail": ["#audit"],
}

# Each stacked table: whether its box scrolls sideways, and which cells carry no label.
MEASURE_STACKED = """selector => [...document.querySelectorAll(selector)].map(table => {
    const box = table.closest('.app-table-scroll') || table.parentElement;
    return {
        scrolls: box.scrollWidth > box.clientWidth,
        stacked: getComputedStyle(table).display === 'block',
        unlabelled: table.querySelectorAll('tbody td:not([data-label]), tfoot td:not([data-label])')
            .length,
    };
})"""


@pytest.mark.parametrize("width", [320, 375])
def test_the_main_pages_fit_a_phone(app, page: Page, width):
    load_demo(TODAY)
    manager = db.session.scalar(select(User).where(User.role == "programme_manager"))
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_through_form(page, manager, read_demo()["password"])

    too_wide, tables = {}, {}
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response is not None and response.ok, path
        scroll_width = page_width(page)
        if scroll_width > page.evaluate("window.innerWidth"):
            too_wide[name] = scroll_width
        for selector in STACKED.get(name, []):
            measured = page.evaluate(MEASURE_STACKED, selector)
            assert measured, f"{selector} on the {name} page"
            tables[f"{name} {selector}"] = measured
        assert_accessible(page)

    assert too_wide == {}, "pages wider than the screen (scroll width in px)"
    for table, each in tables.items():
        assert all(t == {"scrolls": False, "stacked": True, "unlabelled": 0} for t in each), (
            table,
            each,
        )


def test_the_tables_stay_tables_on_a_wide_screen(app, page: Page):
    load_demo(TODAY)
    manager = db.session.scalar(select(User).where(User.role == "programme_manager"))
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_through_form(page, manager, read_demo()["password"])

    page.goto(PAGES["board"])

    page.wait_for_load_state("load")
    board = page.locator("table.app-board").first
    assert board.evaluate("table => getComputedStyle(table).display") == "table"
    assert page.locator("table.app-board thead").first.is_visible()
