"""A board member, who must use two-factor sign-in, sets it up in a real browser and signs in
with a code.

Signing in for the first time, she is taken straight to the set-up page (every other page sends
her there). She reads the key shown for typing in, as an authenticator app would take it,
confirms a code, and is shown her ten recovery codes once. Signed out and back in, the password
alone does not let her in: the code step asks for the code her app shows, and then she is in.
Every page passes axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.two_factor import code_for

pytestmark = pytest.mark.browser


@pytest.fixture
def live_settings() -> dict:
    return {"REQUIRE_2FA_ROLES": "admin,board_member"}


def test_a_board_member_sets_up_two_factor_sign_in_and_signs_in_with_a_code(page: Page):
    member = create_user("board_member", name="Bea Board")

    sign_in_through_form(page, member)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_text("Your role needs two-factor sign-in")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code for setting up your authenticator app")
    ).to_be_visible()
    assert_accessible(page)

    page.goto("/my-milestones")  # any other page sends her back
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")

    expect(
        page.get_by_role("heading", name="Cannot scan it? Type this key into the app instead")
    ).to_be_visible()
    key = page.locator("#secret").inner_text()
    secret = key.replace(" ", "")
    page.get_by_label("Code", exact=True).fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.get_by_text("On", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("E-mail address", exact=True).fill(member.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert_accessible(page)
    # The code used to set it up is spent: her app's next one is accepted.
    page.get_by_label("Code from your authenticator app").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.get_by_text("Signed in as Bea Board")).to_be_visible()
    page.goto("/my-milestones")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Set up two-factor sign-in")
