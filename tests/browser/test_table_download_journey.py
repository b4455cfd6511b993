"""A viewer filters a locality's recruitment list in a real browser and downloads what it shows:
the Excel and CSV links carry the filters, the browser saves each file under its dated name,
and the files open with the filtered posts. The page, links included, passes axe-core."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.extensions import db
from programme.models import Post
from programme.services import localities as locality_service
from tests.browser.conftest import assert_accessible, page_width, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


@pytest.fixture
def recruitment_path(live_server) -> str:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    locality_service.create_team(
        locality, "FS Team North", None, establishment="lancashire", today=TODAY
    )
    for post in db.session.scalars(select(Post).order_by(Post.id).limit(2)):
        post.status, post.start_date = "advertised", date(2026, 12, 1)
    db.session.commit()
    return f"/programmes/{programme.slug}/localities/{locality.slug}/recruitment"


def test_a_viewer_downloads_the_filtered_recruitment_list_as_excel_and_csv(
    page: Page, recruitment_path: str
):
    sign_in_through_form(page, create_user("viewer"))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(recruitment_path)
    page.get_by_label("Status").select_option(label="Advertised")
    page.get_by_role("button", name="Filter posts", exact=True).click()
    expect(page.locator("#post-count")).to_contain_text("Showing 2 of 11 posts.")
    assert page_width(page) <= 375
    assert_accessible(page)

    with page.expect_download() as xlsx_download:
        page.get_by_role(
            "link", name="Excel (.xlsx) download of these 2 posts (the filters apply)"
        ).click()
    download = xlsx_download.value
    assert download.suggested_filename == f"bridgwater-posts-{TODAY.isoformat()}.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).worksheets[0]
    [header, *rows] = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("Post ref", "Locality", "Team", "Role")
    assert [row[header.index("Status")] for row in rows] == ["Advertised", "Advertised"]
    assert rows[0][header.index("Start date")].date() == date(2026, 12, 1)

    with page.expect_download() as csv_download:
        page.get_by_role(
            "link", name="CSV download of these 2 posts (the filters apply)", exact=True
        ).click()
    download = csv_download.value
    assert download.suggested_filename == f"bridgwater-posts-{TODAY.isoformat()}.csv"
    text = download.path().read_bytes().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3  # the header and the two posts
