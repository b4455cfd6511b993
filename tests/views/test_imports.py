"""Importing an HR recruitment spreadsheet through the web: upload, map columns, preview every
row, apply all rows or none, undo, and download the file as it was stored."""

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import ColumnMapping, ImportRecord, Post, PostStatusChange, Role, Team
from programme.services import localities as locality_service
from programme.services.recruitment import posts as post_service
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY, IsolatedClient, make_app, sign_in_as
from tests.files import xlsx_bytes
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024
TITLE_ROWS = [["Somerset Family Safeguarding: recruitment tracker"], ["Updated 27/11/2026"], []]
HEADERS = [
    "Post Ref",
    "Service Area",
    "Team",
    "Job Title",
    "Current Status",
    "Post holder",
    "Start date",
    "Notes",
]
# The title rows take rows 1-3, the header row 4: data starts on row 5.
FIRST_ROW = 5


# ------------------------------------------------------------------ helpers


@pytest.fixture
def setting(app):
    """A programme with Bridgwater's FS Team North on the Lancashire establishment (11 vacant
    posts, one DA worker (perpetrators) and one adult mental health practitioner)."""
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    team = locality_service.create_team(
        locality, "FS Team North", None, establishment="lancashire", today=TODAY
    )
    return programme, locality, team


def _post(team: Team, role_key: str) -> Post:
    [post] = db.session.scalars(
        select(Post).join(Role).where(Post.team_id == team.id, Role.key == role_key)
    ).all()
    return post


def _row(**cells) -> list:
    """A data row under HEADERS; unspecified cells are blank."""
    values = {
        "ref": None,
        "locality": "Bridgwater",
        "team": "FS Team North",
        "role": "DA officer",
        "status": "Vacant",
        "holder": None,
        "start": None,
        "notes": None,
    }
    values.update(cells)
    return list(values.values())


GOOD_ROWS = [
    # Matches the team's DA worker (perpetrators) post, which has no reference yet: updated.
    _row(
        ref="SOM-001",
        role="DA officer",
        status="In post",
        holder="Dana Cole",
        start=date(2026, 9, 1),
    ),
    # Matches the adult mental health post and says what it already holds: unchanged.
    _row(role="Mental health practitioner", status="Vacant"),
    # The Lancashire establishment has no DA worker (victims) post: created.
    _row(ref="SOM-100", role="IDVA", status="Advertised", notes="Closes 12 Dec"),
]


def _xlsx(rows, headers=HEADERS) -> bytes:
    return xlsx_bytes([headers, *rows], title_rows=TITLE_ROWS)


def _imports_url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/imports{suffix}"


def _upload(client, programme, data: bytes, filename: str = "tracker.xlsx", **kwargs):
    return client.post(
        _imports_url(programme, "/recruitment/new"),
        data={"file": (io.BytesIO(data), filename, XLSX)},
        content_type="multipart/form-data",
        **kwargs,
    )


def _only_record() -> ImportRecord:
    [record] = db.session.scalars(select(ImportRecord)).all()
    return record


def _counts(page: str) -> dict[str, int]:
    return {
        action: int(count) for action, count in re.findall(r'data-count="(\w+)">(\d+)</dd>', page)
    }


def _preview_rows(page: str) -> dict[int, tuple[str, str]]:
    """Row number -> (outcome, visible text) in the preview table."""
    return {
        int(number): (action, visible_text(cells))
        for number, action, cells in re.findall(
            r'<tr id="row-(\d+)" data-action="(\w+)"[^>]*>(.*?)</tr>', page, re.S
        )
    }


def _error_summary(page: str) -> str:
    match = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert match, "the page has no error summary"
    return visible_text(match.group(0))


class _Selects(HTMLParser):
    """Each <select>'s name and the value of its selected option, as a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._name: str | None = None
        self._first: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select":
            self._name, self._first = attributes["name"], None
        elif tag == "option" and self._name:
            if self._first is None:
                self._first = attributes.get("value", "")
            if "selected" in attributes:
                self.values[self._name] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._name:
            self.values.setdefault(self._name, self._first or "")
            self._name = None


def _selected(page: str) -> dict[str, str]:
    parser = _Selects()
    parser.feed(page)
    return parser.values


def _options(page: str, name: str) -> dict[str, str]:
    """Option label -> value in the select called `name`."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
    return {
        visible_text(label): value
        for value, label in re.findall(
            r'<option[^>]*value="([^"]*)"[^>]*>(.*?)</option>', select_html
        )
    }


def _post_state(team: Team) -> list[tuple]:
    """Every post in the team as a comparable tuple, to prove nothing was written."""
    return [
        (p.id, p.role_id, p.reference, p.status, p.holder_name, p.start_date, p.notes, p.version)
        for p in db.session.scalars(select(Post).where(Post.team_id == team.id).order_by(Post.id))
    ]


# ------------------------------------------------------------------ upload, preview, apply, undo


def test_the_upload_page_says_which_columns_are_needed(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))

    response = client.get(_imports_url(programme, "/recruitment/new"))

    assert response.status_code == 200
    page = page_of(response)
    assert "The file needs a column for each of: locality, team, role, status." in page
    assert 'enctype="multipart/form-data"' in page
    assert "up to 10 MB and 50,000 rows" in page


def test_a_good_file_is_previewed_row_by_row_without_changing_anything(app, sign_in, setting):
    programme, _locality, team = setting
    before = _post_state(team)
    client = sign_in(create_user("hr_lead"))

    response = _upload(client, programme, _xlsx(GOOD_ROWS))

    record = _only_record()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_imports_url(programme, f"/{record.id}"))
    assert (record.state, record.original_name, record.header_row) == (
        "previewed",
        "tracker.xlsx",
        4,
    )
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200
    page = page_of(preview)
    assert "Preview of tracker.xlsx" in page
    assert _counts(page) == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    rows = _preview_rows(page)
    assert set(rows) == {FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2}  # every row is listed
    assert rows[FIRST_ROW + 1][0] == "unchanged"
    updated_action, updated_text = rows[FIRST_ROW]
    assert updated_action == "updated"
    assert "Bridgwater · FS Team North · DA worker (perpetrators) · SOM-001" in updated_text
    assert "Status: Vacant → In post" in updated_text
    assert "Post holder: (blank) → Dana Cole" in updated_text
    assert "Start date: (blank) → 1 Sep 2026" in updated_text
    created_action, created_text = rows[FIRST_ROW + 2]
    assert created_action == "created"
    assert "DA worker (victims/survivors) · SOM-100" in created_text
    assert "New post" in created_text
    assert "Save every row" in page
    assert "There is a problem" not in page
    assert _post_state(team) == before


def test_applying_a_preview_saves_every_row_and_undo_puts_everything_back(app, sign_in, setting):
    programme, locality, team = setting
    hr_lead = create_user("hr_lead", name="Helen Rees")
    before = _post_state(team)
    history_before = count_rows(PostStatusChange)
    client = sign_in(hr_lead)
    record_url = _upload(client, programme, _xlsx(GOOD_ROWS)).headers["Location"]
    record = _only_record()

    applied = client.post(_imports_url(programme, f"/{record.id}/apply"), follow_redirects=True)

    assert applied.status_code == 200
    assert applied.request.path == f"/programmes/{programme.slug}/recruitment"
    page = page_of(applied)
    assert "Imported tracker.xlsx: 1 created, 1 updated, 1 unchanged." in page
    da_worker = _post(team, "da_perpetrators")
    assert (da_worker.reference, da_worker.status, da_worker.holder_name) == (
        "SOM-001",
        "in_post",
        "Dana Cole",
    )
    assert (da_worker.start_date, da_worker.status_changed_on) == (date(2026, 9, 1), TODAY)
    created = _post(team, "da_victims")
    assert (created.reference, created.status, created.organisation.type, created.notes) == (
        "SOM-100",
        "advertised",
        "da_charity",
        "Closes 12 Dec",
    )
    assert count_rows(Post, Post.team_id == team.id) == 12
    steps = db.session.scalars(
        select(PostStatusChange).where(PostStatusChange.import_id == record.id)
    ).all()
    assert {(step.post_id, step.status, step.actor_id) for step in steps} == {
        (da_worker.id, "in_post", hr_lead.id),
        (created.id, "advertised", hr_lead.id),
    }
    record = reread(record)
    assert (record.state, record.applied_by_id) == ("applied", hr_lead.id)
    [event] = audit_events_for("import", record.id)
    assert event.locality_id == locality.id
    # The locality's adult-specialist share counts the imported status: 1 of 3 now.
    shares = page_of(applied)
    assert re.search(
        rf'<tr data-locality="{locality.slug}">.*?data-field="share">.*?33%.*?1 of 3', shares, re.S
    )
    # The preview of an applied import shows what it did, with no button to apply it again.
    finished = page_of(client.get(record_url))
    assert "Import of tracker.xlsx" in finished
    assert "Save every row" not in finished

    listing = client.get(_imports_url(programme))
    listing_page = page_of(listing)
    row = re.search(
        rf'<tr id="import-{record.id}" data-state="applied">.*?</tr>', listing_page, re.S
    )
    assert row, "the import list does not show the applied import"
    assert "Undo the import of tracker.xlsx" in visible_text(row.group(0))
    assert "Applied" in visible_text(row.group(0))

    undone = client.post(_imports_url(programme, f"/{record.id}/undo"), follow_redirects=True)

    assert undone.status_code == 200
    assert undone.request.path == _imports_url(programme)
    undone_page = page_of(undone)
    assert "Undid the import of tracker.xlsx: 2 rows put back." in undone_page
    assert f'<tr id="import-{record.id}" data-state="undone">' in undone_page
    assert "Undo the import" not in undone_page
    assert [state[:7] for state in _post_state(team)] == [state[:7] for state in before]
    assert count_rows(PostStatusChange) == history_before
    assert reread(da_worker).status_changed_on == TODAY  # dated again by the establishment
    assert reread(record).state == "undone"
    assert [e.action for e in audit_events_for("import", record.id)] == ["import", "undo_import"]


def test_an_import_is_not_undone_over_a_later_change_to_one_of_its_posts(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    client.post(_imports_url(programme, f"/{record.id}/apply"))
    da_worker = _post(team, "da_perpetrators")
    post_service.update_post(  # someone corrects the post after the import
        da_worker,
        post_service.PostInput(
            role_id=da_worker.role_id,
            reference=da_worker.reference,
            status="in_post",
            holder_name="Dana Cole-Smith",
        ),
        None,
        today=TODAY,
        expected_version=da_worker.version,
    )
    after_edit = _post_state(team)

    response = client.post(_imports_url(programme, f"/{record.id}/undo"), follow_redirects=True)

    assert "so undoing the import would lose that change" in page_of(response)
    assert _post_state(team) == after_edit
    assert reread(record).state == "applied"


def test_an_import_can_be_undone_only_once(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    client.post(_imports_url(programme, f"/{record.id}/apply"))
    client.post(_imports_url(programme, f"/{record.id}/undo"))
    after_undo = _post_state(team)

    again = client.post(_imports_url(programme, f"/{record.id}/undo"), follow_redirects=True)

    assert "can be undone, and only once." in page_of(again)
    assert _post_state(team) == after_undo


def test_applying_the_same_import_twice_answers_409_already_applied(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    first = client.post(_imports_url(programme, f"/{record.id}/apply"))
    after_first = _post_state(team)
    history = count_rows(PostStatusChange)

    second = client.post(_imports_url(programme, f"/{record.id}/apply"))

    assert first.status_code == 302
    assert second.status_code == 409
    page = page_of(second)
    assert "This import was already applied; upload the file again." in _error_summary(page)
    assert "Save every row" not in page
    assert _post_state(team) == after_first
    assert count_rows(PostStatusChange) == history
    assert len(audit_events_for("import", record.id)) == 1


# ------------------------------------------------------------------ rejected rows


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            _row(role="Mental helth practitioner"),
            "Row 6, Job Title: There is no role “Mental helth practitioner”. "
            "Did you mean “Adult mental health practitioner”?",
        ),
        (
            _row(locality="Bridgewater"),
            "Row 6, Service Area: There is no locality “Bridgewater”. Did you mean “Bridgwater”?",
        ),
        (
            # "IDVA worker" shares most of its words with "IDVA" (domain/vocabulary.py).
            _row(role="IDVA worker"),
            "Row 6, Job Title: There is no role “IDVA worker”. "
            "Did you mean “DA worker (victims/survivors)”?",
        ),
    ],
)
def test_a_file_with_a_rejected_row_names_the_row_and_cannot_be_applied(
    app, sign_in, setting, bad_row, message
):
    programme, _locality, team = setting
    before = _post_state(team)
    client = sign_in(create_user("hr_lead"))
    rows = [GOOD_ROWS[0], bad_row, GOOD_ROWS[2]]

    uploaded = _upload(client, programme, _xlsx(rows))
    preview = client.get(uploaded.headers["Location"])

    assert preview.status_code == 200
    page = page_of(preview)
    assert "<title>Error: Import of tracker.xlsx" in page
    summary = _error_summary(page)
    assert message in summary
    assert f'<a href="#row-{FIRST_ROW + 1}">' in page
    assert _counts(page) == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert _preview_rows(page)[FIRST_ROW + 1][0] == "rejected"
    assert "Nothing can be saved while any row is rejected." in page
    assert "Save every row" not in page
    assert "/apply" not in page
    record = _only_record()
    assert record.rejected == 1
    assert record.errors[0]["row"] == FIRST_ROW + 1

    forced = client.post(_imports_url(programme, f"/{record.id}/apply"))

    assert forced.status_code == 409
    assert "1 row cannot be imported, so nothing was saved." in _error_summary(page_of(forced))
    assert _post_state(team) == before
    assert reread(record).state == "previewed"
    assert audit_events_for("import", record.id) == []


# ------------------------------------------------------------------ mapping a column


def _stage_headers() -> list[str]:
    return [*HEADERS[:4], "Where we are", *HEADERS[5:]]


def test_an_unrecognised_status_header_is_mapped_once_and_remembered(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    headers = _stage_headers()

    uploaded = _upload(client, programme, _xlsx(GOOD_ROWS, headers))

    record = _only_record()
    columns_url = _imports_url(programme, f"/{record.id}/columns")
    assert uploaded.headers["Location"].endswith(columns_url)
    # The preview cannot be shown until the status column is chosen: it sends you back.
    assert (
        client.get(_imports_url(programme, f"/{record.id}"))
        .headers["Location"]
        .endswith(columns_url)
    )
    form_page = client.get(columns_url)
    assert form_page.status_code == 200
    page = page_of(form_page)
    assert "Which column is which?" in page
    choices = _selected(page)
    assert choices["status"] == ""
    assert choices["locality"] == "1"  # "Service Area" was recognised
    assert choices["role"] == "3"
    stage = _options(page, "status")["Where we are"]
    assert stage == "4"

    saved = client.post(columns_url, data={**choices, "status": stage}, follow_redirects=True)

    assert saved.status_code == 200
    assert saved.request.path == _imports_url(programme, f"/{record.id}")
    saved_page = page_of(saved)
    assert "Saved the columns. Files with the same headers will use them too." in saved_page
    assert _counts(saved_page) == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    assert reread(record).mapping["status"] == 4
    [remembered] = db.session.scalars(select(ColumnMapping)).all()
    assert remembered.mapping["status"] == 4  # the column, for files with these headers

    # The next file with the same headers goes straight to its preview.
    second = _upload(client, programme, _xlsx(GOOD_ROWS[:1], headers), "tracker-december.xlsx")

    newest = db.session.scalars(select(ImportRecord).order_by(ImportRecord.id.desc())).first()
    assert newest.id != record.id
    assert second.headers["Location"].endswith(_imports_url(programme, f"/{newest.id}"))
    assert newest.mapping["status"] == 4
    assert _counts(page_of(client.get(second.headers["Location"])))["updated"] == 1
    assert _post(team, "da_perpetrators").status == "vacant"  # previews write nothing


def test_choosing_one_column_for_two_fields_is_refused(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS, _stage_headers()))
    record = _only_record()
    columns_url = _imports_url(programme, f"/{record.id}/columns")
    choices = _selected(page_of(client.get(columns_url)))

    response = client.post(columns_url, data={**choices, "status": choices["role"]})

    assert response.status_code == 400
    assert "“Job Title” is chosen for both role and status." in _error_summary(page_of(response))
    assert count_rows(ColumnMapping) == 0
    assert "status" not in reread(record).mapping


def test_leaving_a_required_column_unmapped_is_refused(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS, _stage_headers()))
    record = _only_record()
    columns_url = _imports_url(programme, f"/{record.id}/columns")
    choices = _selected(page_of(client.get(columns_url)))

    response = client.post(columns_url, data=choices)

    assert response.status_code == 400
    assert "Choose the column that holds the status." in _error_summary(page_of(response))
    assert count_rows(ColumnMapping) == 0


# ------------------------------------------------------------------ files that cannot be read


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "posts.pdf",
            b"%PDF-1.7 not a spreadsheet",
            "Upload an .xlsx or .csv file; “posts.pdf” is neither.",
        ),
        (
            "tracker.xlsx",
            b"Post Ref,Locality\nSOM-1,Bridgwater\n",
            "The file is named .xlsx but is not an Excel workbook.",
        ),
        ("tracker.xlsx", b"", "The file is empty."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_form(
    app, sign_in, setting, filename, content, message
):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))

    response = _upload(client, programme, content, filename)

    assert response.status_code == 400
    page = page_of(response)
    assert "Import an HR recruitment spreadsheet" in page
    assert message in _error_summary(page)
    assert '<p class="app-error-message" id="file-error">' in page
    assert count_rows(ImportRecord) == 0


def test_submitting_the_upload_form_without_a_file_asks_for_one(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))

    response = client.post(
        _imports_url(programme, "/recruitment/new"), data={}, content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "Choose an .xlsx or .csv file to upload." in _error_summary(page_of(response))
    assert count_rows(ImportRecord) == 0


@pytest.fixture
def small_limit_client(app, _migrated):
    """A client of an app that accepts files up to 1 MB (and requests up to 1 MB + 256 KB)."""
    small = make_app(_migrated, IMPORT_MAX_BYTES=MB)
    small.test_client_class = IsolatedClient
    yield small, small.test_client()
    with small.app_context():
        db.engine.dispose()


def test_a_request_over_the_size_limit_answers_413_with_a_friendly_page(
    app, setting, small_limit_client
):
    programme, _locality, _team = setting
    small, client = small_limit_client
    sign_in_as(client, create_user("hr_lead"))
    assert small.config["MAX_CONTENT_LENGTH"] == MB + 256 * 1024

    response = _upload(client, programme, b"PK\x03\x04" + b"\0" * (2 * MB))

    assert response.status_code == 413
    page = page_of(response)
    assert "The file is too big" in page
    assert "Files up to 1 MB can be uploaded." in page
    assert count_rows(ImportRecord) == 0


def test_a_file_over_the_import_limit_but_within_the_request_limit_is_refused_on_the_form(
    app, setting, small_limit_client
):
    programme, _locality, _team = setting
    _small, client = small_limit_client
    sign_in_as(client, create_user("hr_lead"))

    response = _upload(client, programme, b"PK\x03\x04" + b"\0" * (MB + 100 * 1024))

    assert response.status_code == 400
    assert "The file is larger than 1 MB; split it into smaller files." in _error_summary(
        page_of(response)
    )
    assert count_rows(ImportRecord) == 0


# ------------------------------------------------------------------ the CSV download, imported back


# The first download's address, and the recruitment page's two downloads (views/downloads.py).
DOWNLOADS = {"recruitment.csv": "csv", "recruitment?download=csv": "csv"}
DOWNLOADS["recruitment?download=xlsx"] = "xlsx"


def _download_and_upload(client, programme, locality, address: str = "recruitment.csv"):
    url = f"/programmes/{programme.slug}/localities/{locality.slug}/{address}"
    body = client.get(url).get_data()
    response = client.post(
        _imports_url(programme, "/recruitment/new"),
        data={"file": (io.BytesIO(body), f"export.{DOWNLOADS[address]}")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return page_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize("address", DOWNLOADS)
def test_the_locality_csv_download_imports_back_changing_nothing(app, sign_in, setting, address):
    programme, locality, team = setting
    da_worker = _post(team, "da_perpetrators")
    da_worker.reference, da_worker.status, da_worker.fte = "SOM-001", "in_post", 0.5
    da_worker.holder_name, da_worker.start_date = "Dana Cole", date(2026, 9, 1)
    db.session.commit()
    client = sign_in(create_user("hr_lead"))

    page = _download_and_upload(client, programme, locality, address)

    assert _counts(page) == {"created": 0, "updated": 0, "unchanged": 11, "rejected": 0}


@pytest.mark.parametrize("address", DOWNLOADS)
def test_neutralised_formula_cells_in_the_csv_download_import_back_unchanged(
    app, sign_in, setting, address
):
    programme, locality, team = setting
    da_worker = _post(team, "da_perpetrators")
    da_worker.notes = '=HYPERLINK("http://evil.example","Click")'
    da_worker.holder_name = "-Dana"
    db.session.commit()
    client = sign_in(create_user("hr_lead"))

    page = _download_and_upload(client, programme, locality, address)

    assert _counts(page)["updated"] == 0


# ------------------------------------------------------------------ the stored file


def test_the_download_returns_the_stored_bytes_under_the_generated_name(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    content = _xlsx(GOOD_ROWS)
    _upload(client, programme, content, "../../Helen's <tracker>.xlsx")
    record = _only_record()

    response = client.get(_imports_url(programme, f"/{record.id}/file"))

    assert response.status_code == 200
    assert response.get_data() == content
    assert re.fullmatch(r"[0-9a-f]{32}\.xlsx", record.stored_name)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{record.stored_name}"'
    )
    assert "Helen" not in response.headers["Content-Disposition"]
    assert record.original_name == "Helen's <tracker>.xlsx"


# ------------------------------------------------------------------ who may import


def test_a_viewer_may_see_the_import_list_but_not_upload_preview_or_download(app, sign_in, setting):
    programme, _locality, _team = setting
    hr_lead_client = sign_in(create_user("hr_lead"))
    _upload(hr_lead_client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    client = sign_in(create_user("viewer"))

    listing = client.get(_imports_url(programme))

    assert listing.status_code == 200
    page = page_of(listing)
    assert "tracker.xlsx" in page
    assert "Import an HR spreadsheet" not in page
    assert client.get(_imports_url(programme, "/recruitment/new")).status_code == 403
    assert client.get(_imports_url(programme, f"/{record.id}")).status_code == 403
    assert client.get(_imports_url(programme, f"/{record.id}/file")).status_code == 403
    assert client.post(_imports_url(programme, f"/{record.id}/apply")).status_code == 403
    assert reread(record).state == "previewed"


def test_an_import_of_another_programme_is_not_found(app, sign_in, setting):
    programme, _locality, _team = setting
    other = create_programme("Devon Family Safeguarding", "devon")
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()

    assert client.get(_imports_url(other, f"/{record.id}")).status_code == 404
    assert client.post(_imports_url(other, f"/{record.id}/apply")).status_code == 404
    assert client.get(_imports_url(other, f"/{record.id}/file")).status_code == 404


# ------------------------------------------------------------------ staff and attendance


def _upload_kind(client, programme, kind: str, text: str):
    return client.post(
        _imports_url(programme, f"/{kind}/new"),
        data={"file": (io.BytesIO(text.encode()), f"{kind}.csv", "text/csv")},
        content_type="multipart/form-data",
    )


def test_a_staff_list_is_previewed_and_applied_through_the_same_pages(app, sign_in):
    programme = create_programme(slug="somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    locality_service.create_team(locality, "Bridgwater FS Team", None)
    client = sign_in(create_user("hr_lead"))

    uploaded = _upload_kind(
        client,
        programme,
        "staff",
        "Name,Email,Locality,Team,Role\nAnn Lee,ann@x.org,Bridgwater,Bridgwater FS Team,SW\n",
    )
    preview = client.get(uploaded.headers["Location"])
    applied = client.post(uploaded.headers["Location"] + "/apply", follow_redirects=True)

    assert preview.status_code == 200
    assert "New person" in page_of(preview) and "Preview of staff.csv" in page_of(preview)
    assert applied.status_code == 200
    assert "Imported staff.csv: 1 created" in page_of(applied)


def test_a_trainer_may_import_attendance_but_not_recruitment(app, sign_in):
    programme = create_programme(slug="somerset")
    client = sign_in(create_user("trainer"))

    assert client.get(_imports_url(programme, "/attendance/new")).status_code == 200
    assert client.get(_imports_url(programme, "/recruitment/new")).status_code == 403
    assert client.get(_imports_url(programme, "/nonsense/new")).status_code == 404
