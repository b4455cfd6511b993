"""Issue 20's pages that the other browser tests do not open, at 320 px: partner contributions
(list, a form showing its errors, change, remove), a budget line (its page, its form showing
errors, the confirmations that delete it or its spend), a scenario's form showing an error and
its delete confirmation, an outcome target form showing its error, group supervision (list, a
team with its form, the form showing an error, change, remove) and the spend and indicator
imports (upload, and a preview with a rejected row). Each passes axe-core's WCAG 2.2 AA rules
and none scrolls sideways."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from programme.services import organisations, partner_pledges
from programme.services import supervision as supervision_service
from programme.services.finance import budget_lines
from programme.services.finance.budget_lines import LineValues
from programme.services.outcomes import catalogue
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_post, create_programme, create_team, create_user
from tests.business_case_builders import create_scenario, create_spend
from tests.conftest import TODAY
from tests.files import csv_bytes

pytestmark = pytest.mark.browser

WIDTH = 320
SLUG = "somerset"
KEY = "children-looked-after"
UPLOAD_MS = 30_000


@pytest.fixture
def setting(app):
    """Somerset with a locality live since January 2026 and its two teams (one has held group
    supervision, one has not), a budget line with spend, and two partners (one behind)."""
    programme = create_programme("Somerset Family Safeguarding", SLUG)
    bridgwater = create_locality(
        programme, name="Bridgwater", slug="bridgwater", state="live", go_live=date(2026, 1, 12)
    )
    meeting = create_team(bridgwater, name="Bridgwater East")
    create_team(bridgwater, name="Bridgwater West")
    supervision_service.record_session(
        meeting,
        None,
        today=TODAY,
        held_on=date(2026, 11, 20),
        families_discussed="4",
        psychologist_present=True,
        actions="Family A: joint visit with the DA worker.",
    )
    line = budget_lines.add_line(
        programme, LineValues(2026, "staffing", "Council", 300_000_00), None
    )
    create_spend(line, 12_000_00, quarter=2)
    police = organisations.create_organisation(
        programme, "Avon and Somerset Police", "police", None
    )
    health = organisations.create_organisation(
        programme, "Somerset NHS Foundation Trust", "mental_health_trust", None
    )
    create_post(
        create_team(bridgwater, name="Bridgwater South"), organisation=police, status="in_post"
    )
    for organisation, pledged, received, posts in (
        (police, 85_000_00, 85_000_00, 1),
        (health, 50_000_00, 20_000_00, 2),
    ):
        partner_pledges.create_pledge(
            programme,
            None,
            organisation_id=organisation.id,
            financial_year=2025,
            pledged_pence=pledged,
            posts_pledged=posts,
            received_pence=received,
            note="Partnership agreement, schedule 2",
        )
    return programme


def _on_a_phone(page: Page, manager) -> dict[str, int]:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in_through_form(page, manager)
    return {}


def _check(page: Page, name: str, too_wide: dict[str, int]) -> None:
    """Axe on the page as it stands; note it if it scrolls sideways at 320 px."""
    if (width := page_width(page)) > WIDTH:
        too_wide[name] = width
    assert_accessible(page)


def test_partner_contribution_pages(setting, page: Page):
    too_wide = _on_a_phone(page, create_user("programme_manager"))

    page.goto(f"/programmes/{SLUG}/finance/partners")
    expect(page.locator("[data-status='Behind']")).to_have_count(1)
    _check(page, "partner contributions", too_wide)

    page.get_by_role("link", name="Record a pledge").click()
    page.get_by_label("Financial year").fill("next year")
    page.get_by_label("Money pledged (£)").fill("lots")
    page.get_by_role("button", name="Save pledge").click()
    expect(page.locator(".app-error-summary")).to_contain_text("Enter the financial year")
    _check(page, "a pledge with errors", too_wide)

    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Change the pledge of Somerset NHS Foundation Trust").click()
    page.get_by_label("Money received so far (£)").fill("-5")
    page.get_by_role("button", name="Save pledge").click()
    expect(page.locator(".app-error-summary")).to_be_visible()
    _check(page, "changing a pledge, with an error", too_wide)

    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Remove the pledge of Somerset NHS Foundation Trust").click()
    _check(page, "removing a pledge", too_wide)

    assert too_wide == {}


def test_finance_business_case_and_target_forms(setting, page: Page):
    too_wide = _on_a_phone(page, create_user("programme_manager"))
    base = f"/programmes/{SLUG}"
    scenario = create_scenario(setting, "High (cabinet report)", {2027: 1_097_000_00})

    page.goto(f"{base}/finance/budget-lines/new")
    page.get_by_label("Financial year").fill("someday")
    page.get_by_label("Budget in pounds").fill("lots")
    page.get_by_role("button", name="Save budget line").click()
    expect(page.locator(".app-error-summary")).to_be_visible()
    _check(page, "a budget line with errors", too_wide)

    page.goto(f"{base}/finance/budget-lines")
    page.get_by_role("link", name="Staffing 2026/27 (Council)").click()
    _check(page, "a budget line and its spend", too_wide)
    line_page = page.url
    page.get_by_role("link", name="Delete spend in Q2 2026/27").click()
    _check(page, "deleting spend", too_wide)
    page.goto(line_page)
    page.get_by_role("link", name="Delete Staffing 2026/27 (Council)").click()
    _check(page, "deleting a budget line", too_wide)

    page.goto(f"{base}/finance/business-case/scenarios/new")
    page.get_by_role("button", name="Add scenario").click()
    expect(page.locator(".app-error-summary")).to_be_visible()
    _check(page, "a scenario with an error", too_wide)
    page.goto(f"{base}/finance/business-case/scenarios/{scenario.id}/delete")
    _check(page, "deleting a scenario", too_wide)

    page.goto(f"{base}/outcomes/{KEY}/bridgwater/target")
    page.get_by_label("Baseline value").fill("about sixty")
    page.get_by_role("button", name="Save baseline and target").click()
    expect(page.locator(".app-error-summary")).to_contain_text(
        "The baseline value must be a number"
    )
    _check(page, "a target with an error", too_wide)

    assert too_wide == {}


def test_group_supervision_pages(setting, page: Page):
    too_wide = _on_a_phone(page, create_user("programme_manager"))

    page.goto(f"/programmes/{SLUG}/supervision")
    expect(page.locator("#teams [data-field='flag']")).to_have_count(3)
    _check(page, "group supervision", too_wide)

    page.get_by_role("link", name="Bridgwater East").click()
    team_page = page.url
    expect(page.locator("#session-list tbody tr")).to_have_count(1)
    _check(page, "a team's sessions and form", too_wide)

    page.get_by_label("Families discussed").fill("three")
    page.get_by_role("button", name="Record the session").click()
    expect(page.locator(".app-error-summary")).to_be_visible()
    _check(page, "the session form with an error", too_wide)

    page.get_by_role("link", name="Change the session on").first.click()
    _check(page, "changing a session", too_wide)
    page.goto(team_page)
    page.get_by_role("link", name="Remove the session on").first.click()
    _check(page, "removing a session", too_wide)

    assert too_wide == {}


def test_spend_and_indicator_imports(setting, page: Page):
    too_wide = _on_a_phone(page, create_user("programme_manager"))
    indicator = catalogue.get_indicator(setting, KEY)
    files = {
        "spend": csv_bytes(
            [
                [
                    "Financial year",
                    "Quarter",
                    "Category",
                    "Funding source",
                    "Amount",
                    "Description",
                ],
                ["2026/27", "Q3", "Staffing", "Council", "£12,500.00", "Agency social workers"],
                ["2030/31", "Q1", "Staffing", "Council", "£5,000", "No budget that year"],
            ]
        ),
        "indicators": csv_bytes(
            [
                ["Locality", "Indicator", "Period", "Value"],
                ["Bridgwater", indicator.name, "Oct 2026", "60.5"],
                ["Bridgwater", indicator.name, "Nov 2026", "-3"],
            ]
        ),
    }

    for kind, data in files.items():
        page.goto(f"/programmes/{SLUG}/imports/{kind}/new")
        _check(page, f"uploading {kind}", too_wide)
        page.get_by_label("Spreadsheet").set_input_files(
            {"name": f"{kind}.csv", "mimeType": "text/csv", "buffer": data}
        )
        # The first file read starts the spreadsheet worker's forkserver: seconds on a busy
        # machine, beyond the usual wait.
        page.get_by_role("button", name="Upload and preview").click(timeout=UPLOAD_MS)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Preview of {kind}.csv")
        expect(page.locator("[data-count='created']")).to_have_text("1")
        expect(page.locator("[data-count='rejected']")).to_have_text("1")
        _check(page, f"previewing {kind}", too_wide)

    assert too_wide == {}
