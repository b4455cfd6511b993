"""A board member records a go-live decision deliberately, in a real browser.

Bridgwater meets every criterion. Its readiness page offers "Record the go-live decision" as a
link to a confirmation page, which shows every criterion with its value and threshold: the
evidence that will be recorded. Confirming without a minutes note or the confirmation ticked is
refused with an error summary; with both, the decision is recorded and Bridgwater reads
"Approved — goes live on 6 Apr 2027" until its go-live date. Its launch milestone is done. Yeovil,
not ready, says why instead of offering the decision. Every state passes axe-core's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import Milestone, Role, User
from programme.services.training import catalogue, enrolment, registers, schedule, staff_members
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_team,
    create_user,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

NOTE = "Operational board, 30 November 2026, item 4"
LAUNCH = "Go-live decision by the operational board"


@dataclass(frozen=True)
class Plan:
    board_member: User
    programme_slug: str
    launch_id: int

    def readiness(self, slug: str) -> str:
        return f"/programmes/{self.programme_slug}/localities/{slug}/readiness"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    social_worker = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    # Bridgwater: its adult specialist in post, its one worker trained, its gate milestone done.
    bridgwater = create_locality(
        programme, name="Bridgwater", slug="bridgwater", go_live=date(2027, 4, 6)
    )
    team = create_team(bridgwater, name="FS Team North")
    create_post(team, "da_victims", status="in_post")
    worker = staff_members.create_staff(
        team, None, name="Ann Able", email="ann@example.org", role_id=social_worker.id
    )
    for course, modules in (("mi", (1, 2, 3, 4)), ("fs_workshops", (1, 2, 3))):
        for module in modules:
            held = schedule.create_session(
                catalogue.get_course(programme, course), module, TODAY - timedelta(days=7), None
            )
            enrolment.enrol(held, [worker.id], None)
            registers.save_register(held, {worker.id: "present"}, None, today=TODAY)
    create_milestone(
        bridgwater, gate_critical=True, status="done", completed_on=TODAY - timedelta(days=3)
    )
    launch = create_milestone(
        bridgwater, title=LAUNCH, stands_for="go_live_decision", due=date(2027, 4, 6)
    )
    # Yeovil: nothing filled.
    yeovil = create_locality(programme, name="Yeovil", slug="yeovil", go_live=date(2027, 5, 4))
    create_post(create_team(yeovil, name="FS Team South"), "da_victims", status="vacant")
    return Plan(create_user("board_member", name="Bea Board"), programme.slug, launch.id)


def test_a_board_member_confirms_a_go_live_with_a_minutes_note(page: Page, plan: Plan):
    sign_in_through_form(page, plan.board_member)

    # Not ready: the page says why, and offers no decision.
    page.goto(plan.readiness("yeovil"))
    expect(page.locator("#decision-state")).to_contain_text("Yeovil cannot go live yet.")
    expect(page.locator("#decision-state").get_by_role("link").first).to_have_text(
        "Adult specialist workers recruited: 0% (0 of 1), needs 70%"
    )
    expect(page.get_by_role("link", name="Record the go-live decision")).to_have_count(0)
    assert_accessible(page)

    # Ready: the decision is a link to its confirmation.
    page.goto(plan.readiness("bridgwater"))
    expect(page.locator("#locality-state")).to_have_text("Planning")
    assert_accessible(page)
    page.get_by_role("link", name="Record the go-live decision", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record the go-live decision")
    expect(page.get_by_role("heading", name="The evidence that will be recorded")).to_be_visible()
    evidence = page.locator("#evidence tbody tr")
    expect(evidence).to_have_count(3)
    expect(page.locator("tr[data-criterion='adult_specialists_recruited']")).to_contain_text(
        re.compile(r"Adult specialist workers recruited\s+100%\s+70%\s+1 of 1\s+Yes")
    )
    expect(page.locator("tr[data-criterion='gate_milestones_done']")).to_contain_text(
        re.compile(r"100%\s+100%\s+1 of 1\s+Yes")
    )
    assert_accessible(page)

    # Confirming with neither a note nor the tick is refused, accessibly.
    page.get_by_role("button", name="Record the go-live decision", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role(
            "link", name="Enter the minutes note: the meeting that decided and its date."
        )
    ).to_be_visible()
    expect(
        summary.get_by_role(
            "link", name="Confirm that the board made this decision on this evidence."
        )
    ).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Record the go-live decision for Bridgwater"))
    assert_accessible(page)

    # With the minutes note and the tick, it is recorded.
    page.get_by_label("Minutes note", exact=True).fill(NOTE)
    page.get_by_label(re.compile(r"^The operational board decided")).check()
    page.get_by_role("button", name="Record the go-live decision", exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(plan.readiness("bridgwater")) + "$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Recorded the board's go-live decision for Bridgwater: Approved — goes live on 6 Apr 2027."
    )
    expect(page.locator("#locality-state")).to_have_text(
        re.compile(
            r"^\s*Approved — goes live on 6 Apr 2027 by decision of Bea Board on 30 Nov 2026"
        )
    )
    expect(page.get_by_role("button", name="Rescind the go-live decision")).to_be_visible()
    assert_accessible(page)

    # Its launch milestone is done, on the decision's date.
    launch = db.session.get(Milestone, plan.launch_id)
    db.session.refresh(launch)
    assert (launch.status, launch.completed_on) == ("done", TODAY)
