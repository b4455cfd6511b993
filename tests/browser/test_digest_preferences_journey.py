"""E-mail reminders in a real browser.

A trainer with a milestone due signs in, follows "Your account" and "change your e-mail
reminders", unticks the weekly digest and saves: the page says so, shows the box unticked, the
choice is saved, and the next weekly run sends her nothing.

Someone with no session opens the unsubscribe link a digest carries (built on APP_BASE_URL, here
the live server): the page names whose digest it is and changes nothing until they press
"Unsubscribe"; then the digest is off. The page's link to turn it on again asks them to sign in
and brings them back to their e-mail reminders. Every page passes axe-core's WCAG 2.2 AA rules
and fits a 320 px wide screen.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from programme.extensions import db
from programme.models import DigestPreference
from programme.services.mail import unsubscribe
from programme.services.reminders.digests import TURNED_OFF, plan_digests
from programme.services.reminders.weekly import send_week
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import DEFAULT_PASSWORD, create_locality, create_milestone, create_user
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


def _saved_preference(user) -> DigestPreference | None:
    db.session.expire_all()
    return db.session.get(DigestPreference, user.id)


def _fits_320_pixels(page: Page) -> None:
    assert page_width(page) <= 320, page.url


def test_a_user_turns_the_weekly_digest_off_and_the_next_run_skips_them(page: Page, smtp_server):
    user = create_user("trainer", name="Tess Trainer")
    # A milestone of hers due this week: she has something to act on.
    create_milestone(create_locality(), owner_id=user.id, due=TODAY + timedelta(days=3))
    assert [digest.user.id for digest in plan_digests(TODAY).digests] == [user.id]

    sign_in_through_form(page, user)
    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="change your e-mail reminders", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail reminders")
    digest = page.get_by_role("checkbox", name="Send me the weekly digest", exact=True)
    expect(digest).to_be_checked()
    expect(page.get_by_role("checkbox", name="Training", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="Parts of the digest")).to_be_visible()
    assert_accessible(page)

    digest.uncheck()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/account/email$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Your e-mail reminders are saved: you will not get the weekly digest."
    )
    expect(digest).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Training", exact=True)).to_be_checked()
    assert_accessible(page)
    saved = _saved_preference(user)
    assert saved is not None and not saved.enabled and saved.training

    run = send_week(TODAY)
    assert run.sent == [] and smtp_server.received == []
    assert [(skip.user.id, skip.reason) for skip in run.skipped] == [(user.id, TURNED_OFF)]


def test_the_unsubscribe_link_works_without_signing_in(app, page: Page, live_server: str):
    app.config["APP_BASE_URL"] = live_server
    user = create_user("board_member", name="Bea Board", email="bea@example.org")
    link = unsubscribe.unsubscribe_url(user)
    assert link.startswith(f"{live_server}/unsubscribe/")
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the weekly digest")
    expect(page.get_by_text("sent to Bea Board at bea@example.org")).to_be_visible()
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)  # nobody is signed in
    assert _saved_preference(user) is None  # opening the link changed nothing
    _fits_320_pixels(page)
    assert_accessible(page)

    page.get_by_role("button", name="Unsubscribe", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will not get the weekly digest any more"
    )
    saved = _saved_preference(user)
    assert saved is not None and not saved.enabled
    _fits_320_pixels(page)
    assert_accessible(page)

    # Changed her mind: the link asks her to sign in, then brings her to her e-mail reminders.
    page.get_by_role("link", name="Turn the weekly digest on again", exact=True).click()
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail reminders")
    digest = page.get_by_role("checkbox", name="Send me the weekly digest", exact=True)
    expect(digest).not_to_be_checked()
    digest.check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("you will get the weekly digest.")
    assert _saved_preference(user).enabled


def test_a_tampered_unsubscribe_link_says_so_and_changes_nothing(app, page: Page):
    user = create_user("viewer")
    token = unsubscribe.unsubscribe_token(user)

    response = page.goto(f"/unsubscribe/{token[:-4]}")

    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("This unsubscribe link does not work")
    assert_accessible(page)
    assert _saved_preference(user) is None
