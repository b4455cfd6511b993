"""An HR lead maps her tracker's own words in a real browser, and the next upload needs none.

Issue 11's acceptance journey: her tracker is not shaped like our seed. It names its employers
("Westvale Borough Council", "Change Grow Live"), which the programme does not know yet, and calls
one role by its own title ("Social Worker (Level 2)"); its other titles match by their words. The
preview lists the new organisations at the top, each with its inferred type chosen, and offers
the unknown title with its suggestion chosen. She keeps the suggestion, checks the file again
(0 rows rejected), saves every row, and uploads the same file again: nothing to map, every row
unchanged. The organisations page lists the two new partners. Every page passes axe-core's WCAG
2.2 AA rules, and the preview reflows to a 320 px wide screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from programme.models import User
from programme.services import localities
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import csv_bytes

pytestmark = pytest.mark.browser

PROGRAMME = "Anyshire Family Safeguarding"
HEADERS = ["Vacancy ref", "Area", "Team", "Post Title", "Employing Organisation", "Stage"]
TEAM = ["Westvale", "Westvale FS Team"]
COUNCIL, CGL = "Westvale Borough Council", "Change Grow Live"
UNKNOWN_TITLE = "Social Worker (Level 2)"
# Rows 2 and 5 use the unknown title; "Senior Practitioner" and "Substance Misuse Recovery
# Worker" are other names of known roles and "Shortlisting" of a status, so they match by
# themselves.
ROWS = [
    ["WV-101", *TEAM, UNKNOWN_TITLE, COUNCIL, "Advertised"],
    ["WV-102", *TEAM, "Senior Practitioner", COUNCIL, "In post"],
    ["WV-103", *TEAM, "Substance Misuse Recovery Worker", CGL, "Shortlisting"],
    ["WV-104", *TEAM, UNKNOWN_TITLE, COUNCIL, "Vacant"],
]
# Reflow (WCAG 1.4.10): the page may be at most this much wider than a 320 px screen.
SCREEN, TOLERANCE = 320, 1


@dataclass(frozen=True)
class Plan:
    hr_lead: User
    slug: str


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme(PROGRAMME, "anyshire")
    locality = create_locality(programme, name="Westvale", slug="westvale")
    localities.create_team(locality, "Westvale FS Team", None, today=TODAY)
    return Plan(create_user("hr_lead", name="Harriet Okafor"), programme.slug)


def _upload(page: Page, path: Path) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import an HR recruitment spreadsheet"
    )
    page.get_by_label("Spreadsheet", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload and preview", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Preview of {path.name}")
    expect(page).to_have_url(re.compile(r"/imports/\d+$"))


def _choice(page: Page, written: str, column: str) -> Locator:
    """The select of what a word of the file stands for, found by its label."""
    return page.get_by_label(f"“{written}” in {column}", exact=True)


def _chosen(select: Locator) -> Locator:
    return select.locator("option:checked")


def _count(page: Page, action: str) -> Locator:
    return page.locator(f"#import-summary [data-count='{action}']")


def _assert_reflows(page: Page) -> None:
    """At 320 px wide the page does not scroll sideways (tables scroll in their own box)."""
    size = page.viewport_size
    page.set_viewport_size({"width": SCREEN, "height": 800})
    width = page_width(page)
    assert width <= SCREEN + TOLERANCE, f"{page.url} is {width} px wide at {SCREEN} px"
    page.set_viewport_size(size)


def test_hr_lead_maps_an_unknown_role_title_and_the_next_upload_needs_no_mapping(
    page: Page, plan: Plan, tmp_path: Path
):
    tracker = tmp_path / "westvale-vacancies.csv"
    tracker.write_bytes(csv_bytes([HEADERS, *ROWS]))

    sign_in_through_form(page, plan.hr_lead)
    page.goto(f"/programmes/{plan.slug}/recruitment")
    page.get_by_role("link", name="Import an HR spreadsheet", exact=True).click()
    assert_accessible(page)

    # Every column is recognised by its header: straight to the preview, two rows rejected.
    _upload(page, tracker)
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            f"Row {row}, Post Title: There is no role “{UNKNOWN_TITLE}”. "
            "Did you mean “Social worker”?"
            for row in (2, 5)
        ]
    )
    expect(_count(page, "created")).to_have_text("2")
    expect(_count(page, "rejected")).to_have_text("2")
    expect(page.locator("#row-2 td").first).to_have_text("WV-101")  # named by its reference
    expect(
        page.locator("p").filter(has_text="Nothing can be saved while any row is rejected.")
    ).to_contain_text("Say above what each word it does not know means, or correct the rows below")

    # At the top, above the counts: the employers new to the programme, each with its type.
    new = page.locator("#new-organisations")
    expect(new.get_by_role("heading", level=2)).to_have_text("Employing organisations to check")
    expect(new).to_contain_text(f"{PROGRAMME} does not know these employers by name")
    assert page.evaluate(
        "() => document.querySelector('#new-organisations')"
        ".compareDocumentPosition(document.querySelector('#import-summary'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    ), "the new organisations come before the counts"
    expect(_chosen(_choice(page, COUNCIL, "Employing Organisation"))).to_have_text(
        "New organisation: Council"
    )
    expect(_chosen(_choice(page, CGL, "Employing Organisation"))).to_have_text(
        "New organisation: Substance misuse provider"
    )

    # The unknown title, with the rows that use it and its suggestion chosen.
    mapping = page.locator("#value-mapping")
    expect(mapping.get_by_role("heading", level=2)).to_have_text(
        "Words this programme does not know yet"
    )
    title = _choice(page, UNKNOWN_TITLE, "Post Title")
    expect(mapping.locator("select")).to_have_count(1)
    expect(_chosen(title)).to_have_text("Treat as Social worker")
    expect(title).to_have_accessible_description("Rows 2, 5")
    expect(page.get_by_role("button", name="Save every row")).to_have_count(0)
    assert_accessible(page)
    _assert_reflows(page)

    # She keeps the suggestion: from its select, Tab reaches the button, Enter presses it.
    title.focus()
    page.keyboard.press("Tab")
    check_again = mapping.get_by_role("button", name="Check the file again with these choices")
    expect(check_again).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(
        "Checked the file again with your choices. They are remembered once you save."
    )
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_have_count(0)
    expect(_count(page, "rejected")).to_have_text("0")
    expect(_count(page, "created")).to_have_text("4")
    # The choice stays offered, to change, now that no row uses the word unmapped.
    expect(_chosen(_choice(page, UNKNOWN_TITLE, "Post Title"))).to_have_text(
        "Treat as Social worker"
    )
    expect(_choice(page, UNKNOWN_TITLE, "Post Title")).to_have_accessible_description(
        "Treated in this preview as Social worker"
    )
    expect(_choice(page, COUNCIL, "Employing Organisation")).to_have_accessible_description(
        "Rows 2, 3, 5"
    )
    expect(page.locator("#preview-changing tr[data-action='created']")).to_have_count(4)
    assert_accessible(page)
    _assert_reflows(page)

    page.get_by_role("button", name="Save every row", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recruitment")
    expect(page.get_by_role("status")).to_have_text(
        f"Imported {tracker.name}: 4 created, 0 updated, 0 unchanged."
    )
    assert_accessible(page)

    # The same file again: every word is known now, nothing to map, nothing changes.
    page.get_by_role("link", name="Import an HR spreadsheet", exact=True).click()
    _upload(page, tracker)
    expect(page.locator("#value-mapping")).to_have_count(0)
    expect(page.locator("#new-organisations")).to_have_count(0)
    expect(page.locator("select")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_have_count(0)
    for action, expected in {
        "created": "0",
        "updated": "0",
        "unchanged": "4",
        "rejected": "0",
    }.items():
        expect(_count(page, action)).to_have_text(expected)
    expect(page.get_by_role("button", name="Record this import (nothing changes)")).to_be_visible()
    assert_accessible(page)
    _assert_reflows(page)

    # The organisations page lists the two new partners with the posts each employs.
    page.goto(f"/programmes/{plan.slug}/organisations")
    for name, kind, posts in ((COUNCIL, "Council", "3"), (CGL, "Substance misuse provider", "1")):
        heading = page.get_by_role("heading", level=2, name=name, exact=True)
        expect(heading).to_be_visible()
        section = page.locator("section.app-team").filter(has=heading)
        expect(section.locator("[data-field='type']")).to_have_text(kind)
        expect(section.locator("[data-field='posts']")).to_have_text(posts)
    assert_accessible(page)


def test_a_type_changed_for_a_new_organisation_is_kept_when_the_words_are_checked_again(
    page: Page, plan: Plan, tmp_path: Path
):
    """The new organisations and the unknown words are one form: the button under the words
    sends the organisations' types too, rather than silently putting back the inferred one."""
    tracker = tmp_path / "westvale-vacancies.csv"
    tracker.write_bytes(csv_bytes([HEADERS, *ROWS]))
    sign_in_through_form(page, plan.hr_lead)
    page.goto(f"/programmes/{plan.slug}/imports/recruitment/new")
    _upload(page, tracker)

    employer = _choice(page, CGL, "Employing Organisation")
    employer.focus()
    employer.select_option(label="New organisation: Other")
    page.get_by_role("button", name="Check the file again with these choices").click()

    expect(_count(page, "rejected")).to_have_text("0")
    expect(_chosen(_choice(page, CGL, "Employing Organisation"))).to_have_text(
        "New organisation: Other"
    )
    expect(_chosen(_choice(page, COUNCIL, "Employing Organisation"))).to_have_text(
        "New organisation: Council"
    )
    expect(_chosen(_choice(page, UNKNOWN_TITLE, "Post Title"))).to_have_text(
        "Treat as Social worker"
    )
    assert_accessible(page)
