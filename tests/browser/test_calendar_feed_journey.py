"""A trainer subscribes her calendar to the tracker in a real browser: she makes a feed address
on her account page, sees it once, a calendar (here Playwright's request client) reads her
session and milestone from it, and after she revokes it the address answers 404. The account
page and the pages on the way pass axe-core's WCAG 2.2 AA rules, and fit a 375 px phone."""

from __future__ import annotations

from datetime import date, time

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from programme.services.training import catalogue, schedule
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_milestone, create_user

pytestmark = pytest.mark.browser


def test_a_trainer_makes_reads_and_revokes_her_calendar_feed(page: Page, live_server: str):
    locality = create_locality(name="South Lakeland", slug="south-lakeland")
    trainer = create_user("trainer", name="Bethan Hurst", email="bethan.hurst@lakes.example")
    course = catalogue.get_course(locality.programme, "mi")
    session = schedule.create_session(
        course,
        1,
        date(2027, 1, 12),
        None,
        trainer=trainer,
        venue="Grange Institute",
        starts_at=time(9, 30),
    )
    create_milestone(
        locality, title="Supervisors trained", owner_id=trainer.id, due=date(2027, 2, 1)
    )

    sign_in_through_form(page, trainer)
    page.get_by_role("link", name="Your account", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar feed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Create a feed address", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed address")
    expect(page.get_by_role("alert")).to_contain_text("You will not see it again")
    address = page.get_by_label("Calendar feed address", exact=True)
    expect(address).to_have_attribute("readonly", "")
    url = address.input_value()
    assert url.startswith(f"{live_server}/calendar/") and url.endswith(".ics")
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page_width(page) <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    fetched = page.request.get(url)
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "set-cookie" not in fetched.headers
    calendar = Calendar.from_ical(fetched.body())
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert summaries == [
        f"Milestone due: Supervisors trained ({locality.name})",
        f"{course.name} — module 1: {session.module.title}",
    ]

    page.get_by_role("link", name="I have copied it: back to your account").click()
    expect(page.get_by_text("Address made")).to_be_visible()
    assert url not in page.content()
    page.set_viewport_size({"width": 375, "height": 800})
    assert page_width(page) <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Revoke the feed address", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke your calendar feed address?")
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page_width(page) <= 375
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Revoke the address", exact=True).click()
    expect(page.get_by_text("Revoked your calendar feed address")).to_be_visible()
    expect(page.get_by_role("button", name="Create a feed address", exact=True)).to_be_visible()
    assert_accessible(page)

    assert page.request.get(url).status == 404
