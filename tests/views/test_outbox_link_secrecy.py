"""Single-use links stay with the person they were sent to: a sent invitation or reset keeps no
usable link in the outbox, and the admin page hides one still on its way. Only with
MAIL_TRANSPORT=outbox (nothing is sent: a development machine) does the page show it, since
reading it there is the only way to follow it."""

from __future__ import annotations

import re

from sqlalchemy import select

from programme.extensions import db
from programme.models import OutboxMessage
from programme.services import account_mail
from tests.builders import create_user
from tests.conftest import sign_in_as

TOKEN = re.compile(r"/password/reset/([A-Za-z0-9_-]{43})")


def _reset_requested(client) -> OutboxMessage:
    create_user("viewer", email="victim@example.org")
    client.post("/password/forgotten", data={"email": "victim@example.org"})
    db.session.expire_all()
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))


def _admin_page(client, message: OutboxMessage) -> str:
    sign_in_as(client, create_user("admin", email="admin@example.org"))
    return client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)


def test_a_sent_reset_keeps_no_usable_link(app, client, smtp_server):
    message = _reset_requested(client)

    assert message.status == "sent"
    [mail] = smtp_server.received
    assert TOKEN.search(mail.part("plain")), "the person got the link"
    assert not TOKEN.search(message.text_body) and not TOKEN.search(message.html_body or "")
    assert "/password/reset/[link-removed-once-sent]" in message.text_body
    page = _admin_page(client, message)
    assert not TOKEN.search(page)
    assert "It is not kept once sent." in page


def test_a_reset_waiting_to_be_sent_is_not_shown_to_an_admin(app, client, smtp_down):
    message = _reset_requested(client)

    assert message.status == "pending"
    assert TOKEN.search(message.text_body), "kept until it is sent, to be retried"
    page = _admin_page(client, message)
    assert not TOKEN.search(page)
    assert "The single-use link in this message is not shown" in page


def test_with_the_outbox_transport_the_stored_link_is_shown(app, client):
    app.config["MAIL_TRANSPORT"] = "outbox"
    message = _reset_requested(client)

    assert message.status == "stored"
    assert TOKEN.search(_admin_page(client, message))


def test_a_sent_invitation_cannot_be_resent_from_the_outbox(app, client, smtp_server):
    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "sent" and invited.user.invited
    sign_in_as(client, create_user("admin", email="admin@example.org"))

    answer = client.post(f"/admin/outbox/{message.id}/resend", follow_redirects=True)

    assert "“Resend invitation” on the Users page" in answer.get_data(as_text=True)
    assert len(smtp_server.received) == 1
