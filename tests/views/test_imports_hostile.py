"""A hostile upload costs one bounded worker: the app answers other requests meanwhile and the
upload form says in one sentence why the file was refused; uploads are limited per user per hour
(counted in the database), with 429 and the form shown again."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from programme.clock import utc_now
from programme.extensions import db
from programme.models import ImportRecord
from tests import hostile_files
from tests.builders import create_programme, create_user
from tests.conftest import sign_in_as
from tests.pages import visible_text
from tests.views.test_imports import _imports_url, _upload


def test_the_app_answers_other_requests_while_a_hostile_file_is_read(app, sign_in):
    app.config["IMPORT_PARSE_SECONDS"] = 3
    programme = create_programme(slug="somerset")
    user = create_user("hr_lead")
    uploader = app.test_client()
    sign_in_as(uploader, user)
    browser = sign_in(user)
    hostile = hostile_files.deep_nesting()
    answers = {}

    def upload():
        with app.app_context():
            response = _upload(uploader, programme, hostile)
            answers["upload"] = (response.status_code, response.get_data(as_text=True))

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(0.5)  # the worker is reading by now
    started = time.monotonic()
    page = browser.get(_imports_url(programme))
    answered_in = time.monotonic() - started
    still_uploading = thread.is_alive()
    thread.join(timeout=10)

    assert page.status_code == 200
    assert still_uploading, "the hostile upload finished before the other request was made"
    assert answered_in < 2
    status, text = answers["upload"]
    assert status == 400
    assert "The file took longer than 3 seconds to read, so it was not opened" in text


def test_a_hostile_upload_is_refused_with_one_sentence_on_the_form(app, sign_in):
    programme = create_programme(slug="somerset")
    client = sign_in(create_user("hr_lead"))

    response = _upload(client, programme, hostile_files.one_wide_row())

    assert response.status_code == 400
    assert "A row of the file has more than 200 columns" in visible_text(response.get_data(True))
    assert db.session.query(ImportRecord).count() == 0


def test_uploads_past_the_hourly_limit_are_refused_with_429(app, sign_in):
    app.config["IMPORT_UPLOADS_PER_HOUR"] = 2
    programme = create_programme(slug="somerset")
    user = create_user("hr_lead")
    client = sign_in(user)
    for _ in range(2):  # two uploads in the last hour, as the records show
        db.session.add(_record(programme, user))
    db.session.commit()

    response = _upload(client, programme, hostile_files.workbook())

    assert response.status_code == 429
    text = visible_text(response.get_data(as_text=True))
    assert "You have uploaded 2 files in the last hour, the most allowed; try again later." in text
    assert db.session.query(ImportRecord).count() == 2


def test_uploads_older_than_an_hour_do_not_count(app, sign_in):
    app.config["IMPORT_UPLOADS_PER_HOUR"] = 1
    programme = create_programme(slug="somerset")
    user = create_user("hr_lead")
    client = sign_in(user)
    old = _record(programme, user)
    old.uploaded_at = utc_now().replace(microsecond=0) - _HOUR
    db.session.add(old)
    db.session.commit()

    response = _upload(client, programme, hostile_files.workbook())

    assert response.status_code != 429


def _record(programme, user) -> ImportRecord:
    return ImportRecord(
        programme_id=programme.id,
        kind="recruitment",
        uploaded_by=user,
        original_name="tracker.xlsx",
        stored_name=f"{id(object())}-{time.monotonic_ns()}.xlsx",
        size_bytes=1,
        sha256="0" * 64,
        content=b"x",
        headers=[],
        mapping={},
    )


_HOUR = timedelta(hours=1, minutes=1)
