"""A trainer takes a register in a real browser and sees the team's share trained move.

The issue's acceptance journey: sixteen social workers in one team have attended modules 1 to 3
of Motivational Interviewing, so none of them is trained yet. The trainer signs in through the
form, opens today's module 4 session from the schedule, marks everyone present and then two people
absent, saves, and sees the team's share trained in MI go from 0% to 87% (14 of
16). Saving the same register again changes nothing, and the share stays. The session page, the
locality's training page and the other training pages pass axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import Role, User
from programme.services.training import catalogue, enrolment, registers, schedule, staff_members
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

ABSENT = ("Worker 03", "Worker 11")


@dataclass(frozen=True)
class Plan:
    trainer: User
    programme_slug: str
    locality_slug: str
    team_id: int
    session_id: int

    @property
    def locality_training_path(self) -> str:
        return f"/programmes/{self.programme_slug}/localities/{self.locality_slug}/training"

    @property
    def session_path(self) -> str:
        return f"/programmes/{self.programme_slug}/training/sessions/{self.session_id}"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    team = create_team(locality, name="FS Team North")
    social_worker = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    people = [
        staff_members.create_staff(
            team,
            None,
            name=f"Worker {n:02d}",
            email=f"worker{n:02d}@example.org",
            role_id=social_worker.id,
        )
        for n in range(1, 17)
    ]
    ids = [person.id for person in people]
    mi = catalogue.get_course(programme, "mi")
    trainer = create_user("trainer", name="Tess Trainer")
    for module in (1, 2, 3):
        held = schedule.create_session(mi, module, TODAY - timedelta(weeks=4 - module), None)
        enrolment.enrol(held, ids, None)
        registers.save_register(held, dict.fromkeys(ids, "present"), None, today=TODAY)
    session = schedule.create_session(mi, 4, TODAY, None, trainer=trainer, venue="Bridgwater House")
    enrolment.enrol(session, ids, None)
    return Plan(trainer, programme.slug, locality.slug, team.id, session.id)


def _team_mi_share(page: Page, plan: Plan):
    return page.locator(f"#team-{plan.team_id}-shares li[data-course='mi']")


def _share(text: str) -> re.Pattern:
    return re.compile(rf"^\s*Trained in Motivational Interviewing:\s+{text}\s*$")


def test_trainer_marks_two_absent_and_the_teams_share_trained_moves_once(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.locality_training_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridgwater")
    expect(_team_mi_share(page, plan)).to_have_text(_share(r"0%\s+0 of 16"))

    # Open today's session from the schedule.
    page.get_by_role("link", name="Training sessions and registers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training sessions")
    page.locator(f"#session-{plan.session_id}").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Motivational Interviewing, module 4")
    expect(page.locator("#enrolled tbody tr")).to_have_count(16)
    assert_accessible(page)

    # Nobody starts marked: everyone present, then the two who did not come.
    page.get_by_role("button", name="Mark everyone present", exact=True).click()
    for name in ABSENT:
        page.get_by_role("group", name=f"Attendance of {name}").get_by_label(
            "Absent", exact=True
        ).check()
    page.get_by_role("button", name="Save register", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Saved the register: 16 changed.")
    for name in ABSENT:
        expect(
            page.get_by_role("group", name=f"Attendance of {name}").get_by_label(
                "Absent", exact=True
            )
        ).to_be_checked()
    expect(
        page.get_by_role("group", name="Attendance of Worker 01").get_by_label(
            "Present", exact=True
        )
    ).to_be_checked()

    # The locality's training page, through the breadcrumbs and the programme's overview.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Training", exact=True
    ).click()
    page.get_by_role("link", name="Bridgwater training", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridgwater")
    expect(_team_mi_share(page, plan)).to_have_text(_share(r"87%\s+14 of 16"))
    expect(page.locator("#locality-training [data-course='mi']")).to_have_text(
        re.compile(r"^\s*87%\s+14 of 16\s*$")
    )
    absent_row = page.get_by_role("row", name=re.compile(r"^Worker 03 "))
    expect(absent_row.locator("td[data-course='mi'] .app-tag")).to_have_text("In progress")
    expect(absent_row.locator("td[data-course='mi'] .app-modules")).to_contain_text(
        "Still needed: Book module 4"
    )
    assert_accessible(page)

    # The same register saved again changes nothing.
    page.goto(plan.session_path)
    page.get_by_role("button", name="Save register", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Nothing changed.")
    page.goto(plan.locality_training_path)
    expect(_team_mi_share(page, plan)).to_have_text(_share(r"87%\s+14 of 16"))


PAGES = {
    "training overview": lambda plan: f"/programmes/{plan.programme_slug}/training",
    "schedule": lambda plan: f"/programmes/{plan.programme_slug}/training/sessions",
    "schedule a session": lambda plan: f"/programmes/{plan.programme_slug}/training/sessions/new",
    "add a person": lambda plan: (
        f"/programmes/{plan.programme_slug}/localities/{plan.locality_slug}"
        f"/teams/{plan.team_id}/staff/new"
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_training_page_has_no_serious_accessibility_violations(page: Page, plan: Plan, name):
    sign_in_through_form(page, plan.trainer)
    page.goto(PAGES[name](plan))
    expect(page.get_by_role("main")).to_be_visible()
    assert_accessible(page)


def test_the_session_form_shows_its_errors_accessibly(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.goto(f"/programmes/{plan.programme_slug}/training/sessions/new")
    page.get_by_label("Capacity", exact=True).fill("0")
    page.get_by_role("button", name="Schedule session", exact=True).click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose the course and module.")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the session's date.")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Capacity must be a whole number from 1 to 500.")
    ).to_be_visible()
    assert_accessible(page)
