"""A programme manager adds a member in a real browser: from the overview to the members page,
adding someone by e-mail, changing their role, removing them after the confirmation page, and
inviting someone new; each page passes axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_programme, create_user

pytestmark = pytest.mark.browser


def test_a_programme_manager_manages_the_programme_s_members(app, live_server, page: Page):
    app.config["MAIL_TRANSPORT"] = "outbox"
    programme = create_programme("Westshire", "westshire", with_templates=False)
    manager = create_user("programme_manager", member_of=[programme], name="Pat Manager")
    create_user("trainer", member_of=[], name="Tia Trainer", email="tia@example.org")
    sign_in_through_form(page, manager)

    page.goto("/programmes/westshire")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Westshire")
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("tia@example.org")
    page.get_by_label("Role in this programme").select_option(label="Trainer")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("status")).to_contain_text("Added Tia Trainer to Westshire as Trainer.")
    expect(page.locator("#members")).to_contain_text("Tia Trainer")

    page.get_by_role("link", name="Change role of Tia Trainer").click()
    assert_accessible(page)
    page.get_by_label("Role in this programme").select_option(label="HR lead")
    page.get_by_role("button", name="Save role").click()
    expect(page.get_by_role("status")).to_contain_text("Tia Trainer is now HR lead in Westshire.")

    page.get_by_role("link", name="Remove Tia Trainer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Tia Trainer from Westshire?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove from Westshire").click()
    expect(page.get_by_role("status")).to_contain_text("Removed Tia Trainer from Westshire.")
    expect(page.locator("#members")).not_to_contain_text("Tia Trainer")

    page.get_by_role("link", name="Invite someone new").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("E-mail address").fill("nia@example.org")
    page.get_by_label("Role in this programme").select_option(label="Viewer")
    page.get_by_role("button", name="Add and send invitation").click()
    expect(page.locator("#members")).to_contain_text("Nia New")
    expect(page.locator("#members")).to_contain_text("Invited")

    # The list, with its e-mail addresses, reflows on a 320-pixel screen.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/programmes/westshire/members")
    assert page_width(page) <= 320
