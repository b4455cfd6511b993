"""Two sending processes started at once against one PostgreSQL database (two schedulers, or a
scheduler and `reminders send`): each digest arrives once. The database decides, not memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from programme.extensions import db
from tests.builders import create_locality, create_milestone, create_user

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 11, 30)


def send_in_another_process(app) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_TRANSPORT": "smtp",
        "SMTP_HOST": app.config["SMTP_HOST"],
        "SMTP_PORT": str(app.config["SMTP_PORT"]),
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "reminders", "send"]
    command += ["--as-of", MONDAY.isoformat(), "--json"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def test_two_processes_sending_at_once_deliver_each_digest_once(app, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs against PostgreSQL (TEST_DATABASE_URL); SQLite has one writer")
    locality = create_locality(go_live=date(2027, 9, 6))
    owners = [
        create_user("programme_manager", email=f"owner{n}@eastshire.gov.uk") for n in range(8)
    ]
    for owner in owners:
        create_milestone(locality, owner_id=owner.id, due=MONDAY + timedelta(days=2))
    smtp_server.handler.delay = 0.15  # long enough for the two senders to overlap

    first, second = send_in_another_process(app), send_in_another_process(app)
    outputs = [process.communicate(timeout=120)[0] for process in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], outputs
    documents = [json.loads(output) for output in outputs]
    assert sum(document["sent"] for document in documents) == len(owners)
    received = sorted(mail.to for mail in smtp_server.received)
    assert received == sorted(owner.email for owner in owners), "every digest exactly once"
