"""A user who belongs to one programme of two sees only theirs: signing in and the home page
take them to it, and the other programme's address answers the "Page not found" page, which
does not name it. The pages pass axe-core's WCAG 2.2 AA rules (issue 16)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user

pytestmark = pytest.mark.browser


def test_a_member_of_one_programme_sees_only_it(page: Page, live_server: str):
    ours = create_programme("Somerset Family Safeguarding", "somerset")
    create_locality(ours, name="South Somerset", slug="south-somerset", go_live=date(2027, 4, 6))
    theirs = create_programme("Devon Family Safeguarding", "devon")
    create_locality(theirs, name="North Devon", slug="north-devon", go_live=date(2027, 4, 6))
    user = create_user("hr_lead", member_of=[ours], name="Hana Lead")

    # Signing in lands on their only programme, and so does the home page.
    sign_in_through_form(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Somerset Family Safeguarding")
    expect(page.get_by_text("Devon Family Safeguarding")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/programmes/somerset$"))

    # The other programme, and a page inside it, are as if they did not exist.
    for path in ("/programmes/devon", "/programmes/devon/localities/north-devon"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text("Devon")).to_have_count(0)
        assert_accessible(page)
