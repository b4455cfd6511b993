"""`retention purge` beyond import previews: sign-in attempts after 90 days, security events after
SECURITY_LOG_DAYS, applied (and undone) imports' files and rows after IMPORT_FILE_DAYS, with the
counts kept. A fixed clock throughout."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from programme.extensions import db
from programme.models import AuditEvent, LoginAttempt
from programme.models.security import SecurityEvent
from programme.services import retention
from programme.services.recruitment_import import RECRUITMENT
from programme.services.retention_records import Periods
from tests.conftest import TODAY
from tests.queries import reread
from tests.services.test_recruitment_import import LIMITS
from tests.services.test_retention import GOOD, _stored, programme, upload  # noqa: F401

NOW = datetime(2027, 12, 1, 3, 0, tzinfo=UTC)


def _attempts_and_events():
    for days in (89, 90, 91, 400):
        db.session.add(
            LoginAttempt(email=f"p{days}@example.org", address="10.0.0.1", at=NOW - timedelta(days))
        )
        db.session.add(
            SecurityEvent(kind="sign_in", email=f"p{days}@example.org", at=NOW - timedelta(days))
        )
    db.session.commit()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sign_in_attempts_go_after_90_days_and_security_events_after_their_period(app, pin_clock):
    pin_clock(at=NOW)
    _attempts_and_events()

    dry = retention.purge(NOW, 14, dry_run=True)
    assert (dry.sign_in_attempts, dry.security_events) == (3, 1)
    assert (_count(LoginAttempt), _count(SecurityEvent)) == (4, 4)

    run = retention.purge(NOW, 14)

    assert run.counts["sign_in_attempts"] == 3  # 90, 91 and 400 days old
    assert run.counts["security_events"] == 1  # only the one older than 365 days
    assert db.session.scalars(select(LoginAttempt.email)).all() == ["p89@example.org"]
    assert _count(SecurityEvent) == 3
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["purge_sign_in_attempts", "purge_security_events"]
    assert retention.purge(NOW, 14).counts["sign_in_attempts"] == 0
    shorter = retention.purge(NOW, 14, periods=Periods(security_events=30))
    assert shorter.security_events == 3


def test_an_applied_import_loses_its_file_and_rows_after_a_year_and_keeps_its_counts(
    app,
    programme,  # noqa: F811
    upload,  # noqa: F811
    pin_clock,
):
    undone = upload(datetime(2026, 11, 16, 9, 0, tzinfo=UTC), rows=(GOOD,), name="u.csv")
    RECRUITMENT.apply_import(undone, None, today=TODAY, limits=LIMITS)
    RECRUITMENT.undo(reread(undone), None)
    applied = upload(datetime(2026, 11, 16, 9, 5, tzinfo=UTC), rows=(GOOD,), name="a.csv")
    RECRUITMENT.apply_import(applied, None, today=TODAY, limits=LIMITS)
    applied_at = reread(undone).applied_at.replace(tzinfo=UTC)
    early = applied_at + timedelta(days=364)
    pin_clock(at=early)
    assert retention.purge(early, 14).import_files == []

    later = reread(applied).applied_at.replace(tzinfo=UTC) + timedelta(days=365, seconds=1)
    pin_clock(at=later)
    run = retention.purge(later, 14)

    assert sorted(deleted.id for deleted in run.import_files) == sorted([applied.id, undone.id])
    for record in (applied, undone):
        content, headers, errors, _state = _stored(record)
        assert content is None
        assert "Zoë" not in json.dumps([headers, errors])
        kept = reread(record)
        assert kept.file_deleted_at.replace(tzinfo=UTC) == later
        assert kept.created == 1 and kept.value_mappings == {}
    assert reread(applied).state == "applied" and reread(undone).state == "undone"
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "delete_import_file")
    ).all()
    assert sorted(event.entity_id for event in events) == sorted([applied.id, undone.id])
    assert retention.purge(later, 14).import_files == []


def test_purge_json_keeps_its_shape_with_the_new_kinds(app, runner, pin_clock):
    pin_clock(at=NOW)
    _attempts_and_events()

    result = runner.invoke(args=["retention", "purge", "--dry-run", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "dry_run": True,
        "purged": {
            "import_previews": 0,
            "sign_in_attempts": 3,
            "import_files": 0,
            "security_events": 1,
        },
    }
    plain = runner.invoke(args=["retention", "purge"])
    assert "3 sign-in attempts older than 90 days" in plain.output
    assert _count(LoginAttempt) == 1
