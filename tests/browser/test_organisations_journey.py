"""A programme manager merges a duplicate partner organisation in a real browser: the list, the
choice, the confirmation saying what will move, and the list afterwards, each passing axe-core's
WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from programme.services import organisations
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_post, create_programme, create_team, create_user

pytestmark = pytest.mark.browser


def test_a_programme_manager_merges_a_duplicate_organisation(live_server, page: Page):
    programme = create_programme(slug="westshire")
    team = create_team(create_locality(programme))
    probation = organisations.create_organisation(
        programme, "Westshire Probation Delivery Unit", "probation", None
    )
    duplicate = organisations.create_organisation(programme, "HMPPS Westshire", "probation", None)
    create_post(team, "da_perpetrators", organisation=duplicate, status="in_post")
    create_post(team, "da_perpetrators", organisation=probation)
    kept, merged = probation.id, duplicate.id
    manager = create_user("programme_manager")
    sign_in_through_form(page, manager)

    page.goto(f"/programmes/{programme.slug}/organisations")
    assert_accessible(page)
    page.get_by_role("link", name="Merge HMPPS Westshire into another").click()
    assert_accessible(page)
    page.get_by_label("Merge it into").select_option(
        label="Westshire Probation Delivery Unit (Probation)"
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#merge-outline")).to_contain_text(
        "1 post and 0 people move to Westshire Probation Delivery Unit."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Merge HMPPS Westshire into Westshire Probation").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Merged HMPPS Westshire into Westshire Probation Delivery Unit: 1 post and 0 people moved."
    )
    section = page.locator(f"#organisation-{kept}")
    expect(section.locator('[data-field="posts"]')).to_have_text("2")
    expect(section.locator('[data-field="names"]')).to_have_text("HMPPS Westshire")
    expect(page.locator(f"#organisation-{merged}")).to_have_count(0)
    assert_accessible(page)
