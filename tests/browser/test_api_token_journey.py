"""A user makes a personal API token in a real browser, sees it once, uses it, and revokes it.

She signs in through the form, follows "Your account" from the header, names a token and creates
it. The next page shows the token once, with the warning that it will not be shown again; a
script (here urllib, with no cookies) reads a locality's readiness with it. Back on the account
page the token is nowhere to be seen, only its prefix. She revokes it after confirming, the
table says so, and the script is refused. Every page passes axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user

pytestmark = pytest.mark.browser


def _script_reads(url: str, token: str) -> tuple[int, dict]:
    """What a script sending the token (and no cookie) is answered."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as refusal:
        return refusal.code, json.load(refusal)


def test_a_user_creates_a_token_sees_it_once_and_revokes_it(page: Page, live_server: str):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    create_locality(programme, name="Bridgwater", slug="bridgwater")
    user = create_user("viewer", name="Val Viewer")
    readiness_url = f"{live_server}/api/programmes/somerset/localities/bridgwater/readiness"

    sign_in_through_form(page, user)
    page.get_by_role("link", name="Your account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_accessible(page)

    # Name and create a token: it is shown once, with the warning.
    page.get_by_label("Token name", exact=True).fill("Nightly report")
    page.get_by_role("button", name="Create token", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    expect(page.get_by_role("alert")).to_contain_text(
        "Copy the token now. You will not see it again"
    )
    token = page.get_by_label("The token “Nightly report”", exact=True).input_value()
    assert token.startswith("fst_") and len(token) > 40
    assert_accessible(page)

    status, document = _script_reads(readiness_url, token)
    assert (status, document["locality"]) == (200, "bridgwater")

    # Back on the account page: the token is listed by its prefix, never shown again.
    page.get_by_role("link", name="I have copied it: back to your account", exact=True).click()
    row = page.locator("#tokens tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nightly report")
    expect(row).to_contain_text(token[:12] + "…")
    expect(row).to_contain_text("Active")
    assert token not in page.content()
    assert_accessible(page)

    # Revoke it, after confirming.
    row.get_by_role("link", name="Revoke the token “Nightly report”", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token “Nightly report”?")
    assert token not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token", exact=True).click()

    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("status")).to_contain_text("Revoked the token “Nightly report”.")
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("link")).to_have_count(0)
    assert_accessible(page)

    status, document = _script_reads(readiness_url, token)
    assert status == 401 and "not recognised" in document["error"]
