"""List-Unsubscribe goes on the wire as the plain `<https://…>` RFC 2369/8058 want, not folded into
RFC 2047 encoded words (which Python's parser decodes, but mail providers do not: they would not
offer one-click unsubscribe). So the test reads the raw header."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from programme.services.reminders.weekly import send_week
from tests.builders import create_locality, create_milestone, create_user

MONDAY = date(2026, 11, 30)


def test_list_unsubscribe_is_sent_as_a_plain_angle_bracketed_url(app, smtp_server, pin_clock):
    pin_clock(at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    locality = create_locality(go_live=date(2027, 9, 6))
    owner = create_user("programme_manager", email="owner@anyshire.gov.uk")
    create_milestone(locality, owner_id=owner.id, due=MONDAY + timedelta(days=3))

    send_week(MONDAY)

    [mail] = smtp_server.to("owner@anyshire.gov.uk")
    raw = {name: value for name, value in mail.message.raw_items()}
    on_the_wire = " ".join(raw["List-Unsubscribe"].split())
    assert "=?" not in on_the_wire, on_the_wire
    assert on_the_wire.startswith("<http")
