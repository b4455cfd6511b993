"""Module-level progress in a real browser: a trainer reads a person's modules in a locality's
matrix, follows "Book" for a module still needed to a session with places (landing on it with
the person pre-chosen), opens the still-to-book list and sees the shortfall; an HR lead sets a
leaving date on a staff record and sees it. Every new page passes axe and, at 375 px wide,
nothing pushes the page sideways."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from programme.services.training import catalogue, enrolment
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import (
    attend,
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = 375


@dataclass(frozen=True)
class Plan:
    programme_slug: str
    locality_slug: str
    person_id: int
    open_session_id: int

    @property
    def base(self) -> str:
        return f"/programmes/{self.programme_slug}"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Northmere Family Safeguarding", "northmere")
    locality = create_locality(
        programme, name="Cobble Haven", slug="cobble-haven", go_live=TODAY + timedelta(days=40)
    )
    team = create_team(locality, name="Plover Street Team")
    mi = catalogue.get_course(programme, "mi")
    people = [create_staff(team, name=f"Esme Garth {n:02d}") for n in range(1, 13)]
    ines = create_staff(team, name="Ines Varley-Okonkwo-Featherstonehaugh")
    everyone = [ines, *people]
    for number in (1, 2):
        attend(mi, number, everyone)
    enrolment.enrol(
        create_session(mi, 3, TODAY + timedelta(days=5)), [p.id for p in everyone], None
    )
    # Module 4: two places before go-live for thirteen people.
    open_session = create_session(
        mi, 4, TODAY + timedelta(days=12), capacity=2, venue="Saltmarsh Community Centre"
    )
    return Plan(programme.slug, locality.slug, ines.id, open_session.id)


def _check_page(page: Page) -> None:
    """axe's WCAG 2.2 AA rules, then nothing wider than a 375 px phone (naming, if something is,
    the elements whose content is wider than their box)."""
    assert_accessible(page)
    page.set_viewport_size({"width": PHONE, "height": 800})
    width = page_width(page)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1)
            .map(e => `${e.tagName}.${e.className}#${e.id}`).slice(0, 5)"""
    )
    assert width <= PHONE, f"{page.url} overflows at {PHONE} px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_trainer_books_a_needed_module_and_sees_the_shortfall(page: Page, plan: Plan):
    sign_in_through_form(page, create_user("trainer", name="Rhona Trainer"))

    page.goto(f"{plan.base}/localities/{plan.locality_slug}/training")
    cell = page.locator(f'tr#staff-{plan.person_id} td[data-course="mi"]')
    expect(cell).to_contain_text("Attended: modules 1, 2")
    expect(cell).to_contain_text("Module 3 booked:")
    expect(cell).to_contain_text("Still needed: Book module 4")
    _check_page(page)

    cell.get_by_role("link", name="Book module 4").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Book module 4 for Ines Varley-Okonkwo-Featherstonehaugh"
    )
    expect(page.locator("#open-sessions")).to_contain_text("Saltmarsh Community Centre")
    expect(page.locator("#open-sessions")).to_contain_text("2 places")
    _check_page(page)

    page.locator("#open-sessions").get_by_role("link").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(
        f"{plan.base}/training/sessions/{plan.open_session_id}?person={plan.person_id}#enrol"
    )

    page.goto(f"{plan.base}/localities/{plan.locality_slug}/training")
    page.get_by_role("link", name="Still to book before go-live").click()
    module_4 = page.locator("#module-mi-4")
    expect(module_4.locator('[data-field="needed"]')).to_have_text("13")
    expect(module_4.locator('[data-field="available"]')).to_have_text("2 on 1 session")
    expect(module_4).to_contain_text("Short by 11 places: schedule another cohort.")
    expect(page.locator("#module-mi-3")).to_contain_text("Nobody to book")
    _check_page(page)


def test_an_hr_lead_sets_a_leaving_date_on_a_staff_record(page: Page, plan: Plan):
    sign_in_through_form(page, create_user("hr_lead", name="Hana Lead"))

    page.goto(f"{plan.base}/localities/{plan.locality_slug}/training")
    page.get_by_role("link", name="Ines Varley-Okonkwo-Featherstonehaugh", exact=True).click()
    expect(page.locator('[data-field="leaving_date"]')).to_have_text("Not set")
    _check_page(page)

    page.get_by_role("link", name="Change Ines Varley-Okonkwo-Featherstonehaugh's record").click()
    _check_page(page)
    page.get_by_label("Leaving date").fill((TODAY + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".app-notification--success")).to_contain_text("leaving date")
    expect(page.locator('[data-field="leaving_date"]')).to_have_text("28 Feb 2027")

    page.get_by_role("link", name="Change Ines Varley-Okonkwo-Featherstonehaugh's record").click()
    page.get_by_label("Leaving date").fill("2001-01-01")
    page.get_by_label("Start date").fill("2020-05-04")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title(
        re.compile(r"^Error: Change Ines Varley-Okonkwo-Featherstonehaugh's record")
    )
    expect(page.locator(".app-error-summary")).to_contain_text("on or after the start date")
    _check_page(page)
