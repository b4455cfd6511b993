"""The operational board reviews go-live readiness in a real browser and is refused a go-live.

The issue's acceptance journey: a board member signs in through the form, opens the programme's
go-live readiness board and sees Bridgwater with its adult specialist recruitment red (neither
of its two posts filled). The "Shortfall" link leads to the list of unfilled posts on
Bridgwater's readiness page. The go-live decision is not offered: the page says Bridgwater cannot
go live yet and lists every unmet criterion; opening the confirmation directly is refused with the
same reasons, and Bridgwater is still "Planning". Taunton, where every criterion is met, was
approved earlier to go live on its go-live date. Every page visited, and the
gate's other pages, pass axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import GateCriterion, Role, User
from programme.services.readiness import decisions
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

UNMET = (
    "Adult specialist workers recruited: 0% (0 of 2), needs 70%",
    "Relevant staff trained in MI and the FS practice and change workshops: 0% (0 of 2), needs 70%",
    "Gate-critical milestones done: 0% (0 of 1), needs 100%",
)


@dataclass(frozen=True)
class Plan:
    board_member: User
    programme_manager: User
    programme_slug: str
    locality_slug: str
    criterion_id: int
    decision_id: int

    @property
    def board_path(self) -> str:
        return f"/programmes/{self.programme_slug}/readiness"

    @property
    def readiness_path(self) -> str:
        return f"/programmes/{self.programme_slug}/localities/{self.locality_slug}/readiness"


def _social_worker(programme) -> Role:
    return db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    social_worker = _social_worker(programme)

    # Bridgwater: nothing filled, nobody trained, its one gate-critical milestone open.
    bridgwater = create_locality(
        programme, name="Bridgwater", slug="bridgwater", go_live=date(2027, 4, 6)
    )
    north = create_team(bridgwater, name="FS Team North")
    create_post(north, "da_victims", status="advertised", reference="SOM-001")
    create_post(north, "adult_mental_health", status="vacant", reference="SOM-002")
    for n in (1, 2):
        staff_members.create_staff(
            north,
            None,
            name=f"Worker {n}",
            email=f"worker{n}@example.org",
            role_id=social_worker.id,
        )
    create_milestone(
        bridgwater, title="Partnership agreement negotiated and signed", gate_critical=True
    )

    # Taunton: every criterion met, and the board took it live.
    taunton = create_locality(
        programme, name="Taunton", slug="taunton", wave=1, go_live=date(2027, 1, 4)
    )
    south = create_team(taunton, name="FS Team South")
    create_post(south, "da_victims", status="in_post")
    trained = staff_members.create_staff(
        south, None, name="Tia Trained", email="tia@example.org", role_id=social_worker.id
    )
    for course, modules in (("mi", (1, 2, 3, 4)), ("fs_workshops", (1, 2, 3))):
        for module in modules:
            held = schedule.create_session(
                catalogue.get_course(programme, course), module, TODAY - timedelta(days=7), None
            )
            enrolment.enrol(held, [trained.id], None)
            registers.save_register(held, {trained.id: "present"}, None, today=TODAY)
    create_milestone(
        taunton, gate_critical=True, status="done", completed_on=TODAY - timedelta(days=3)
    )
    board_member = create_user("board_member", name="Bea Board")
    decision = decisions.go_live(taunton, board_member, "Board of 23 November", TODAY)

    recruited = db.session.scalar(
        select(GateCriterion).where(
            GateCriterion.programme_id == programme.id,
            GateCriterion.key == "adult_specialists_recruited",
        )
    )
    return Plan(
        board_member,
        create_user("programme_manager", name="Pat Manager"),
        programme.slug,
        bridgwater.slug,
        recruited.id,
        decision.id,
    )


def test_board_member_follows_a_red_criterion_to_its_shortfall_and_is_refused_go_live(
    page: Page, plan: Plan
):
    sign_in_through_form(page, plan.board_member)

    # The programme's go-live readiness board, from the header's programme areas.
    page.goto(f"/programmes/{plan.programme_slug}")
    page.get_by_role("link", name="Readiness", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Go-live readiness")
    bridgwater = page.locator("tr[data-locality='bridgwater']")
    expect(bridgwater).to_have_attribute("data-ready", "no")
    recruited = bridgwater.locator("td[data-criterion='adult_specialists_recruited']")
    expect(recruited).to_have_attribute("data-rag", "red")
    expect(recruited).to_contain_text(re.compile(r"Not met\s+0%\s+0 of 2"))
    expect(bridgwater.locator("td[data-field='ready']")).to_have_text("Not ready")
    taunton = page.locator("tr[data-locality='taunton']")
    expect(taunton.locator("td[data-field='ready']")).to_have_text(
        "Approved — goes live on 4 Jan 2027"
    )
    assert_accessible(page)

    # Its shortfall: the unfilled posts on Bridgwater's readiness page.
    recruited.get_by_role(
        "link", name="Shortfall for Adult specialist workers recruited in Bridgwater", exact=True
    ).click()
    expect(page).to_have_url(
        re.compile(
            re.escape(plan.readiness_path)
            + r"\?open=adult_specialists_recruited#criterion-adult_specialists_recruited$"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridgwater")
    section = page.get_by_role("region", name="Adult specialist workers recruited", exact=True)
    expect(section).to_be_in_viewport()
    shortfall = section.locator("ul.app-shortfall")
    expect(shortfall).to_be_visible()
    expect(shortfall.get_by_role("listitem")).to_have_count(2)
    expect(
        shortfall.get_by_role(
            "link", name="DA worker (victims/survivors), FS Team North (SOM-001)", exact=True
        )
    ).to_be_visible()
    expect(shortfall).to_contain_text(
        "Adult mental health practitioner, FS Team North (SOM-002) — Vacant"
    )
    expect(page.locator("#locality-state")).to_have_text("Planning")
    assert_accessible(page)

    # The decision is not offered: the page says why, criterion by criterion.
    why = page.locator("#decision-state")
    expect(why).to_contain_text("Bridgwater cannot go live yet.")
    expect(why.get_by_role("link")).to_have_text(list(UNMET))
    expect(page.get_by_role("button", name="Record the go-live decision")).to_have_count(0)
    expect(page.get_by_role("link", name="Record the go-live decision")).to_have_count(0)

    # Opening the confirmation directly is refused, with the reasons.
    page.goto(plan.readiness_path.removesuffix("readiness") + "go-live/confirm")
    summary = page.get_by_role("alert").filter(has_text="Bridgwater cannot go live yet")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("Bridgwater cannot go live yet")
    expect(summary).to_contain_text("Nothing was recorded.")
    expect(summary.get_by_role("link")).to_have_text(list(UNMET))
    expect(page).to_have_title(re.compile(r"^Error: Record the go-live decision for Bridgwater"))
    expect(page.get_by_label("Minutes note")).to_have_count(0)
    assert_accessible(page)

    # The refusal's links lead to the criteria on the readiness page.
    summary.get_by_role("link", name=UNMET[1], exact=True).click()
    expect(page.get_by_role("region", name=UNMET[1].split(":")[0], exact=True)).to_be_in_viewport()
    expect(page.locator("#locality-state")).to_have_text("Planning")

    # Nothing changed: Bridgwater is still planning, on the board too.
    page.goto(plan.board_path)
    expect(page.locator("tr[data-locality='bridgwater'] td[data-field='ready']")).to_have_text(
        "Not ready"
    )


def test_the_shortfall_link_of_a_later_criterion_shows_its_list(page: Page, plan: Plan):
    sign_in_through_form(page, plan.board_member)
    page.goto(plan.board_path)

    page.locator("tr[data-locality='bridgwater']").get_by_role(
        "link",
        name="Shortfall for Relevant staff trained in MI and the FS practice and change workshops "
        "in Bridgwater",
        exact=True,
    ).click()

    section = page.get_by_role(
        "region",
        name="Relevant staff trained in MI and the FS practice and change workshops",
        exact=True,
    )
    expect(section.locator("ul.app-shortfall")).to_be_visible(timeout=1_000)


PAGES = {
    "printable board": lambda plan: f"{plan.board_path}?print=1",
    "the gate": lambda plan: f"/programmes/{plan.programme_slug}/readiness/gate",
    "add a criterion": lambda plan: f"/programmes/{plan.programme_slug}/readiness/gate/new",
    "exception": lambda plan: (
        f"/programmes/{plan.programme_slug}/localities/{plan.locality_slug}"
        f"/exceptions/{plan.criterion_id}"
    ),
    "decision": lambda plan: (
        f"/programmes/{plan.programme_slug}/localities/taunton/decisions/{plan.decision_id}"
    ),
    "live locality": lambda plan: f"/programmes/{plan.programme_slug}/localities/taunton/readiness",
}


@pytest.mark.parametrize("name", PAGES)
def test_readiness_page_has_no_serious_accessibility_violations(page: Page, plan: Plan, name):
    sign_in_through_form(page, plan.programme_manager)
    page.goto(PAGES[name](plan))
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)


def test_the_criterion_form_shows_its_errors_accessibly(page: Page, plan: Plan):
    sign_in_through_form(page, plan.programme_manager)
    page.goto(f"/programmes/{plan.programme_slug}/readiness/gate/new")
    page.get_by_role("button", name="Add the criterion", exact=True).click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter what the criterion checks.")).to_be_visible()
    assert_accessible(page)
