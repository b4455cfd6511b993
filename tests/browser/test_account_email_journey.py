"""Accounts by e-mail in a real browser, with mail going through a real SMTP server (aiosmtpd).

An administrator adds a user, who gets an invitation, opens its link, chooses a password and
signs in. Someone who has forgotten their password asks for a link, uses it once, and the same
link a second time gets a clear page. A signed-in user changes their own password. Every new page
passes axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from programme.services.account_links import issue_link
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.mail_server import Received, SmtpServer

pytestmark = pytest.mark.browser

NEW_PASSWORD = "copper kettle harbour lantern"


def _mail_to(smtp_server: SmtpServer, address: str, count: int = 1) -> Received:
    """The `count`-th message to `address`, waiting a moment for it (a reset link is sent just
    after the answer page; the wait ends as soon as it arrives)."""
    deadline = time.monotonic() + 45  # generous: a loaded CI machine once took over 20 s
    while len(smtp_server.to(address)) < count:
        assert time.monotonic() < deadline, f"no message {count} to {address}"
        time.sleep(0.05)
    return smtp_server.to(address)[count - 1]


def _link_path(mail: Received, prefix: str) -> str:
    """The path of the link the message carries (the app's base URL is not the test server's)."""
    url = re.search(rf"http\S+/{prefix}/[A-Za-z0-9_-]+", mail.part("plain")).group(0)
    return urlsplit(url).path


def _choose_password(page: Page, password: str, confirm: str | None = None) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password", exact=True).fill(confirm or password)


def _sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_an_invited_user_chooses_a_password_from_the_e_mailed_link_and_signs_in(
    smtp_server: SmtpServer, page: Page
):
    admin = create_user("admin", name="Ada Admin")
    sign_in_through_form(page, admin)

    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Add a user", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a user")
    expect(page.get_by_label("Initial password")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Full name", exact=True).fill("Nia Person")
    page.get_by_label("E-mail address", exact=True).fill("nia@example.org")
    page.get_by_label("Role", exact=True).select_option(label="Trainer")
    page.get_by_role("button", name="Add user and send invitation").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Added Nia Person as Trainer. The invitation was e-mailed to nia@example.org."
    )
    row = page.locator("#users tr", has_text="Nia Person")
    expect(row.get_by_text("Invited", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name="Resend invitation to Nia Person")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Sign out")).click()

    # Nia opens the link in her e-mail.
    mail = _mail_to(smtp_server, "nia@example.org")
    assert mail.subject == "You are invited to the Family Safeguarding programme tracker"
    page.goto(_link_path(mail, "invitation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    expect(page.get_by_text("Welcome, Nia Person.")).to_be_visible()
    assert_accessible(page)

    _choose_password(page, NEW_PASSWORD, "not the same words at all")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("The passwords do not match")
    assert_accessible(page)

    _choose_password(page, NEW_PASSWORD)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text("You have joined.")
    _sign_in(page, "nia@example.org", NEW_PASSWORD)
    expect(page.get_by_text("Signed in as Nia Person")).to_be_visible()


def test_a_reset_link_works_once(smtp_server: SmtpServer, page: Page):
    user = create_user("viewer", name="Ann Jones", email="ann@example.org")

    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten your password?")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()  # nothing typed
    expect(page.get_by_role("alert").first).to_contain_text("Enter your e-mail address.")
    assert_accessible(page)
    page.get_by_label("E-mail address", exact=True).fill("ann@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_text("If ann@example.org has an account")).to_be_visible()
    assert_accessible(page)

    link = _link_path(_mail_to(smtp_server, user.email), "password/reset")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    assert_accessible(page)
    _choose_password(page, NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("You have changed your password.")

    # The same link again: a clear page, and the password chosen stands.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    expect(page.get_by_text("Nothing has been changed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sign in", exact=True).click()
    _sign_in(page, user.email, DEFAULT_PASSWORD)
    expect(page.get_by_text("The e-mail address or password is not right.").first).to_be_visible()
    _sign_in(page, user.email, NEW_PASSWORD)
    expect(page.get_by_text("Signed in as Ann Jones")).to_be_visible()


def test_a_signed_in_user_changes_their_password(page: Page):
    user = create_user("viewer", name="Val Viewer")
    sign_in_through_form(page, user)

    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_label("Current password", exact=True).fill("not my password at all")
    _choose_password(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your current password is not right.")
    assert_accessible(page)

    page.get_by_label("Current password", exact=True).fill(DEFAULT_PASSWORD)
    _choose_password(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed.")
    expect(page.get_by_text("Signed in as Val Viewer")).to_be_visible()


def _too_wide(page: Page, paths: list[str]) -> dict[str, int]:
    widths = {}
    for path in paths:
        page.goto(path)
        widths[path] = page_width(page)
    return {path: width for path, width in widths.items() if width > 320}


def test_the_account_e_mail_pages_fit_a_320_pixel_screen(app, page: Page):
    user = create_user("admin", name="Ada Admin")
    token = issue_link(user, "password_reset").token
    page.set_viewport_size({"width": 320, "height": 800})

    public = ["/login", "/password/forgotten", f"/password/reset/{token}", "/invitation/not-valid"]
    assert _too_wide(page, public) == {}, "pages wider than the screen (scroll width in px)"
    sign_in_through_form(page, user)
    signed_in = ["/account/password", "/admin/users/new", "/admin/users"]
    assert _too_wide(page, signed_in) == {}, "pages wider than the screen (scroll width in px)"
