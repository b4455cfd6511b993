"""A trainer changes their sessions in a real browser: moves one to another day and sees the new
date, then cancels another through its confirmation page with a reason. The edit and cancel
pages pass axe-core's WCAG 2.2 AA rules, and the edit page fits a 375 px phone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import Role, TrainingSession, User
from programme.services.training import catalogue, enrolment, schedule, staff_members
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = 375
MOVED_FROM = TODAY + timedelta(days=14)
MOVED_TO = TODAY + timedelta(days=28)


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}"


@dataclass(frozen=True)
class Plan:
    trainer: User
    moved_id: int
    cancelled_id: int

    def path(self, session_id: int) -> str:
        return f"/programmes/cumbria/training/sessions/{session_id}"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Cumbria Family Safeguarding", "cumbria")
    locality = create_locality(programme, name="Penrith", slug="penrith")
    team = create_team(locality, name="Eden Valley Team")
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    people = [
        staff_members.create_staff(
            team,
            None,
            name=name,
            email=f"{name.split()[0].lower()}@eden.example.org",
            role_id=role.id,
        )
        for name in ("Orla Finch", "Priya Doyle", "Tomas Reyes")
    ]
    trainer = create_user("trainer", name="Rhian Moss")
    mi = catalogue.get_course(programme, "mi")
    moved = schedule.create_session(
        mi, 1, MOVED_FROM, None, trainer=trainer, venue="Kendal Hall", starts_at=time(9, 30)
    )
    cancelled = schedule.create_session(
        mi, 2, TODAY + timedelta(days=21), None, trainer=trainer, venue="Appleby Library"
    )
    for session in (moved, cancelled):
        enrolment.enrol(session, [person.id for person in people], None)
    return Plan(trainer, moved.id, cancelled.id)


def test_a_trainer_reschedules_one_session_and_cancels_another(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)

    # Move the first session a fortnight later.
    page.goto(plan.path(plan.moved_id))
    page.get_by_role("link", name="Change session details", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change Motivational Interviewing, module 1"
    )
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill(MOVED_TO.isoformat())
    page.get_by_role("button", name="Save changes", exact=True).click()

    expect(page.get_by_role("status")).to_have_text(
        f"Rescheduled Motivational Interviewing, module 1 to {_day(MOVED_TO)} at 09:30. "
        "Sent the 3 people on it an updated invitation."
    )
    details = page.locator("#session-details")
    expect(details).to_contain_text(_day(MOVED_TO))
    expect(details).not_to_contain_text(_day(MOVED_FROM))
    expect(page.locator("#enrolled tbody tr")).to_have_count(3)  # everyone moved with it

    # A capacity below those enrolled is refused, naming the field.
    page.get_by_role("link", name="Change session details", exact=True).click()
    page.get_by_label("Capacity", exact=True).fill("2")
    page.get_by_role("button", name="Save changes", exact=True).click()
    summary = page.locator(".app-error-summary")
    expect(summary).to_contain_text("3 people are enrolled")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Capacity", exact=True)).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # Cancel the second through its confirmation page.
    page.goto(plan.path(plan.cancelled_id))
    page.get_by_role("link", name="Cancel session", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Cancel Motivational Interviewing, module 2"
    )
    expect(page.locator("#people-told li")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the session", exact=True).click()
    expect(page.locator(".app-error-summary")).to_contain_text("Enter the reason for cancelling")
    page.get_by_label("Why is the session cancelled?").fill(
        "The trainer is ill; the module will be rebooked."
    )
    page.get_by_role("button", name="Cancel the session", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        "Cancelled Motivational Interviewing, module 2"
    )
    expect(page.locator("#cancelled")).to_contain_text(
        "The trainer is ill; the module will be rebooked."
    )
    expect(page.locator("#enrol-form")).to_have_count(0)
    page.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.locator(f"#session-{plan.cancelled_id}")).to_contain_text("Cancelled")

    with db.session.no_autoflush:
        db.session.expire_all()
        assert db.session.get(TrainingSession, plan.cancelled_id).cancelled
        assert db.session.get(TrainingSession, plan.moved_id).on == MOVED_TO


def test_the_edit_and_cancel_pages_fit_a_phone(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.set_viewport_size({"width": PHONE, "height": 800})

    for suffix in ("/edit", "/cancel"):
        page.goto(plan.path(plan.moved_id) + suffix)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page_width(page) <= PHONE, page.url
