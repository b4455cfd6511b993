"""A programme manager works through overdue milestones at speed, in a real browser.

From the overview's overdue count she lands on the programme's milestones filtered to that
locality's overdue ones, ticks two, marks them done in one bulk action and is back on the same
filtered list with the counts moved. Then she changes one row's status without leaving the
page, and sees a stale change refused on the row. The page passes axe at each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from programme.extensions import db
from programme.models import Milestone, User
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import apply_lancashire, create_locality, create_programme, create_user

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Plan:
    manager: User
    programme_slug: str
    locality_slug: str
    overdue: list[tuple[int, str]]  # (id, title) of the overdue milestones, by due date

    @property
    def list_path(self) -> str:
        return f"/programmes/{self.programme_slug}/milestones"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding")
    locality = create_locality(programme, name="South Somerset", go_live=date(2027, 4, 6))
    apply_lancashire(locality)
    manager = create_user("programme_manager", name="Priya Manager")
    # With today pinned to 30 November 2026, everything due before it is overdue.
    overdue = db.session.execute(
        db.select(Milestone.id, Milestone.title)
        .where(Milestone.locality_id == locality.id, Milestone.due < date(2026, 11, 30))
        .order_by(Milestone.due, Milestone.id)
    ).all()
    assert len(overdue) >= 4
    return Plan(manager, programme.slug, locality.slug, [tuple(row) for row in overdue])


def _filters(page: Page) -> dict[str, str]:
    url = urlsplit(page.url)
    return {"path": url.path, **dict(parse_qsl(url.query))}


def _counts(page: Page) -> str:
    return page.locator("#milestone-counts").inner_text()


def test_programme_manager_marks_two_overdue_milestones_done_in_one_go(page: Page, plan: Plan):
    sign_in_through_form(page, plan.manager)
    n = len(plan.overdue)

    # The overview's overdue count is a link to the filtered list.
    page.locator(f"tr[data-locality='{plan.locality_slug}'] [data-field='overdue'] a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Milestones")
    filtered = {"path": plan.list_path, "locality": plan.locality_slug, "overdue": "yes"}
    assert _filters(page) == filtered
    expect(page.get_by_label("Overdue only")).to_be_checked()
    assert _counts(page) == f"Showing {n} of 20 milestones · {n} overdue"
    assert_accessible(page)

    (first_id, first), (second_id, second) = plan.overdue[:2]
    # On the programme-wide list each checkbox names its locality too.
    page.get_by_label(f"Select {first}, South Somerset", exact=True).check()
    page.get_by_label(f"Select {second}, South Somerset", exact=True).check()
    page.get_by_label("New status", exact=True).select_option(label="Done")
    page.get_by_role("button", name="Set status", exact=True).click()

    # Back where she was: the same filters, the two gone from the overdue list, counts moved.
    expect(page.get_by_role("status").filter(has_text="Marked 2 milestones done.")).to_be_visible()
    assert _filters(page) == filtered
    expect(page.get_by_label("Overdue only")).to_be_checked()
    assert _counts(page) == f"Showing {n - 2} of 20 milestones · {n - 2} overdue"
    expect(page.locator(f"#milestone-{first_id}")).to_have_count(0)
    expect(page.locator(f"#milestone-{second_id}")).to_have_count(0)
    assert_accessible(page)


def test_a_row_status_changes_in_place_and_a_stale_change_says_so(page: Page, plan: Plan):
    sign_in_through_form(page, plan.manager)
    page.goto(f"{plan.list_path}?overdue=yes")
    page.evaluate("window.stillTheSamePage = true")
    (row_id, title), (stale_id, stale_title) = plan.overdue[:2]

    row = page.locator(f"#milestone-{row_id}")
    row.get_by_label(f"New status of {title}").select_option(label="In progress")
    row.get_by_role("button", name=f"Save the status of {title}").click()

    row = page.locator(f"#milestone-{row_id}")
    expect(row).to_have_attribute("data-status", "in_progress")
    expect(row.get_by_text(f"Saved “{title}”.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    # Someone else saves the other milestone after the page was shown.
    db.session.execute(
        update(Milestone)
        .where(Milestone.id == stale_id)
        .values(version=Milestone.version + 1, notes="Saved elsewhere")
    )
    db.session.commit()
    stale = page.locator(f"#milestone-{stale_id}")
    stale.get_by_label(f"New status of {stale_title}").select_option(label="Done")
    stale.get_by_role("button", name=f"Save the status of {stale_title}").click()

    stale = page.locator(f"#milestone-{stale_id}")
    expect(stale.get_by_role("alert")).to_contain_text(
        f"Someone else changed “{stale_title}” after you opened it"
    )
    expect(stale).to_have_attribute("data-status", "not_started")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 375])
def test_the_milestone_lists_fit_a_phone(page: Page, plan: Plan, width: int):
    sign_in_through_form(page, plan.manager)
    page.set_viewport_size({"width": width, "height": 800})
    for path in (
        f"{plan.list_path}?sort=due",
        f"/programmes/{plan.programme_slug}/localities/{plan.locality_slug}",
    ):
        page.goto(path)
        assert page_width(page) <= page.evaluate("window.innerWidth"), path
