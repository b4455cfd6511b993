"""A programme manager marks a milestone done in a real browser, and sees it everywhere.

The issue's "Done means": sign in through the form, open the programme overview and a locality,
follow "Change" on a milestone, set it to Done and save; the locality shows the Done tag, the
overview's counts move, and the audit trail records the change. The pages pass axe-core's
WCAG 2.2 AA rules, and a keyboard user can skip straight to the main content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from programme.extensions import db
from programme.models import Milestone, User
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import apply_lancashire, create_locality, create_programme, create_user

pytestmark = pytest.mark.browser

# With go-live on 6 April 2027 and today pinned to 30 November 2026, this 8-months-before
# milestone fell due in August 2026: it is overdue until it is done.
OVERDUE_MILESTONE = "Partnership board set up"


@dataclass(frozen=True)
class Plan:
    """What the browser needs to know about the data made for it."""

    manager: User
    programme_name: str
    programme_slug: str
    locality_name: str
    locality_slug: str
    milestone_id: int

    @property
    def overview_path(self) -> str:
        return f"/programmes/{self.programme_slug}"

    @property
    def locality_path(self) -> str:
        return f"{self.overview_path}/localities/{self.locality_slug}"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding")
    locality = create_locality(programme, name="South Somerset", go_live=date(2027, 4, 6))
    apply_lancashire(locality)
    manager = create_user("programme_manager", name="Priya Manager")
    milestone = db.session.scalar(
        db.select(Milestone).where(
            Milestone.locality_id == locality.id, Milestone.title == OVERDUE_MILESTONE
        )
    )
    return Plan(
        manager=manager,
        programme_name=programme.name,
        programme_slug=programme.slug,
        locality_name=locality.name,
        locality_slug=locality.slug,
        milestone_id=milestone.id,
    )


def _overview_row(page: Page, plan: Plan) -> Locator:
    return page.locator(f"#localities tr[data-locality='{plan.locality_slug}']")


def _counts(row: Locator) -> tuple[int, int, int]:
    """(done, total, overdue) as the overview shows them for one locality."""
    done_text = row.locator("[data-field='done']").inner_text()
    done, total = (int(n) for n in re.fullmatch(r"\s*(\d+) of (\d+)\s*", done_text).groups())
    overdue_text = row.locator("[data-field='overdue']").inner_text()
    overdue = int(re.match(r"\s*(\d+)", overdue_text).group(1))
    return done, total, overdue


def _milestone_row(page: Page, plan: Plan) -> Locator:
    return page.locator(f"tr#milestone-{plan.milestone_id}")


def test_programme_manager_marks_an_overdue_milestone_done_and_sees_it_counted_and_audited(
    page: Page, plan: Plan
):
    # Signing in through the form lands on the overview: this is the only programme.
    sign_in_through_form(page, plan.manager)
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.programme_name)
    done_before, total, overdue_before = _counts(_overview_row(page, plan))
    assert done_before == 0
    assert overdue_before >= 1

    page.get_by_role("link", name=plan.locality_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.locality_name)
    row = _milestone_row(page, plan)
    expect(row).to_contain_text(OVERDUE_MILESTONE)
    expect(row.locator(".app-tag", has_text="Not started")).to_be_visible()
    expect(row.get_by_text("Overdue or blocked", exact=True)).to_be_visible()

    page.get_by_role("link", name=f"Change {OVERDUE_MILESTONE}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERDUE_MILESTONE)
    page.get_by_label("Status", exact=True).select_option(label="Done")
    page.get_by_role("button", name="Save milestone", exact=True).click()

    # Back on the locality page: saved, tagged Done, no longer red.
    expect(page).to_have_url(re.compile(re.escape(plan.locality_path) + r"$"))
    expect(page.get_by_role("status")).to_have_text(f"Saved “{OVERDUE_MILESTONE}”.")
    row = _milestone_row(page, plan)
    expect(row.locator(".app-tag", has_text=re.compile(r"^Done$"))).to_be_visible()
    expect(row.get_by_text("On track", exact=True)).to_be_visible()

    # The overview counts it: one more done, one fewer overdue.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=plan.programme_name
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.programme_name)
    overview_row = _overview_row(page, plan)
    expect(overview_row.locator("[data-field='done']")).to_have_text(
        f"{done_before + 1} of {total}"
    )
    assert _counts(overview_row) == (done_before + 1, total, overdue_before - 1)

    # The audit trail records who changed what, from what, to what.
    page.get_by_role("link", name=plan.locality_name, exact=True).click()
    page.get_by_role("link", name="Audit trail", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{plan.locality_name}: audit trail")
    entry = page.locator("#audit tbody tr").filter(
        has_text=f"Changed “{OVERDUE_MILESTONE}”: status"
    )
    expect(entry).to_have_count(1)
    cells = entry.get_by_role("cell")
    expect(cells.nth(1)).to_have_text(plan.manager.name)
    expect(cells.nth(3)).to_contain_text("Status: Not started → Done")


def _set_statuses(plan: Plan) -> None:
    """Give the locality every status, so axe checks the contrast of every tag colour."""
    milestones = db.session.scalars(
        db.select(Milestone)
        .where(Milestone.id != plan.milestone_id)
        .order_by(Milestone.due, Milestone.id)
    ).all()
    for milestone, status in zip(milestones, ["done", "in_progress", "blocked"], strict=False):
        milestone.status = status
    db.session.commit()


PAGES = {
    "sign-in page": lambda plan: "/login",
    "programme overview": lambda plan: plan.overview_path,
    "locality page": lambda plan: plan.locality_path,
    "locality timeline": lambda plan: f"{plan.locality_path}/timeline",
    "milestone edit page": lambda plan: f"/milestones/{plan.milestone_id}/edit",
    "audit trail": lambda plan: f"{plan.locality_path}/audit",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(page: Page, plan: Plan, name: str):
    _set_statuses(plan)
    if name != "sign-in page":
        sign_in_through_form(page, plan.manager)
    page.goto(PAGES[name](plan))
    expect(page.get_by_role("main")).to_be_visible()
    assert_accessible(page)


def test_sign_in_errors_are_accessible_and_focused(page: Page, plan: Plan):
    page.goto("/login")
    page.get_by_role("button", name="Sign in", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your e-mail address.")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_accessible(page)


def test_keyboard_user_can_skip_to_main_content(page: Page, plan: Plan):
    sign_in_through_form(page, plan.manager)
    page.goto(plan.locality_path)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main-content$"))

    # The next Tab lands inside the main content, past the header's links.
    page.keyboard.press("Tab")
    focused_in_main = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert focused_in_main
