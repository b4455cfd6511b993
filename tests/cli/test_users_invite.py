"""`users create` without --password-stdin: the user is added with no password and e-mailed an
invitation; the command says where the invitation went (or that it is waiting in the outbox)."""

from __future__ import annotations

from sqlalchemy import select

from programme.extensions import db
from programme.models import AccountLink, OutboxMessage, User
from tests.queries import count_rows

CREATE = ["users", "create", "Nia.Person@Example.org", "--name", "Nia Person", "--role", "trainer"]


def test_without_a_password_the_user_is_invited_by_e_mail(app, runner, smtp_server):
    result = runner.invoke(args=CREATE)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Created nia.person@example.org (Trainer), invited by e-mail.",
        "The invitation was e-mailed to nia.person@example.org.",
    ]
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.invited) == ("nia.person@example.org", "trainer", True)
    (mail,) = smtp_server.to("nia.person@example.org")
    assert "/invitation/" in mail.part("plain")
    assert db.session.scalar(select(AccountLink.purpose)) == "invitation"


def test_with_the_outbox_transport_it_says_the_invitation_was_stored(app, runner):
    app.config["MAIL_TRANSPORT"] = "outbox"

    result = runner.invoke(args=CREATE)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "The invitation to nia.person@example.org was stored in the outbox, not sent "
        "(MAIL_TRANSPORT is outbox)."
    )
    assert db.session.scalar(select(OutboxMessage.status)) == "stored"


def test_when_the_server_is_down_the_invitation_waits_to_be_retried(app, runner, smtp_down):
    result = runner.invoke(args=CREATE)

    assert result.exit_code == 0, result.output
    assert "could not be sent yet" in result.stdout
    assert "tried again automatically" in result.stdout
    assert db.session.scalar(select(OutboxMessage.status)) == "pending"


def test_an_address_the_server_refuses_exits_1_with_the_reason(app, runner, smtp_server):
    smtp_server.handler.refuse.add("nia.person@example.org")

    result = runner.invoke(args=CREATE)

    assert result.exit_code == 1
    assert "could not be delivered" in result.stderr and "550" in result.stderr
    assert "resend it from the Users page" in result.stderr
    assert count_rows(User) == 1  # added; the invitation can be resent


def test_a_bad_address_invites_nobody(app, runner, smtp_server):
    result = runner.invoke(
        args=["users", "create", "not-an-address", "--name", "X", "--role", "viewer"]
    )

    assert result.exit_code == 1
    assert "not a valid e-mail address" in result.stderr
    assert count_rows(User) == count_rows(OutboxMessage) == 0
    assert smtp_server.received == []


def test_an_address_already_taken_invites_nobody(app, runner, smtp_server):
    runner.invoke(args=CREATE)

    result = runner.invoke(args=CREATE)

    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert len(smtp_server.received) == 1


def test_with_password_stdin_no_invitation_is_sent(app, runner, smtp_server):
    result = runner.invoke(
        args=[*CREATE, "--password-stdin"], input="marmalade trombone lighthouse\n"
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created nia.person@example.org (Trainer)."
    assert not db.session.scalar(select(User)).invited
    assert count_rows(OutboxMessage) == 0 and smtp_server.received == []
