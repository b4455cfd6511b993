"""The import pages for issue 11's rows and columns: the preview lists rows that are not data and
columns not imported, the column form pre-selects what the app recognised, and the user chooses
what blank cells do for one import."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import ImportRecord, Post
from programme.services import localities
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import xlsx_bytes
from tests.pages import page_of, visible_text
from tests.queries import reread
from tests.views.test_imports import _options, _selected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Post No.", "Area", "Team", "Post Title", "Recruitment Stage", "Post Holder"]
HEADER += ["Notes", "Grade", "Cost centre"]
TEAM = ["Anytown North", "FS Team 1"]


def tracker(*rows, header=HEADER) -> bytes:
    return xlsx_bytes(
        [header, *rows],
        title_rows=[["Anytown Borough Council — FS recruitment"], ["Refreshed weekly"], []],
    )


ROWS = [
    ["AT/1", *TEAM, "IDVA", "In post", "Rhys Owen", "Chasing DBS", "NJC 9", "CC-19"],
    ["AT/2", *TEAM, "DA officer", "Advertised", None, None, "NJC 9", "CC-19"],
    [],
    ["TOTAL", None, None, None, None, None, None, None, "=COUNTA(I5:I6)"],
    ["Key: In post = started"],
]


@pytest.fixture
def programme(app):
    programme = create_programme("Anytown Family Safeguarding", "anytown")
    locality = create_locality(programme, name="Anytown North", slug="anytown-north")
    localities.create_team(locality, "FS Team 1", None)
    return programme


def _upload(client, programme, data: bytes, filename: str = "tracker.xlsx"):
    return client.post(
        f"/programmes/{programme.slug}/imports/recruitment/new",
        data={"file": (io.BytesIO(data), filename, XLSX)},
        content_type="multipart/form-data",
    )


def _newest() -> ImportRecord:
    return db.session.scalars(select(ImportRecord).order_by(ImportRecord.id.desc())).first()


def _url(programme, record, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/imports/{record.id}{suffix}"


def _checked(page: str) -> str:
    """The value of the checked radio button of the blank cells choice."""
    [value] = re.findall(r'<input(?=[^>]*\bchecked\b)[^>]*name="blank_cells"[^>]*>', page)
    return re.search(r'value="(\w+)"', value)[1]


def _not_data(page: str) -> list[str]:
    table = re.search(r'<table class="app-table" id="not-data">.*?</table>', page, re.S)
    assert table, "the preview lists no rows that are not data"
    return [
        visible_text(cells) for cells in re.findall(r'<tr id="skipped-\d+">(.*?)</tr>', table[0])
    ]


def test_the_preview_lists_rows_not_data_and_columns_not_imported(programme, sign_in):
    client = sign_in(create_user("hr_lead"))

    uploaded = _upload(client, programme, tracker(*ROWS))

    record = _newest()
    # Every required column was recognised: straight to the preview.
    assert uploaded.headers["Location"].endswith(_url(programme, record))
    page = page_of(client.get(_url(programme, record)))
    assert 'data-skipped="3"' in page
    assert "3 rows not data, skipped" in visible_text(page)
    assert _not_data(page) == [
        "Row 7 Not data, skipped: a blank row",
        "Row 8 Not data, skipped: a total row",
        "Row 9 Not data, skipped: a key",
    ]
    unused = re.search(r'<p class="app-body" id="unused-columns">(.*?)</p>', page, re.S)
    assert visible_text(unused[1]).startswith(
        "Not imported: “Grade” and “Cost centre” (2 columns that no field reads)"
    )
    assert 'data-count="rejected">0<' in page

    client.post(_url(programme, record, "/apply"))

    assert reread(record).state == "applied"
    applied = page_of(client.get(_url(programme, record)))
    assert len(_not_data(applied)) == 3
    listing = page_of(client.get(f"/programmes/{programme.slug}/imports"))
    row = re.search(rf'<tr id="import-{record.id}".*?</tr>', listing, re.S)[0]
    assert 'data-skipped="3"' in row


def test_the_column_form_pre_selects_every_column_the_app_recognised(programme, sign_in):
    client = sign_in(create_user("hr_lead"))
    header = ["Post No.", "Area", "Team", "Post Title", "Where we are", "Post Holder", "WTE"]
    _upload(client, programme, tracker([*ROWS[0][:4], "In post", "Rhys Owen", 1], header=header))
    record = _newest()

    page = page_of(client.get(_url(programme, record, "/columns")))

    choices = _selected(page)
    assert choices["reference"] == _options(page, "reference")["Post No."] == "0"
    assert (choices["locality"], choices["role"], choices["fte"]) == ("1", "3", "6")
    assert choices["holder_name"] == "5"
    assert choices["status"] == ""  # the one column it could not recognise
    assert choices["notes"] == ""  # not in this file


def test_blank_cells_leave_stored_values_alone_unless_chosen_for_the_import(programme, sign_in):
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, tracker(ROWS[0]))
    client.post(_url(programme, _newest(), "/apply"))
    _upload(client, programme, tracker(["AT/1", *TEAM, "IDVA", "In post", None, None]))
    record = _newest()

    page = page_of(client.get(_url(programme, record)))

    choice = re.search(r'<dd[^>]*id="blank-cells-choice"[^>]*>(.*?)</dd>', page, re.S)
    assert visible_text(choice[1]) == "Leave the stored value alone (2 stored values kept)"
    assert 'data-count="unchanged">1<' in page
    assert _checked(page) == "keep"
    fingerprint = re.search(r'name="plan" value="(\w+)"', page)[1]

    blank_cells = _url(programme, record, "/blank-cells")
    changed = client.post(blank_cells, data={"blank_cells": "clear"}, follow_redirects=True)

    assert changed.request.path == _url(programme, record)
    page = page_of(changed)
    assert "Blank cells now clear the stored value" in page
    assert 'data-blank-cells="clear"' in page and 'data-count="updated">1<' in page
    assert "Post holder: Rhys Owen → (blank)" in visible_text(page)
    assert _checked(page) == "clear"
    assert reread(record).blank_cells_clear is True
    # The preview confirmed before the change is not applied under the new choice.
    stale = client.post(_url(programme, record, "/apply"), data={"plan": fingerprint})
    assert stale.status_code == 409
    post = db.session.scalar(select(Post).where(Post.reference == "AT/1"))
    assert (reread(post).holder_name, post.notes) == ("Rhys Owen", "Chasing DBS")


def test_a_blank_cell_choice_must_be_one_of_the_two(programme, sign_in):
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, tracker(ROWS[0]))
    record = _newest()

    response = client.post(_url(programme, record, "/blank-cells"), data={"blank_cells": "wipe"})

    assert response.status_code == 400
    assert "There is a problem" in page_of(response)
    assert reread(record).blank_cells_clear is False


def test_an_attendance_import_offers_no_blank_cell_choice(programme, sign_in):
    client = sign_in(create_user("programme_manager"))
    data = xlsx_bytes(
        [["Course", "Module", "Date", "Email", "Attended"], ["MI", 1, TODAY, "a@b.org", "Y"]]
    )
    client.post(
        f"/programmes/{programme.slug}/imports/attendance/new",
        data={"file": (io.BytesIO(data), "register.xlsx", XLSX)},
        content_type="multipart/form-data",
    )
    record = _newest()

    page = page_of(client.get(_url(programme, record)))

    assert 'id="blank-cells"' not in page
    assert client.post(_url(programme, record, "/blank-cells")).status_code == 404
