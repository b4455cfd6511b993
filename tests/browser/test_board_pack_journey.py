"""A board member issues a board pack for a meeting and downloads it, in a real browser.

From the go-live readiness board: "Issue a board pack" leads to the form, which says what will
be stored; the pack's page then shows its changes (the first pack: nothing to compare) and the
download gives the file exactly as stored. A second try for the same meeting is refused with
the reason. Every page passes axe-core's WCAG 2.2 AA rules, at full width and 375 px wide, and
fits the narrow screen."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from programme.extensions import db
from programme.services.board_packs import listing
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_post, create_programme, create_team, create_user

pytestmark = pytest.mark.browser

NARROW = 375


def _fits(page: Page) -> None:
    assert page_width(page) <= NARROW, page.url


def test_a_board_member_issues_a_pack_and_downloads_it(app, page: Page, tmp_path: Path):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    create_post(create_team(taunton, name="FS Team"), status="in_post", reference="T-01")
    board_member = create_user("board_member", name="Bernard Okafor")
    sign_in_through_form(page, board_member)

    page.goto("/programmes/somerset/readiness")
    packs = page.get_by_role("region", name="Board packs")
    expect(packs.get_by_text("No board pack has been issued yet.")).to_be_visible()
    assert_accessible(page)
    packs.get_by_role("link", name="Issue a board pack").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Issue a board pack")
    expect(page.get_by_text("cannot be changed or replaced", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Meeting date").fill("2026-12-03")
    page.get_by_role("button", name="Issue the board pack").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Board pack for 3 Dec 2026")
    expect(page.get_by_text("Issued the board pack for 3 Dec 2026.")).to_be_visible()
    expect(page.get_by_text("This is the first board pack", exact=False)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the board pack for 3 Dec 2026").click()
    download = download_info.value
    assert download.suggested_filename == "somerset-board-pack-2026-12-03.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    db.session.expire_all()
    [pack] = listing.packs_of(programme)
    stored = listing.get_pack(programme, pack.id, with_workbook=True)
    assert saved.read_bytes() == stored.workbook
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == stored.sha256

    # The same meeting again is refused, with the reason beside the field.
    page.goto("/programmes/somerset/board-packs/new")
    page.get_by_label("Meeting date").fill("2026-12-03")
    page.get_by_role("button", name="Issue the board pack").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "There is already a board pack for the meeting on 3 Dec 2026"
    )
    assert_accessible(page)

    # The board lists the pack; every page reads and fits at 375 px.
    page.set_viewport_size({"width": NARROW, "height": 800})
    for path in (
        "/programmes/somerset/readiness",
        "/programmes/somerset/board-packs",
        "/programmes/somerset/board-packs/changes",
        "/programmes/somerset/board-packs/new",
        f"/programmes/somerset/board-packs/{pack.id}",
    ):
        page.goto(path)
        _fits(page)
        assert_accessible(page)
    page.goto("/programmes/somerset/readiness")
    expect(
        page.get_by_role("region", name="Board packs").get_by_role(
            "link", name="3 Dec 2026", exact=True
        )
    ).to_be_visible()
