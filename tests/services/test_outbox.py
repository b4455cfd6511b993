"""The outbox: queueing once per (recipient, kind, key), and delivery through a real SMTP server
(aiosmtpd) with its outcomes: sent, refused for good, refused for now and retried."""

from __future__ import annotations

from datetime import UTC, datetime

from programme.extensions import db
from programme.models import OutboxMessage
from programme.services.mail import outbox
from programme.services.mail.compose import Composed

MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def composed(subject: str = "Your week") -> Composed:
    return Composed(subject, "Plain words.\n", "<h1>Your week</h1><p>HTML words.</p>")


def queued(to: str = "ann@example.org", key: str = "2026-W49", **extra) -> OutboxMessage:
    message = outbox.queue(to=to, kind="digest", key=key, composed=composed(), **extra)
    db.session.commit()
    return message


def test_smoke_sends_through_the_server(app, smtp_server):
    message = queued(headers={"List-Unsubscribe": "<https://example.org/u/1>"})
    delivery = outbox.deliver_due()
    assert [m.id for m in delivery.sent] == [message.id]
    (mail,) = smtp_server.received
    assert mail.to == "ann@example.org"
    assert "Plain words." in mail.part("plain")
    assert "HTML words." in mail.part("html")
    assert mail.message["List-Unsubscribe"] == "<https://example.org/u/1>"
