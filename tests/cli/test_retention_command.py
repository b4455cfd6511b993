"""`retention purge [--dry-run] [--json]` (CLI.md): the same purge the scheduler runs daily."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from programme.services.recruitment_import import RECRUITMENT
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import reread
from tests.services.test_recruitment_import import HEADER, LIMITS, a_programme

ROW = ["BW-01", "Bridgwater", "Bridgwater FS Team", "IDVA", "Vacant", 1, "", "", "", ""]


def _old_preview(pin_clock):
    programme = a_programme()
    pin_clock(at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    record, _ = RECRUITMENT.upload(
        programme, csv_bytes([HEADER, ROW]), "old.csv", None, LIMITS, today=TODAY
    )
    pin_clock(at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC))
    return record


def test_purge_json_counts_what_it_deleted_by_kind(app, runner, pin_clock):
    record = _old_preview(pin_clock)

    result = runner.invoke(args=["retention", "purge", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "dry_run": False,
        "purged": {
            "import_previews": 1,
            "sign_in_attempts": 0,
            "import_files": 0,
            "security_events": 0,
        },
    }
    assert reread(record).state == "expired"


def test_a_dry_run_lists_what_would_go_and_deletes_nothing(app, runner, pin_clock):
    record = _old_preview(pin_clock)

    result = runner.invoke(args=["retention", "purge", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Would expire the recruitment import preview of old.csv (uploaded 2 Nov 2026, 09:30).",
        "1 import preview not applied within 14 days would be purged.",
        "0 applied import files older than 365 days, 0 sign-in attempts older than 90 days and "
        "0 security events older than 365 days would be purged.",
    ]
    assert reread(record).state == "previewed"


def test_purge_says_what_it_deleted_and_nothing_the_second_time(app, runner, pin_clock):
    _old_preview(pin_clock)

    first = runner.invoke(args=["retention", "purge"])
    second = runner.invoke(args=["retention", "purge", "--json"])

    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "Expired the recruitment import preview of old.csv (uploaded 2 Nov 2026, 09:30): its "
        "file and rows were deleted.",
        "1 import preview not applied within 14 days purged.",
        "0 applied import files older than 365 days, 0 sign-in attempts older than 90 days and "
        "0 security events older than 365 days purged.",
    ]
    assert json.loads(second.stdout)["purged"]["import_previews"] == 0


def test_the_limit_comes_from_import_preview_days(app, runner, pin_clock):
    record = _old_preview(pin_clock)
    app.config["IMPORT_PREVIEW_DAYS"] = 30

    result = runner.invoke(args=["retention", "purge", "--json"])

    assert json.loads(result.stdout)["purged"]["import_previews"] == 0
    assert reread(record).state == "previewed"
