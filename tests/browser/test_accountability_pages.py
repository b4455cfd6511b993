"""The accountability pages in a real browser: an administrator reads the security log from the
Admin menu and filters it; a board member opens the programme's audit trail from the overview
and filters it by channel. Both pages pass axe-core's WCAG 2.2 AA rules and fit 320 px."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from programme.extensions import db
from programme.models import AuditEvent, SecurityEvent
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user

pytestmark = pytest.mark.browser


def _fits(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page_width(page) <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_admin_reads_and_filters_the_security_log(app, page: Page):
    admin = create_user("admin", name="Ada Admin")
    for kind, email in (("sign_in_failed", "bob@example.org"), ("refused", "vic@example.org")):
        db.session.add(
            SecurityEvent(
                kind=kind,
                email=email,
                address="203.0.113.7",
                path="/admin/users" if kind == "refused" else None,
                detail="403 GET" if kind == "refused" else "",
                at=datetime(2026, 11, 2, 9, tzinfo=UTC),
            )
        )
    db.session.commit()

    sign_in_through_form(page, admin)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Security log", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Security log")
    assert_accessible(page)
    _fits(page)

    page.get_by_label("What happened").select_option("Sign-in failed")
    page.get_by_role("button", name="Filter events").click()
    expect(page.locator("#security-events tbody tr")).to_have_count(1)
    expect(page.locator("#security-events")).to_contain_text("bob@example.org")

    page.goto("/admin/security?date_from=2026-13-01")
    expect(page.locator(".app-error-summary")).to_be_visible()
    assert_accessible(page)


def test_a_board_member_filters_the_programme_audit_trail_by_channel(app, page: Page):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    ada = create_user("programme_manager", name="Ada Lovelace")
    for channel, summary in (("cli", "Gate threshold changed"), ("web", "Locality renamed")):
        db.session.add(
            AuditEvent(
                actor_id=ada.id,
                action="update",
                channel=channel,
                entity_type="gate_criterion",
                entity_id=1,
                summary=summary,
                programme_id=programme.id,
                locality_id=mendip.id if channel == "web" else None,
                at=datetime(2026, 11, 2, 9, tzinfo=UTC),
            )
        )
    db.session.commit()
    board = create_user("board_member", name="Bea Board")

    sign_in_through_form(page, board)
    page.goto("/programmes/somerset")
    page.get_by_role("link", name="Programme audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme audit trail")
    assert_accessible(page)
    _fits(page)

    page.get_by_label("Made through").select_option("Command line")
    page.get_by_role("button", name="Filter changes").click()
    expect(page.locator("#audit")).to_contain_text("command line, acting as Ada Lovelace")
    expect(page.locator("#audit")).not_to_contain_text("Locality renamed")
