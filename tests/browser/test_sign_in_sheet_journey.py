"""A trainer prints a session's sign-in sheet and takes its register in a real browser.

From the session page the trainer opens the sign-in sheet: it lists everyone enrolled with blank
rows for walk-ins, prints without the site's header (print media emulated), has a working Print
button, passes axe and fits a 375 px phone. Back on the register, saving with one person unmarked
is refused with an error summary naming them; "Mark everyone present" then fills the rest (here,
with the script, without leaving the page) and the register saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance, User
from programme.services.training import catalogue, enrolment
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

NAMES = ("Priya Okafor", "Tomasz Nowak", "Eilidh Grant", "Ruairi Byrne")


@dataclass(frozen=True)
class Plan:
    trainer: User
    session_id: int

    @property
    def session_path(self) -> str:
        return f"/programmes/kestrel-vale/training/sessions/{self.session_id}"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Kestrel Vale Family Safeguarding", "kestrel-vale")
    team = create_team(create_locality(programme, name="Marshford"), name="Harbour Team")
    people = [
        create_staff(team, name=name, email=f"{name.split()[0].lower()}@kestrel.example")
        for name in NAMES
    ]
    trainer = create_user("trainer", name="Morag Fairlie")
    session = create_session(
        catalogue.get_course(programme, "mi"),
        2,
        TODAY,
        venue="Larkfield Community Hall",
        starts_at=time(9, 30),
        trainer=trainer,
    )
    enrolment.enrol(session, [person.id for person in people], None)
    return Plan(trainer, session.id)


def _attendance(plan: Plan) -> dict[str, str | None]:
    db.session.expire_all()
    return {
        place.staff.name: place.status
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == plan.session_id)
        )
    }


def test_a_trainer_opens_and_prints_the_sign_in_sheet(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.session_path)
    assert_accessible(page)

    page.get_by_role("link", name="Print the sign-in sheet", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Motivational Interviewing, module 2"
    )
    rows = page.locator("#sign-in-rows tbody tr")
    expect(rows).to_have_count(len(NAMES) + 6)
    for name in NAMES:
        expect(page.get_by_role("rowheader", name=name, exact=True)).to_be_visible()
    expect(page.locator("#sheet-details")).to_contain_text("Larkfield Community Hall")
    print_button = page.get_by_role("button", name="Print", exact=True)
    expect(print_button).to_be_visible()  # the script shows it
    assert_accessible(page)

    # The button opens the browser's print dialogue: window.print is stubbed to see it called.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    print_button.click()
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")
    expect(page.locator(".app-header")).to_be_hidden()
    expect(page.locator(".app-footer")).to_be_hidden()
    expect(page.locator("#sheet-actions")).to_be_hidden()
    expect(rows.first).to_be_visible()
    # Rows tall enough to sign: 12 mm is about 45 CSS pixels.
    assert rows.first.bounding_box()["height"] >= 44
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#sign-in-rows thead')).display")
        == "table-header-group"
    )
    page.emulate_media(media="screen")
    expect(page.locator(".app-header")).to_be_visible()


def test_the_sign_in_sheet_and_the_register_fit_a_phone(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{plan.session_path}/sign-in-sheet")
    assert page_width(page) <= 375

    page.goto(plan.session_path)  # the register, with its new button
    expect(page.get_by_role("button", name="Mark everyone present", exact=True)).to_be_visible()
    assert page_width(page) <= 375


def _mark(page: Page, name: str, status: str):
    return page.get_by_role("group", name=f"Attendance of {name}").get_by_label(status, exact=True)


def test_the_register_refuses_anyone_unmarked_then_marks_everyone_present(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.session_path)
    save = page.get_by_role("button", name="Save register", exact=True)

    # Three marked, one forgotten: refused, naming the one; the three marks are kept.
    _mark(page, "Priya Okafor", "Present").check()
    _mark(page, "Tomasz Nowak", "Absent").check()
    _mark(page, "Eilidh Grant", "Late").check()
    save.click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Mark the attendance of Ruairi Byrne"])
    expect(page).to_have_title(
        "Error: Motivational Interviewing, module 2, 30 Nov 2026 – Family Safeguarding programme"
        " tracker"
    )
    for name, status in (
        ("Priya Okafor", "Present"),
        ("Tomasz Nowak", "Absent"),
        ("Eilidh Grant", "Late"),
    ):
        expect(_mark(page, name, status)).to_be_checked()
    summary.get_by_role("link", name="Mark the attendance of Ruairi Byrne").click()
    expect(_mark(page, "Ruairi Byrne", "Present")).to_be_focused()
    assert_accessible(page)
    assert set(_attendance(plan).values()) == {None}

    # The one left marked present, on the page (the script), nothing saved; then saved.
    page.get_by_role("button", name="Mark everyone present", exact=True).click()
    expect(page.get_by_text("1 person marked present. Nothing is saved")).to_be_visible()
    expect(_mark(page, "Ruairi Byrne", "Present")).to_be_checked()
    expect(_mark(page, "Tomasz Nowak", "Absent")).to_be_checked()
    assert set(_attendance(plan).values()) == {None}
    save.click()

    expect(page.get_by_role("status")).to_have_text("Saved the register: 4 changed.")
    assert _attendance(plan) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "absent",
        "Eilidh Grant": "late",
        "Ruairi Byrne": "present",
    }


def test_mark_everyone_present_then_save(page: Page, plan: Plan):
    sign_in_through_form(page, plan.trainer)
    page.goto(plan.session_path)

    page.get_by_role("button", name="Mark everyone present", exact=True).click()
    expect(page.get_by_text("4 people marked present. Nothing is saved")).to_be_visible()
    page.get_by_role("button", name="Save register", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Saved the register: 4 changed.")
    assert set(_attendance(plan).values()) == {"present"}
