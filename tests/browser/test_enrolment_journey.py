"""A trainer fills a module 2 session with the people picker in a real browser.

Three teams: Harbourside (four social workers, two of whom attended module 2 already), Moorland
(three) and Estuary (a hundred, so the picker has real numbers to hold). The trainer opens the
session: the two who attended module 2 are not offered; typing "harbour" narrows the list to
that team; "Select the whole team" ticks the two shown and the live count says how many places
are left; a Moorland worker is ticked too; saving enrols the three. One is then removed again.
The session page passes axe, and at 375 px wide the page does not overflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from programme.models import User
from programme.services.training import catalogue
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

HARBOUR = "Harbourside Team, Saltmarsh"


@dataclass(frozen=True)
class Plan:
    trainer: User
    session_path: str


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Tidewater Family Safeguarding", "tidewater")
    locality = create_locality(programme, name="Saltmarsh", slug="saltmarsh")
    harbour = create_team(locality, name="Harbourside Team")
    moor = create_team(locality, name="Moorland Team")
    estuary = create_team(locality, name="Estuary Team")
    done = [create_staff(harbour, name=n) for n in ("Dafydd Moss", "Ola Fairweather")]
    for name in ("Priya Okonkwo", "Tomasz Reyes"):
        create_staff(harbour, name=name)
    for name in ("Ines Whitcombe", "Kwame Lindqvist", "Noor Abernethy"):
        create_staff(moor, name=name)
    for n in range(1, 101):
        create_staff(estuary, name=f"Estuary Colleague {n:03d} Longsurname-Doublebarrelled")
    course = catalogue.get_course(programme, "mi")
    attend(course, 2, done)
    session = create_session(course, 2, TODAY + timedelta(days=7), capacity=6)
    return Plan(
        create_user("trainer", name="Rhian Trainer"),
        f"/programmes/{programme.slug}/training/sessions/{session.id}",
    )


def _box(page: Page, label: str):
    return page.get_by_role("checkbox", name=label, exact=True)


def test_trainer_picks_a_team_still_needing_module_2_sees_the_seats_and_saves(
    page: Page, plan: Plan
):
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.session_path + "#enrol")
    expect(page.get_by_role("heading", level=2, name="Enrol people")).to_be_visible()
    expect(page.locator("#staff-seats")).to_have_text("You have chosen 0; 6 places left.")

    # Still needs module 2: the two who attended it are not offered.
    expect(_box(page, "Priya Okonkwo — Social worker")).to_be_visible()
    expect(_box(page, "Dafydd Moss — Social worker")).to_have_count(0)
    expect(_box(page, "Ola Fairweather — Social worker")).to_have_count(0)

    # The text filter narrows as one types.
    page.get_by_label("Filter by name, team or role").fill("harbour")
    expect(_box(page, "Ines Whitcombe — Social worker")).to_be_hidden()
    expect(page.get_by_role("group", name=HARBOUR)).to_be_visible()

    page.get_by_role("button", name=f"Select the whole team: {HARBOUR}").click()
    expect(_box(page, "Priya Okonkwo — Social worker")).to_be_checked()
    expect(_box(page, "Tomasz Reyes — Social worker")).to_be_checked()
    expect(page.locator("#staff-seats")).to_have_text("You have chosen 2; 4 places left.")

    page.get_by_label("Filter by name, team or role").fill("")
    _box(page, "Ines Whitcombe — Social worker").check()
    expect(page.locator("#staff-seats")).to_have_text("You have chosen 3; 3 places left.")
    _box(page, "Estuary Colleague 001 Longsurname-Doublebarrelled — Social worker").check()
    expect(_box(page, "Kwame Lindqvist — Social worker")).not_to_be_checked()
    _box(page, "Estuary Colleague 001 Longsurname-Doublebarrelled — Social worker").uncheck()

    page.get_by_role("button", name="Enrol the people ticked").click()
    expect(page.get_by_role("status")).to_contain_text("Enrolled 3 people.")
    expect(page.locator("#places-table tbody tr")).to_have_count(3)
    expect(page.locator("#staff-seats")).to_have_text("You have chosen 0; 3 places left.")
    assert_accessible(page)

    # Un-enrol one.
    page.get_by_role("button", name="Remove Tomasz Reyes").click()
    expect(page.get_by_role("status")).to_contain_text("Removed Tomasz Reyes from this session")
    expect(page.locator("#places-table tbody tr")).to_have_count(2)
    expect(_box(page, "Tomasz Reyes — Social worker")).to_be_visible()  # offered again


def test_the_enrolment_form_fits_a_phone_with_a_hundred_people(page: Page, plan: Plan):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.session_path + "#enrol")
    expect(page.locator("#enrol-form")).to_be_visible()
    assert page.locator("#enrol-form [data-picker-person]").count() == 105
    assert page_width(page) <= 375
    box = page.locator("#staff").bounding_box()
    assert box is not None and box["height"] < 800  # a scroll area, not a mile of ticks
    assert_accessible(page)
    # Without the script's enhancement the no-JavaScript search still narrows the list.
    page.goto(plan.session_path + "?q=moorland#enrol")
    expect(page.locator("#enrol-form [data-picker-person]")).to_have_count(3)
    assert page_width(page) <= 375
