"""`reminders send [--as-of] [--dry-run] [--json]` (CLI.md)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from programme.extensions import db
from programme.models import OutboxMessage
from tests.builders import create_locality, create_milestone, create_user

MONDAY = date(2026, 11, 30)


def an_owner_with_two_milestones(email: str = "lead.practitioner@westshire.gov.uk"):
    locality = create_locality(go_live=date(2027, 9, 6))
    owner = create_user("programme_manager", email=email)
    create_milestone(locality, owner_id=owner.id, due=MONDAY - timedelta(days=1))
    create_milestone(locality, owner_id=owner.id, due=MONDAY + timedelta(days=14))
    return owner


def test_json_has_exactly_the_shape_cli_md_gives(app, runner, smtp_server, pin_clock):
    pin_clock(at=datetime(2026, 11, 30, 8, tzinfo=UTC))
    owner = an_owner_with_two_milestones()
    create_user("programme_manager", email="nothing.to.do@westshire.gov.uk")

    result = runner.invoke(args=["reminders", "send", "--as-of", "2026-11-30", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"week", "sent", "skipped", "failed", "messages"}
    assert document["week"] == "2026-W49"
    assert (document["sent"], document["failed"]) == (1, 0)
    assert document["skipped"] >= 1
    [message] = document["messages"]
    assert set(message) == {"to", "kind", "items"}
    assert (message["to"], message["kind"]) == (owner.email, "digest")
    assert len(message["items"]) == 2
    assert [mail.to for mail in smtp_server.received] == [owner.email]


def test_a_second_run_the_same_week_sends_nothing(app, runner, smtp_server, pin_clock):
    pin_clock(at=datetime(2026, 11, 30, 8, tzinfo=UTC))
    an_owner_with_two_milestones()
    runner.invoke(args=["reminders", "send", "--as-of", "2026-11-30"])
    result = runner.invoke(args=["reminders", "send", "--as-of", "2026-12-03", "--json"])
    document = json.loads(result.output)
    assert (document["sent"], document["messages"]) == (0, [])
    assert len(smtp_server.received) == 1


def test_dry_run_prints_who_would_get_what_and_writes_nothing(app, runner, smtp_server):
    owner = an_owner_with_two_milestones()
    result = runner.invoke(args=["reminders", "send", "--as-of", "2026-11-30", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Would send {owner.email} a digest of 2 items." in result.output
    assert "Week 2026-W49 (w/c 30 Nov 2026): would send 1" in result.output
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert smtp_server.received == []


def test_the_outbox_transport_stores_and_says_so(app, runner):
    app.config["MAIL_TRANSPORT"] = "outbox"
    an_owner_with_two_milestones()
    result = runner.invoke(args=["reminders", "send", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "Stored lead.practitioner@westshire.gov.uk a digest of 2 items." in result.output
    assert "kept in the outbox, not sent" in result.output
    assert db.session.scalar(select(OutboxMessage.status)) == "stored"


def test_without_as_of_it_is_this_weeks_digest(app, runner, smtp_server):
    an_owner_with_two_milestones()
    document = json.loads(runner.invoke(args=["reminders", "send", "--json"]).output)
    assert document["week"] == "2026-W49"  # the suite's day is Monday 30 November 2026


def test_a_failed_send_exits_1_and_names_the_address(app, runner, smtp_down):
    owner = an_owner_with_two_milestones()
    result = runner.invoke(args=["reminders", "send", "--as-of", "2026-11-30"])
    assert result.exit_code == 1
    assert f"Not sent to {owner.email}" in result.output
    assert db.session.scalar(select(OutboxMessage.status)) == "pending"


def test_a_bad_date_is_a_usage_error(app, runner):
    result = runner.invoke(args=["reminders", "send", "--as-of", "30/11/2026"])
    assert result.exit_code == 2
    assert "is not a date in the form YYYY-MM-DD" in result.output
