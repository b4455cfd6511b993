"""Sending a week's digests through a real SMTP server: once per person and ISO week, resuming
after a crash, and losing nothing while the server is down or refuses an address."""

from __future__ import annotations

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from programme.extensions import db
from programme.models import OutboxMessage
from programme.services.reminders.weekly import ALREADY_SENT, send_week
from tests.builders import create_locality, create_milestone, create_user

MONDAY = date(2026, 11, 30)  # ISO week 2026-W49
MONDAY_8AM = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def owners_with_a_milestone_due(count: int = 3) -> list:
    locality = create_locality(go_live=date(2027, 9, 6))
    owners = [
        create_user("programme_manager", email=f"owner{n}@anyshire.gov.uk") for n in range(count)
    ]
    for owner in owners:
        create_milestone(locality, owner_id=owner.id, due=MONDAY + timedelta(days=3))
    return owners


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back naive


def outbox_rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_owner_gets_one_digest_and_a_second_run_that_week_sends_nothing(
    app, smtp_server, pin_clock
):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due()
    idle = create_user("programme_manager", email="idle@anyshire.gov.uk")

    first = send_week(MONDAY)

    assert first.week == "2026-W49"
    assert sorted(message.to for message in first.sent) == sorted(o.email for o in owners)
    assert sorted(mail.to for mail in smtp_server.received) == sorted(o.email for o in owners)
    assert any(skip.user.id == idle.id for skip in first.skipped)
    assert not first.failed

    # Later the same week (Thursday): nothing new goes, and the run says why.
    pin_clock(at=MONDAY_8AM + timedelta(days=3))
    again = send_week(MONDAY + timedelta(days=3))
    assert again.week == "2026-W49"
    assert again.sent == [] and again.failed == []
    assert {skip.user.email for skip in again.skipped if skip.reason == ALREADY_SENT} == {
        o.email for o in owners
    }
    assert len(smtp_server.received) == len(owners)


def test_the_next_week_is_a_new_digest(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(2)
    send_week(MONDAY)
    pin_clock(at=MONDAY_8AM + timedelta(days=7))
    run = send_week(MONDAY + timedelta(days=7))  # the milestones are overdue now
    assert run.week == "2026-W50"
    assert len(run.sent) == len(owners)
    assert len(smtp_server.received) == 2 * len(owners)


def test_a_run_that_crashed_half_way_resumes_without_resending(
    app, smtp_server, pin_clock, monkeypatch
):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(4)
    real_send = smtplib.SMTP.send_message
    calls = []

    def dies_on_the_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("the process was killed")  # not an Exception: nothing catches it
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", dies_on_the_third)
    with pytest.raises(SystemExit):
        send_week(MONDAY)
    db.session.rollback()
    assert len(smtp_server.received) == 2
    statuses = sorted(row.status for row in outbox_rows())
    assert statuses.count("sent") == 2 and len(statuses) == len(owners)

    # The scheduler runs again later (a claim left by a dead process is released after a while).
    monkeypatch.setattr(smtplib.SMTP, "send_message", real_send)
    pin_clock(at=MONDAY_8AM + timedelta(minutes=30))
    send_week(MONDAY)
    received = sorted(mail.to for mail in smtp_server.received)
    assert received == sorted(owner.email for owner in owners), "each owner once, none twice"
    assert {row.status for row in outbox_rows()} == {"sent"}


def test_while_the_server_is_down_nothing_is_lost_and_a_later_run_sends_it(
    app, smtp_down, pin_clock
):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(2)

    run = send_week(MONDAY)

    assert run.sent == []
    assert sorted(message.to for message in run.failed) == sorted(o.email for o in owners)
    rows = outbox_rows()
    assert [row.status for row in rows] == ["pending", "pending"]
    assert all(row.attempts == 1 and row.last_error for row in rows)
    assert all(utc(row.next_attempt_at) > MONDAY_8AM for row in rows), "retried with backoff"


def test_after_the_server_comes_back_the_waiting_digests_go_once(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(2)
    saved_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nothing listens there: the server is down
    down = send_week(MONDAY)
    assert len(down.failed) == 2 and smtp_server.received == []

    app.config["SMTP_PORT"] = saved_port
    pin_clock(at=MONDAY_8AM + timedelta(minutes=1))
    too_soon = send_week(MONDAY)  # still backing off: nothing sent, nothing lost
    assert too_soon.sent == [] and smtp_server.received == []

    pin_clock(at=MONDAY_8AM + timedelta(hours=1))
    later = send_week(MONDAY)
    assert sorted(message.to for message in later.sent) == sorted(o.email for o in owners)
    assert len(smtp_server.received) == 2


def test_an_address_the_server_refuses_fails_and_the_others_still_go(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(3)
    smtp_server.handler.refuse.add(owners[1].email)

    run = send_week(MONDAY)

    assert [message.to for message in run.failed] == [owners[1].email]
    assert "550" in run.failed[0].error
    assert sorted(mail.to for mail in smtp_server.received) == sorted(
        [owners[0].email, owners[2].email]
    )
    refused = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == owners[1].email)
    )
    assert refused.status == "failed"


def test_a_dry_run_writes_and_sends_nothing(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_8AM)
    owners = owners_with_a_milestone_due(2)
    run = send_week(MONDAY, dry_run=True)
    assert sorted(message.to for message in run.sent) == sorted(o.email for o in owners)
    assert all(message.items for message in run.sent)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert smtp_server.received == []


def test_a_digest_never_sent_last_week_is_replaced_by_this_week_s(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_8AM)
    [owner] = owners_with_a_milestone_due(1)
    saved_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # the server is down all week
    send_week(MONDAY)
    app.config["SMTP_PORT"] = saved_port

    pin_clock(at=MONDAY_8AM + timedelta(days=7))
    run = send_week(MONDAY + timedelta(days=7))

    assert [message.to for message in run.sent] == [owner.email]
    assert len(smtp_server.received) == 1, "one digest, this week's, not two"
    old, new = outbox_rows()
    assert (old.status, old.last_error) == (
        "failed",
        "Not sent: the digest for 2026-W50 replaces it.",
    )
    assert (new.dedupe_key, new.status) == ("2026-W50", "sent")


def test_an_address_the_server_cannot_carry_fails_at_once(app, smtp_server, pin_clock, monkeypatch):
    pin_clock(at=MONDAY_8AM)
    owners_with_a_milestone_due(1)

    def no_smtputf8(self, *args, **kwargs):
        raise smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")

    monkeypatch.setattr(smtplib.SMTP, "send_message", no_smtputf8)
    run = send_week(MONDAY)

    [failed] = run.failed
    assert "cannot take this address" in failed.error
    assert [row.status for row in outbox_rows()] == ["failed"], "not retried for hours"
