"""An administrator erases a person in a real browser (issue 16): from the Users page to the
erasure page, a refused submission without a reason (its error summary), then the erasure; the
subject access page too. Every page passes axe-core's WCAG 2.2 AA rules, and reflows at 320px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_user

pytestmark = pytest.mark.browser


def test_an_administrator_erases_a_person_with_a_reason(page: Page, live_server: str):
    admin = create_user("admin", name="Ada Admin")
    create_user("viewer", name="Rosa Quint", email="rosa.quint@example.org")

    sign_in_through_form(page, admin)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="erase a person's personal data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase a person's personal data")
    assert_accessible(page)

    page.get_by_label("E-mail address of the person to erase").fill("rosa.quint@example.org")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for erasing this person.")
    assert_accessible(page)

    page.get_by_label("Reason for erasing").fill("Erasure request ref DP-12")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("the person is now Erased person 1 everywhere")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page_width(page) <= 320

    page.goto(f"{live_server}/admin/subject-access")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access export")
    assert_accessible(page)
