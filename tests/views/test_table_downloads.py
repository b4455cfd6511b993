"""Every table page's .xlsx and .csv downloads: the page's own URL with ?download=, so the file
holds exactly the rows the page shows under its filters, in the page's columns, served under
the page's own permission. (Training and staff downloads: test_training_downloads.py.)"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Post, Role
from programme.services import audit, localities, recruitment_import
from programme.services.exports.admin_tables import AUDIT_COLUMNS, IMPORT_COLUMNS, OUTBOX_COLUMNS
from programme.services.exports.milestone_tables import (
    LOCALITY_MILESTONE_COLUMNS,
    MY_MILESTONE_COLUMNS,
)
from programme.services.exports.posts import POST_COLUMNS
from programme.services.exports.recruitment_tables import LOCALITY_SHARE_COLUMNS
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.pages import page_of
from tests.views.downloads import FORMATS, download, download_hrefs
from tests.views.test_outbox_pages import add as add_message

FORMULA_TITLE = '=HYPERLINK("http://x","y")'


def _headers(columns) -> list[str]:
    return [column.header for column in columns]


def _locality_url(locality, suffix: str = "") -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}{suffix}"


# ------------------------------------------------------------------ milestones


@pytest.fixture
def somerset(app):
    locality = create_locality(name="Somerset North", slug="somerset-north")
    governance = create_workstream(locality.programme, "Governance and partnership")
    create_milestone(
        locality, workstream=governance, title="Sign the ISA", due=date(2026, 11, 2), status="done"
    )
    create_milestone(
        locality,
        workstream=governance,
        title=FORMULA_TITLE,
        due=date(2026, 11, 20),
        gate_critical=True,
    )
    create_milestone(locality, title="Agree the budget", due=date(2027, 1, 6))
    return locality


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_localitys_milestones_download_in_the_pages_columns_and_order(
    app, sign_in, somerset, fmt
):
    client = sign_in(create_user("viewer"))
    page = client.get(_locality_url(somerset))
    assert download_hrefs(page, "milestone-downloads") == {
        "xlsx": _locality_url(somerset, "?download=xlsx"),
        "csv": _locality_url(somerset, "?download=csv"),
    }

    file = download(client, _locality_url(somerset), fmt, "somerset-north-milestones")

    assert file.headers == _headers(LOCALITY_MILESTONE_COLUMNS)
    shown_title = FORMULA_TITLE if fmt == "xlsx" else "'" + FORMULA_TITLE
    assert file.column("Milestone") == ["Sign the ISA", shown_title, "Agree the budget"]
    assert len(file.rows) == page_of(page).count('<tr id="milestone-')
    if fmt == "xlsx":
        assert file.column("Due") == [
            datetime(2026, 11, 2),
            datetime(2026, 11, 20),
            datetime(2027, 1, 6),
        ]
        assert file.column("Status") == ["Done", "Not started", "Not started"]
        assert file.column("RAG") == ["Green", "Red", "Green"]
        assert file.column("Gate-critical") == ["No", "Yes", "No"]
    else:
        assert file.column("Due") == ["02/11/2026", "20/11/2026", "06/01/2027"]
        assert file.column("Gate-critical") == ["no", "yes", "no"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_filtered_milestone_list_downloads_only_the_rows_it_shows(app, sign_in, somerset, fmt):
    """The locality page and the programme's milestones page: the file follows the filters."""
    other = create_locality(
        somerset.programme, name="Exmoor Fringe", slug="exmoor-fringe", go_live=date(2027, 9, 1)
    )
    create_milestone(other, title="Brief the magistrates", due=date(2027, 2, 3))
    client = sign_in(create_user("viewer"))
    programme_url = f"/programmes/{somerset.programme.slug}/milestones"
    for url, name, expected in (
        (_locality_url(somerset), "somerset-north-milestones", ["Sign the ISA"]),
        (programme_url, f"{somerset.programme.slug}-milestones", ["Sign the ISA"]),
        (programme_url + "?status=", f"{somerset.programme.slug}-milestones", None),
    ):
        filtered = url if "?" in url else url + "?status=done"
        page = client.get(filtered)
        assert ("matching the filters" in page_of(page)) == (expected is not None)
        file = download(client, filtered, fmt, name)
        assert file.headers == _headers(LOCALITY_MILESTONE_COLUMNS)
        if expected is not None:
            assert file.column("Milestone") == expected
        else:
            assert sorted(file.column("Locality")) == ["Exmoor Fringe", *["Somerset North"] * 3]
        assert len(file.rows) == page_of(page).count('<tr id="milestone-')


def test_formula_text_in_a_milestone_title_and_post_notes_comes_out_inert(app, sign_in, somerset):
    team = localities.create_team(somerset, "FS Team North", None, today=TODAY)
    post = _post(team, notes="-2+3", holder_name="@Dana")
    client = sign_in(create_user("viewer"))

    milestones = download(client, _locality_url(somerset), "xlsx", "somerset-north-milestones")
    [title_cell] = [row[1] for row in milestones.cells if row[1].value == FORMULA_TITLE]
    assert title_cell.data_type == "s"  # a string cell, never a formula
    posts_xlsx = download(client, _locality_url(somerset, "/recruitment"), "xlsx", _posts(somerset))
    notes = next(row[13] for row in posts_xlsx.cells if row[0].value == post.reference)
    assert (notes.value, notes.data_type) == ("-2+3", "s")
    posts_csv = download(client, _locality_url(somerset, "/recruitment"), "csv", _posts(somerset))
    assert posts_csv.column("Notes") == ["'-2+3"]
    assert posts_csv.column("Post holder") == ["'@Dana"]
    assert "'" + FORMULA_TITLE in download(
        client, _locality_url(somerset), "csv", "somerset-north-milestones"
    ).column("Milestone")


@pytest.mark.parametrize("fmt", FORMATS)
def test_my_milestones_download_holds_only_the_users_own(app, sign_in, somerset, fmt):
    owner = create_user("programme_manager")
    create_milestone(somerset, title="Brief the board", owner=owner, due=date(2026, 12, 14))
    create_milestone(somerset, title="Train the managers", owner=owner, status="done")
    client = sign_in(owner)
    page = client.get("/my-milestones")
    assert download_hrefs(page, "milestone-downloads")["xlsx"] == "/my-milestones?download=xlsx"

    file = download(client, "/my-milestones", fmt, "my-milestones")

    assert file.headers == _headers(MY_MILESTONE_COLUMNS)
    assert file.column("Milestone") == ["Brief the board", "Train the managers"]
    assert file.column("Locality") == ["Somerset North", "Somerset North"]
    assert file.column("RAG")[0] == "Amber"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_table_with_no_rows_is_a_valid_file_with_its_header_row(app, sign_in, fmt):
    client = sign_in(create_user("viewer"))

    file = download(client, "/my-milestones", fmt, "my-milestones")

    assert file.headers == _headers(MY_MILESTONE_COLUMNS)
    if fmt == "xlsx":  # the sheet says why it is empty, under the header row
        assert file.rows == [["You do not own any milestones", None, None, None, None]]
    else:
        assert file.rows == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_recruitment_list_filtered_to_nothing_is_its_header_row_alone(app, sign_in, fmt):
    locality = create_locality(name="Taunton", slug="taunton")
    localities.create_team(locality, "FS Team", None, establishment="lancashire", today=TODAY)
    client = sign_in(create_user("viewer"))
    url = _locality_url(locality, "/recruitment?status=in_post")
    assert "Showing 0 of 11 posts." in page_of(client.get(url))

    file = download(client, url, fmt, _posts(locality))

    # No message row: a saved list must import back, and a message is not a post.
    assert (file.headers, file.rows) == (_headers(POST_COLUMNS), [])


# ------------------------------------------------------------------ recruitment


def _post(team, role_key: str = "da_perpetrators", **values) -> Post:
    return create_post(team, role_key, reference=f"REF-{role_key}-{team.id}".upper(), **values)


def _posts(locality) -> str:
    return f"{locality.slug}-posts"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_recruitment_list_download_is_filtered_as_the_page_is(app, sign_in, fmt):
    locality = create_locality(name="Taunton", slug="taunton")
    localities.create_team(locality, "FS Team", None, establishment="lancashire", today=TODAY)
    in_post = db.session.scalars(select(Post).order_by(Post.id).limit(3)).all()
    for post in in_post:
        post.status, post.start_date = "in_post", date(2026, 9, 1)
    db.session.commit()
    client = sign_in(create_user("viewer"))
    url = _locality_url(locality, "/recruitment?status=in_post")
    page = client.get(url)
    hrefs = download_hrefs(page, "post-downloads")
    assert hrefs[fmt] == _locality_url(locality, f"/recruitment?status=in_post&download={fmt}")
    assert "Showing 3 of 11 posts." in page_of(page)

    file = download(client, url, fmt, _posts(locality))
    everything = download(client, _locality_url(locality, "/recruitment"), fmt, _posts(locality))

    assert file.headers == _headers(POST_COLUMNS)
    assert len(file.rows) == 3
    assert set(file.column("Status")) == {"In post"}
    assert len(everything.rows) == 11
    if fmt == "xlsx":
        assert file.column("Start date") == [datetime(2026, 9, 1)] * 3
        assert all(isinstance(fte, int | float) for fte in file.column("FTE"))


def test_the_old_csv_address_gives_the_same_file_as_the_pages_download(app, sign_in, somerset):
    localities.create_team(somerset, "FS Team", None, establishment="lancashire", today=TODAY)
    client = sign_in(create_user("viewer"))

    old = client.get(_locality_url(somerset, "/recruitment.csv?status=vacant")).get_data()
    new = client.get(_locality_url(somerset, "/recruitment?status=vacant&download=csv"))

    assert old == new.get_data()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_programmes_recruitment_shares_download_with_a_total_row(app, sign_in, somerset, fmt):
    localities.create_team(somerset, "FS Team", None, establishment="lancashire", today=TODAY)
    create_locality(somerset.programme, name="Yeovil", slug="yeovil", wave=2)
    post = db.session.scalars(
        select(Post).join(Role).where(Role.adult_specialist.is_(True)).limit(1)
    ).one()
    post.status, post.start_date = "in_post", date(2026, 9, 1)
    db.session.commit()
    client = sign_in(create_user("board_member"))
    url = f"/programmes/{somerset.programme.slug}/recruitment"
    assert download_hrefs(client.get(url), "locality-downloads")

    file = download(client, url, fmt, f"{somerset.programme.slug}-recruitment")

    assert file.headers == _headers(LOCALITY_SHARE_COLUMNS)
    assert file.column("Locality") == ["Somerset North", "Yeovil", "Programme"]
    if fmt == "xlsx":
        assert file.column("Share recruited") == [0.5, None, 0.5]
        assert file.cells[0][5].number_format == "0.0%"
        assert file.column("Go-live date")[0] == datetime(2027, 4, 6)
    else:
        assert file.column("Share recruited") == ["50%", "", "50%"]


# ------------------------------------------------------------------ imports, audit, outbox


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_imports_list_downloads(app, sign_in, somerset, fmt):
    team = localities.create_team(somerset, "FS Team", None, today=TODAY)
    csv_text = f"Locality,Team,Role,Status\n{somerset.name},{team.name},IDVA,Advertised\n"
    recruitment_import.RECRUITMENT.upload(
        somerset.programme, csv_text.encode(), "=tracker.csv", None, ReadLimits(), today=TODAY
    )
    client = sign_in(create_user("viewer"))
    url = f"/programmes/{somerset.programme.slug}/imports"
    assert download_hrefs(client.get(url), "import-downloads")

    file = download(client, url, fmt, f"{somerset.programme.slug}-imports")

    assert file.headers == _headers(IMPORT_COLUMNS)
    assert len(file.rows) == 1
    assert file.column("State") == ["Previewed"]
    if fmt == "xlsx":
        assert isinstance(file.column("Uploaded")[0], datetime)
        assert file.column("File") == ["=tracker.csv"]
        assert file.cells[0][0].data_type == "s"
    else:
        assert file.column("File") == ["'=tracker.csv"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_audit_trail_downloads_for_those_who_may_see_it(app, sign_in, somerset, fmt):
    manager = create_user("programme_manager", name="Pat Manager")
    audit.record(
        manager,
        "update",
        "milestone",
        1,
        "Changed “Sign the ISA”",
        locality_id=somerset.id,
        before={"status": "not_started"},
        after={"status": "done", "notes": None},
    )
    db.session.commit()
    url = _locality_url(somerset, "/audit")
    assert sign_in(create_user("viewer")).get(f"{url}?download={fmt}").status_code == 403
    client = sign_in(manager)
    assert download_hrefs(client.get(url), "audit-downloads")

    file = download(client, url, fmt, "somerset-north-audit-trail")

    assert file.headers == _headers(AUDIT_COLUMNS)
    assert file.rows[0][1:] == [
        "Pat Manager",
        "Changed",
        "Changed “Sign the ISA”",
        "Status: Not started → Done\nNotes: —",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_outbox_download_holds_every_page_the_filters_match(app, sign_in, fmt):
    for n in range(53):
        add_message(f"person{n}@example.org", status="failed", last_error="-ERR 550")
    add_message("sent@example.org", status="sent")
    client = sign_in(create_user("admin"))
    page = client.get("/admin/outbox?status=failed&page=2")
    assert download_hrefs(page, "message-downloads")[fmt] == (
        f"/admin/outbox?status=failed&download={fmt}"
    )

    file = download(client, "/admin/outbox?status=failed", fmt, "outbox")

    assert file.headers == _headers(OUTBOX_COLUMNS)
    assert len(file.rows) == 53
    assert set(file.column("Status")) == {"Failed"}
    assert set(file.column("Last error")) == {"-ERR 550" if fmt == "xlsx" else "'-ERR 550"}
    assert set(file.column("Digest week")) == {"2026-W49"}


# ------------------------------------------------------------------ who may download


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("viewer", "/admin/outbox", 403),
        ("programme_manager", "/admin/outbox", 403),
        ("hr_lead", "/programmes/{programme}/localities/{locality}/audit", 403),
        ("trainer", "/programmes/{programme}/localities/{locality}/audit", 403),
        (None, "/programmes/{programme}/localities/{locality}", 302),
        (None, "/my-milestones", 302),
    ],
)
def test_who_cannot_see_a_page_cannot_download_its_table(app, sign_in, client, role, url, status):
    locality = create_locality()
    create_milestone(locality)
    if role:
        client = sign_in(create_user(role))
    url = url.format(programme=locality.programme.slug, locality=locality.slug)

    for fmt in FORMATS:
        response = client.get(f"{url}?download={fmt}")
        assert response.status_code == status
        assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_an_unknown_download_format_shows_the_page(app, sign_in, somerset):
    client = sign_in(create_user("viewer"))

    response = client.get(_locality_url(somerset, "?download=pdf"))

    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_the_workbook_names_its_sheet_and_document_after_the_table(app, sign_in, somerset):
    client = sign_in(create_user("viewer"))

    body = client.get(_locality_url(somerset, "?download=xlsx")).get_data()

    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Somerset North milestones"]
    assert workbook.properties.title == "Somerset Family Safeguarding: Somerset North milestones"
    assert workbook.properties.creator == "Family Safeguarding programme tracker"
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
