"""An administrator reads the e-mail outbox in a real browser: from the users page to the
outbox, filters it to the failed messages, opens one, reads its HTML source, and resends it after
confirming. The pages pass axe-core's WCAG 2.2 AA rules and fit a 320 px wide screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from programme.extensions import db
from programme.models import OutboxMessage
from programme.services.mail import outbox
from programme.services.mail.compose import Composed
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_user

pytestmark = pytest.mark.browser


def _add(to: str, status: str, **values) -> OutboxMessage:
    message = outbox.queue(
        to=to,
        kind="digest",
        key="2026-W49",
        composed=Composed(
            "Your week: 2 milestones due",
            "Milestones due\n- Sign the information-sharing agreement (due 4 December 2026)\n",
            "<h1>Your week</h1><table><tr><th scope='col'>Milestone</th></tr></table>",
        ),
        headers={"List-Unsubscribe": "<https://tracker.example.org/unsubscribe/a-long-token>"},
    )
    db.session.flush()
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id).values(status=status, **values)
    )
    db.session.commit()
    return message


def _fits(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page_width(page) <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_admin_finds_a_failed_message_and_resends_it(app, page: Page):
    admin = create_user("admin", name="Ada Admin")
    _add("sam.long-address-for-reflow@example.org", "sent")
    _add(
        "gone@example.org",
        "failed",
        attempts=1,
        last_error="Refused by the server: 550 5.1.1 No such mailbox here",
    )

    sign_in_through_form(page, admin)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="E-mail outbox", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail outbox")
    expect(page.locator("#failed-warning")).to_contain_text("1 message failed.")
    assert_accessible(page)
    _fits(page)

    page.get_by_label("Status", exact=True).select_option("failed")
    page.get_by_role("button", name="Filter messages").click()
    expect(page.locator("#messages tbody tr")).to_have_count(1)
    expect(page.locator("#messages")).to_contain_text("550 5.1.1 No such mailbox here")

    # A week that is not one is named, and the page still passes.
    page.get_by_label("Digest week").fill("week 49")
    page.get_by_role("button", name="Filter messages").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the digest week as a year and week")
    assert_accessible(page)
    page.get_by_label("Digest week").fill("")
    page.get_by_role("button", name="Filter messages").click()

    page.get_by_role("link", name="Your week: 2 milestones due").first.click()
    expect(page.locator("[data-field=last-error]")).to_have_text(
        "Refused by the server: 550 5.1.1 No such mailbox here"
    )
    page.get_by_text("HTML version (its source)").click()
    expect(page.locator("#html-body pre")).to_contain_text("<h1>Your week</h1>")
    assert_accessible(page)
    _fits(page)

    page.get_by_role("link", name="Resend this message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Resend “Your week: 2 milestones due”?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Resend", exact=True).click()

    # The served app keeps mail in the outbox (MAIL_TRANSPORT=outbox): stored, not sent.
    expect(page.get_by_role("status")).to_contain_text("Stored again, not sent")
    expect(page.locator("[data-field=status]")).to_have_text("Stored, not sent")
