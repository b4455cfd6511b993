"""The preview is planned from the rows read at upload, not from the file parsed again on every
view (issue 17); the rows are deleted with the file."""

from __future__ import annotations

from datetime import date

from programme.extensions import db
from programme.services import import_flow
from programme.services.retention import forget_rows
from tests.builders import create_user
from tests.pages import page_of
from tests.views.test_imports import (
    FIRST_ROW,
    GOOD_ROWS,
    _counts,
    _imports_url,
    _only_record,
    _post,
    _preview_rows,
    _upload,
    _xlsx,
    setting,  # noqa: F401 (a fixture)
)


def _refuse(*_args, **_kwargs):
    """Reading a file, patched in once the upload is done: what still works did not parse it."""
    raise AssertionError("the stored file was parsed again")


def test_the_preview_page_is_planned_from_the_rows_read_at_upload(
    app,
    sign_in,
    setting,  # noqa: F811
    monkeypatch,
):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    location = _upload(client, programme, _xlsx(GOOD_ROWS)).headers["Location"]
    record = _only_record()
    assert record.parsed_rows is not None
    monkeypatch.setattr(import_flow, "read_file", _refuse)
    record.content = b"not a spreadsheet any more"  # and the bytes could not be read anyway
    db.session.commit()

    for _view in range(2):
        page = page_of(client.get(location))
        assert _counts(page) == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 0}
        rows = _preview_rows(page)
        assert "Start date: (blank) → 1 Sep 2026" in rows[FIRST_ROW][1]  # a date cell kept
    applied = client.post(_imports_url(programme, f"/{record.id}/apply"))
    assert applied.status_code == 302
    da_worker = _post(team, "da_perpetrators")
    assert (da_worker.reference, da_worker.holder_name) == ("SOM-001", "Dana Cole")


def test_the_preview_still_plans_against_the_programme_as_it_is_now(
    app,
    sign_in,
    setting,  # noqa: F811
    monkeypatch,
):
    """Stored rows, current posts: a post changed since the upload to what its row says makes
    that row unchanged, so what the page shows is what saving would do."""
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    location = _upload(client, programme, _xlsx(GOOD_ROWS)).headers["Location"]
    monkeypatch.setattr(import_flow, "read_file", _refuse)
    da_worker = _post(team, "da_perpetrators")
    da_worker.reference, da_worker.status = "SOM-001", "in_post"
    da_worker.holder_name, da_worker.start_date = "Dana Cole", date(2026, 9, 1)
    db.session.commit()

    page = page_of(client.get(location))

    assert _counts(page) == {"created": 1, "updated": 0, "unchanged": 2, "rejected": 0}


def test_forgetting_an_imports_rows_forgets_the_rows_read_for_its_preview(
    app,
    sign_in,
    setting,  # noqa: F811
):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    assert record.parsed_rows["rows"]

    forget_rows(record)
    db.session.commit()

    db.session.expire_all()
    assert _only_record().parsed_rows is None


def test_an_import_uploaded_before_rows_were_kept_is_previewed_from_its_file(
    app,
    sign_in,
    setting,  # noqa: F811
):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    location = _upload(client, programme, _xlsx(GOOD_ROWS)).headers["Location"]
    record = _only_record()
    record.parsed_rows = None
    db.session.commit()

    page = page_of(client.get(location))
    assert _counts(page) == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 0}
