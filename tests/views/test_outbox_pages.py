"""The admin outbox pages: counts per status (failed ones impossible to miss), filters as a GET
form with errors naming the field, pages of 50, one message in full, and resending through a
confirmation (audited; a sent message's confirmation says it goes again). Admins only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from programme.extensions import db
from programme.models import AuditEvent, OutboxMessage
from programme.services.mail import outbox
from programme.services.mail.compose import Composed
from tests.builders import create_user
from tests.pages import page_of, visible_text


def add(to: str, status: str = "pending", kind: str = "digest", key: str = "2026-W49", **values):
    message = outbox.queue(
        to=to,
        kind=kind,
        key=key,
        composed=Composed(
            values.pop("subject", "Your week"),
            "Plain words.\n",
            "<h1>Your week</h1>",
        ),
        headers={"List-Unsubscribe": "<https://tracker.example.org/u/1>"},
        items=[{"part": "milestones", "text": "Sign the ISA", "link": "https://x.example/1"}],
    )
    db.session.flush()
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id).values(status=status, **values)
    )
    db.session.commit()
    return message


def rows(response) -> list[str]:
    """The recipients listed, in order."""
    table = page_of(response).split('id="messages"', 1)[-1]
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", table)


@pytest.fixture
def admin_client(app, sign_in):
    return sign_in(create_user("admin"))


@pytest.mark.parametrize(
    "role", ["programme_manager", "board_member", "hr_lead", "trainer", "viewer"]
)
def test_only_admins_see_the_outbox(app, sign_in, role):
    message = add("ann@example.org", "failed")
    client = sign_in(create_user(role))
    for url in (
        "/admin/outbox",
        f"/admin/outbox/{message.id}",
        f"/admin/outbox/{message.id}/resend",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/admin/outbox/{message.id}/resend").status_code == 403
    assert db.session.get(OutboxMessage, message.id).status == "failed"
    assert db.session.scalar(select(AuditEvent)) is None


def test_the_users_page_links_to_the_outbox(admin_client):
    page = page_of(admin_client.get("/admin/users"))
    assert '<a href="/admin/outbox" id="outbox-link">E-mail outbox</a>' in page


def test_the_outbox_lists_messages_newest_first_with_counts(admin_client, pin_clock):
    from datetime import UTC, datetime

    pin_clock(at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    add("old@example.org", "sent")
    pin_clock(at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    add("bad@example.org", "failed", last_error="Refused by the server: 550 5.1.1 No such mailbox")
    pin_clock(at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    add("new@example.org", "pending", attempts=2, last_error="451 Try again later")

    response = admin_client.get("/admin/outbox")

    assert response.status_code == 200
    assert rows(response) == ["new@example.org", "bad@example.org", "old@example.org"]
    text = visible_text(page_of(response))
    assert "1 message failed. Show the failed messages" in text
    counts = visible_text(
        page_of(response).split('aria-labelledby="counts-heading">')[1].split("</ul>")[0]
    )
    assert counts == "1 failed 1 waiting to send 0 sending 1 sent 0 stored, not sent"
    assert "Showing 1 to 3 of 3 messages." in text
    assert "Refused by the server: 550 5.1.1 No such mailbox" in text
    page = page_of(response)
    assert '<strong class="app-tag app-tag--red">Failed</strong>' in page
    assert 'Weekly digest <span class="app-caption-inline">2026-W49</span>' in page


def test_no_failures_no_warning(admin_client):
    add("ann@example.org", "sent")
    assert 'id="failed-warning"' not in page_of(admin_client.get("/admin/outbox"))


def test_filters_narrow_the_list(admin_client):
    add("ann.archer@example.org", "failed", key="2026-W48")
    add("ann.archer@example.org", "sent", key="2026-W49")
    add("bob@example.org", "sent", key="2026-W49")
    add("ann.archer@example.org", "sent", kind="invitation", key="invite-1", subject="Join")

    def listed(**args) -> list[str]:
        response = admin_client.get("/admin/outbox", query_string=args)
        assert response.status_code == 200
        return rows(response)

    assert listed(status="failed") == ["ann.archer@example.org"]
    assert listed(kind="invitation") == ["ann.archer@example.org"]
    assert len(listed(recipient="ARCHER")) == 3
    assert listed(recipient="bob") == ["bob@example.org"]
    assert listed(recipient="%") == []  # a wildcard is a character like any other
    assert listed(week="2026-W49") == ["bob@example.org", "ann.archer@example.org"]
    assert listed(week="2026-w48") == ["ann.archer@example.org"]
    assert listed(week="2026-W49", recipient="bob", status="sent") == ["bob@example.org"]
    page = page_of(admin_client.get("/admin/outbox", query_string={"status": "failed"}))
    assert "matching the filters." in page
    assert '<option selected value="failed">Failed</option>' in page


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"week": "week 49"}, "week", "Enter the digest week as a year and week number"),
        ({"week": "2026-W60"}, "week", "Enter the digest week as a year and week number"),
        ({"week": "2025-W53"}, "week", "Enter the digest week as a year and week number"),
        ({"status": "lost"}, "status", "Choose a status from the list."),
        ({"kind": "newsletter"}, "kind", "Choose a kind of message from the list."),
        ({"recipient": "x" * 300}, "recipient", "Recipient must be 254 characters or fewer."),
    ],
)
def test_a_bad_filter_is_named_and_the_others_still_apply(admin_client, args, field, message):
    add("ann@example.org", "sent")
    add("bob@example.org", "failed")

    response = admin_client.get("/admin/outbox", query_string={**args})

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert f'<a href="#{field}">{message}' in page
    assert len(rows(response)) == 2  # the bad filter is left out
    both = admin_client.get("/admin/outbox", query_string={**args, "recipient": "bob"})
    if field != "recipient":
        assert rows(both) == ["bob@example.org"]


def test_fifty_messages_a_page(admin_client):
    for n in range(53):
        add(f"person{n:02d}@example.org", "sent" if n % 2 else "failed")

    first = admin_client.get("/admin/outbox")
    assert len(rows(first)) == 50
    text = visible_text(page_of(first))
    assert "Showing 1 to 50 of 53 messages." in text
    assert "Page 1 of 2 Next page" in text

    second = admin_client.get("/admin/outbox?page=2")
    assert rows(second) == ["person02@example.org", "person01@example.org", "person00@example.org"]
    assert "Previous page Page 2 of 2" in visible_text(page_of(second))
    assert rows(admin_client.get("/admin/outbox?page=99")) == rows(second)
    assert len(rows(admin_client.get("/admin/outbox?page=nonsense"))) == 50

    # The filters go with the page links.
    failed = page_of(admin_client.get("/admin/outbox?status=failed"))
    assert "Showing 1 to 27 of 27 messages" in visible_text(failed)
    assert "page=2" not in failed
    add("more@example.org", "failed", key="2026-W50")
    for n in range(24):
        add(f"extra{n}@example.org", "failed")
    filtered = page_of(admin_client.get("/admin/outbox?status=failed"))
    assert 'href="/admin/outbox?page=2&status=failed"' in filtered


def test_one_message_in_full(admin_client):
    user = create_user("trainer", name="Tess Trainer", email="tess@example.org")
    message = add(
        "tess@example.org",
        "failed",
        user_id=user.id,
        attempts=3,
        last_error="Refused by the server: 550 5.1.1 No such mailbox",
    )

    response = admin_client.get(f"/admin/outbox/{message.id}")

    assert response.status_code == 200
    page = page_of(response)
    text = visible_text(page)
    assert "Weekly digest to tess@example.org Your week" in text
    assert "Recipient tess@example.org (Tess Trainer)" in text
    assert "Week 2026-W49" in text
    assert "Attempts 3" in text
    assert "Last error Refused by the server: 550 5.1.1 No such mailbox" in text
    assert "Sent Not sent" in text
    raw = response.get_data(as_text=True)
    assert "List-Unsubscribe</dt>" in raw and "&lt;https://tracker.example.org/u/1&gt;" in raw
    assert "Message-ID</dt>" in raw
    assert "milestones: Sign the ISA" in text
    assert '<pre class="app-pre" id="text-body" tabindex="0">Plain words.\n</pre>' in page
    # The HTML version is shown as its source, never rendered into the page.
    assert "&lt;h1&gt;Your week&lt;/h1&gt;" in raw
    assert '<summary class="app-details__summary">HTML version (its source)</summary>' in raw
    assert f'href="/admin/outbox/{message.id}/resend"' in page


def test_a_message_on_its_way_has_no_resend_button(admin_client):
    message = add("ann@example.org", "pending")
    page = page_of(admin_client.get(f"/admin/outbox/{message.id}"))
    assert "/resend" not in page
    assert "Next attempt" in page
    response = admin_client.get(f"/admin/outbox/{message.id}/resend")
    assert response.status_code == 302
    followed = admin_client.get(response.headers["Location"])
    assert "already waiting to be sent" in page_of(followed)


def test_an_unknown_message_is_not_found(admin_client):
    assert admin_client.get("/admin/outbox/999999").status_code == 404
    assert admin_client.post("/admin/outbox/999999/resend").status_code == 404


def test_resending_a_failed_message_confirms_then_sends_and_audits(admin_client, smtp_server):
    message = add("ann@example.org", "failed", attempts=8, last_error="Gave up after 8 attempts")

    confirm = admin_client.get(f"/admin/outbox/{message.id}/resend")
    text = visible_text(page_of(confirm))
    assert "Resend “Your week”?" in text
    assert "It failed after 8 attempts: Gave up after 8 attempts" in text
    assert smtp_server.received == []  # asking is not doing

    done = admin_client.post(f"/admin/outbox/{message.id}/resend")

    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/admin/outbox/{message.id}")
    assert "Sent again to ann@example.org." in page_of(admin_client.get(done.headers["Location"]))
    assert [mail.to for mail in smtp_server.received] == ["ann@example.org"]
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts) == ("sent", 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "resend"))
    assert event.entity_type == "outbox_message" and event.entity_id == message.id


def test_resending_a_sent_message_says_it_goes_again(admin_client, smtp_server):
    message = add("ann@example.org", "sent")
    text = visible_text(page_of(admin_client.get(f"/admin/outbox/{message.id}/resend")))
    assert "This message was already sent" in text
    assert "ann@example.org will get a second copy" in text
    assert "Send it again" in text
    admin_client.post(f"/admin/outbox/{message.id}/resend")
    assert len(smtp_server.received) == 1


def test_a_resend_the_server_refuses_is_shown(admin_client, smtp_server):
    smtp_server.handler.refuse.add("gone@example.org")
    message = add("gone@example.org", "failed")
    done = admin_client.post(f"/admin/outbox/{message.id}/resend")
    page = page_of(admin_client.get(done.headers["Location"]))
    assert "The server refused it: Refused by the server: 550 5.1.1 No such mailbox here" in page
    assert db.session.get(OutboxMessage, message.id).status == "failed"


def test_a_resend_while_the_server_is_down_waits_for_the_next_run(admin_client, smtp_down):
    message = add("ann@example.org", "failed")
    done = admin_client.post(f"/admin/outbox/{message.id}/resend")
    page = page_of(admin_client.get(done.headers["Location"]))
    assert "Not sent yet (Could not reach" in page
    assert "It will be tried again automatically." in page
    assert db.session.get(OutboxMessage, message.id).status == "pending"


def test_resend_needs_the_csrf_token(app, sign_in):
    app.config["WTF_CSRF_ENABLED"] = True
    client = sign_in(create_user("admin"))
    message = add("ann@example.org", "failed")
    response = client.post(f"/admin/outbox/{message.id}/resend")
    assert response.status_code == 400
    assert db.session.get(OutboxMessage, message.id).status == "failed"
    confirm = page_of(client.get(f"/admin/outbox/{message.id}/resend"))
    assert 'name="csrf_token"' in confirm
