"""Previews never applied expire after IMPORT_PREVIEW_DAYS: the daily purge deletes their stored
file and rows (names, e-mail addresses), keeps the record marked expired, and logs and audits it.
Applied and undone imports are kept whole."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from programme.config import ConfigError, build_config
from programme.extensions import db
from programme.models import AuditEvent, ImportRecord
from programme.services import retention
from programme.services.errors import Conflict
from programme.services.recruitment_import import RECRUITMENT
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import reread
from tests.services.test_recruitment_import import HEADER, LIMITS, a_programme

UPLOADED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
# Fourteen days and thirty seconds later: a preview uploaded at UPLOADED has outlived 14 days.
PURGED = datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)
GOOD = ["BW-01", "Bridgwater", "Bridgwater FS Team", "IDVA", "In post", 1, "Zoë Brontë"] + [
    "zoe.bronte@example.org",
    "01/09/2026",
    "",
]
BAD = ["BW-02", "Bridgwater", "Nowhere Team", "IDVA", "Vacant", 1, "Sam Patel"] + [
    "sam.patel@example.org",
    "",
    "",
]


@pytest.fixture
def programme(app):
    return a_programme()


@pytest.fixture
def upload(programme, pin_clock):
    """Upload a file at a moment: it is previewed, not applied."""

    def at(moment: datetime, rows=(GOOD, BAD), name="tracker.csv") -> ImportRecord:
        pin_clock(at=moment)
        data = csv_bytes([HEADER, *rows])
        record, _preview = RECRUITMENT.upload(programme, data, name, None, LIMITS, today=TODAY)
        return record

    return at


def _stored(record: ImportRecord) -> tuple:
    """What the database itself holds of the record's file and rows."""
    return db.session.execute(
        text("SELECT content, headers, errors, state FROM import_record WHERE id = :id"),
        {"id": record.id},
    ).one()


def test_a_preview_not_applied_within_the_limit_loses_its_file_and_rows(
    app, programme, upload, pin_clock, caplog
):
    old = upload(UPLOADED)
    recent = upload(datetime(2026, 11, 16, 9, 1, tzinfo=UTC), name="recent.csv")
    assert "Nowhere Team" in str(old.errors)  # row errors quote the file's cells
    pin_clock(at=PURGED)

    with caplog.at_level(logging.INFO, logger="programme.services.retention"):
        run = retention.purge(PURGED, 14)

    assert [preview.id for preview in run.previews] == [old.id]
    assert run.counts == {
        "import_previews": 1,
        "sign_in_attempts": 0,
        "import_files": 0,
        "security_events": 0,
    }
    content, headers, errors, state = _stored(old)
    assert (content, state) == (None, "expired")
    assert "Sam Patel" not in str(headers) + str(errors)
    assert "Nowhere" not in str(errors)
    expired = reread(old)
    assert (expired.headers, expired.errors) == ([], [])
    assert expired.expired_at.replace(tzinfo=UTC) == PURGED
    # The record stays for the list of imports, with what it would have done.
    assert (expired.original_name, expired.rejected, expired.created) == ("tracker.csv", 1, 1)
    assert _stored(recent)[0] is not None and reread(recent).state == "previewed"
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "expire_import")
    ).all()
    assert event.entity_id == old.id
    assert event.programme_id == programme.id
    assert "its file and rows were deleted" in event.summary
    assert f"Import {old.id}:" in caplog.text
    assert "Retention purge: 1 import preview expired," in caplog.text


def test_applied_and_undone_imports_are_kept_whole_however_old(app, programme, upload, pin_clock):
    undone = upload(UPLOADED, rows=(GOOD,), name="undone.csv")
    RECRUITMENT.apply_import(undone, None, today=TODAY, limits=LIMITS)
    RECRUITMENT.undo(reread(undone), None)
    applied = upload(UPLOADED, rows=(GOOD,), name="applied.csv")
    RECRUITMENT.apply_import(applied, None, today=TODAY, limits=LIMITS)
    pin_clock(at=datetime(2027, 6, 1, tzinfo=UTC))

    run = retention.purge(datetime(2027, 6, 1, tzinfo=UTC), 14)

    assert run.previews == []
    assert _stored(undone)[0] is not None and reread(undone).state == "undone"
    assert _stored(applied)[0] is not None and reread(applied).state == "applied"


def test_a_dry_run_says_what_would_expire_and_deletes_nothing(app, programme, upload, pin_clock):
    record = upload(UPLOADED)
    pin_clock(at=PURGED)

    run = retention.purge(PURGED, 14, dry_run=True)

    assert [preview.original_name for preview in run.previews] == ["tracker.csv"]
    assert _stored(record)[0] is not None and reread(record).state == "previewed"
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "expire_import")).all()
        == []
    )


def test_purging_twice_expires_each_preview_once(app, programme, upload, pin_clock):
    upload(UPLOADED)
    pin_clock(at=PURGED)

    first = retention.purge(PURGED, 14)
    second = retention.purge(PURGED, 14)

    assert (len(first.previews), len(second.previews)) == (1, 0)


def test_a_longer_limit_keeps_the_preview(app, programme, upload, pin_clock):
    record = upload(UPLOADED)

    assert retention.purge(PURGED, 15).previews == []
    assert reread(record).state == "previewed"


def test_an_expired_preview_cannot_be_applied_and_says_why(app, programme, upload, pin_clock):
    record = upload(UPLOADED, rows=(GOOD,))
    pin_clock(at=PURGED)
    retention.purge(PURGED, 14)

    with pytest.raises(Conflict) as refused:
        RECRUITMENT.apply_import(reread(record), None, today=TODAY, limits=LIMITS)

    assert refused.value.message == (
        "This preview expired on 30 Nov 2026 and its file was deleted, so it cannot be "
        "applied. Upload the file again."
    )
    assert reread(record).state == "expired"


def test_the_preview_limit_is_a_whole_number_of_days_of_at_least_one(monkeypatch):
    monkeypatch.delenv("IMPORT_PREVIEW_DAYS", raising=False)
    assert build_config({"APP_ENV": "testing"})["IMPORT_PREVIEW_DAYS"] == 14
    assert build_config({"APP_ENV": "testing"})["IMPORT_EXPIRY_CRON"] == "30 2 * * *"
    monkeypatch.setenv("IMPORT_PREVIEW_DAYS", "30")
    assert build_config({"APP_ENV": "testing"})["IMPORT_PREVIEW_DAYS"] == 30
    for wrong in ("0", "-3", "two weeks", "1.5"):
        monkeypatch.setenv("IMPORT_PREVIEW_DAYS", wrong)
        with pytest.raises(ConfigError, match="IMPORT_PREVIEW_DAYS"):
            build_config({"APP_ENV": "testing"})
