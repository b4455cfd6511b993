"""The programme workbook download: who may, its headers, and the links on the overview and
board pages."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from programme.services.exports.workbook import SHEET_NAMES
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY

LINK = "Download the programme workbook (.xlsx)"


def test_a_board_member_downloads_the_workbook_uncached(app, sign_in, pin_clock):
    pin_clock(TODAY)
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    create_locality(programme, name="Taunton")
    client = sign_in(create_user("board_member"))

    response = client.get("/programmes/somerset/workbook.xlsx")

    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="somerset-programme-2026-11-30.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == list(SHEET_NAMES)


def test_the_overview_links_the_workbook_only_for_those_who_may_export_it(app, client, sign_in):
    create_programme("Somerset Family Safeguarding", "somerset")
    sign_in(create_user("programme_manager"))
    page = client.get("/programmes/somerset").get_data(as_text=True)
    assert LINK in page and 'href="/programmes/somerset/workbook.xlsx"' in page

    sign_in(create_user("viewer"))
    assert LINK not in client.get("/programmes/somerset").get_data(as_text=True)
    assert client.get("/programmes/somerset/workbook.xlsx").status_code == 403


def test_the_board_page_links_the_workbook_only_for_those_who_may_export_it(app, client, sign_in):
    create_programme("Somerset Family Safeguarding", "somerset")
    sign_in(create_user("board_member"))
    page = client.get("/programmes/somerset/readiness").get_data(as_text=True)
    assert LINK in page and 'href="/programmes/somerset/workbook.xlsx"' in page

    sign_in(create_user("trainer"))
    assert LINK not in client.get("/programmes/somerset/readiness").get_data(as_text=True)
