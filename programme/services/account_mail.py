"""E-mailing account links: the invitation an administrator's new user gets, and the password
reset anyone may ask for.

Each message is queued in the outbox in the same transaction as its link, and delivered straight
after that transaction commits; if the mail server cannot be reached it stays pending and the
scheduler's delivery job tries again (services/mail/outbox.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from programme.domain.account_links import INVITATION, PASSWORD_RESET
from programme.extensions import db
from programme.models import OutboxMessage, Programme, User
from programme.services import audit, users
from programme.services.account_links import IssuedLink, issue_link, reset_limit_reached
from programme.services.errors import ServiceError
from programme.services.mail import outbox
from programme.services.mail.compose import app_url, compose
from programme.services.transaction import transactional

log = logging.getLogger(__name__)

# The page each kind of link opens.
LINK_ENDPOINTS = {INVITATION: "passwords.invitation", PASSWORD_RESET: "passwords.reset"}


@dataclass(frozen=True)
class Sending:
    """Where an e-mailed link stands once delivery was tried: the outbox message's status
    (sent, stored, pending: to be retried, failed) and the server's last reply."""

    to: str
    status: str
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def sentence(self, what: str = "The invitation") -> str:
        """One sentence for the administrator (a flash message, the CLI's output)."""
        if self.status == "sent":
            return f"{what} was e-mailed to {self.to}."
        if self.status == "stored":
            return (
                f"{what} to {self.to} was stored in the outbox, not sent "
                "(MAIL_TRANSPORT is outbox)."
            )
        if self.status == "failed":
            return f"{what} to {self.to} could not be delivered: {self.error}"
        reason = self.error or "the mail server did not answer"
        return (
            f"{what} to {self.to} could not be sent yet ({reason}). It stays in the outbox and "
            "is tried again automatically."
        )


@dataclass(frozen=True)
class Invited:
    user: User
    sending: Sending


def _queue_link_mail(issued: IssuedLink, template: str, **context) -> OutboxMessage:
    user = issued.link.user
    url = app_url(LINK_ENDPOINTS[issued.link.purpose], token=issued.token)
    composed = compose(template, user=user, url=url, link=issued.link, **context)
    message = outbox.queue(
        to=user.email,
        kind=issued.link.purpose,
        key=f"link:{issued.link.id}",
        composed=composed,
        user_id=user.id,
    )
    if message is None:  # a new link's key cannot already be in the outbox
        raise RuntimeError(f"the outbox already holds a message for link {issued.link.id}")
    return message


def deliver_now(message_id: int) -> Sending:
    """Deliver one queued message at once (after its transaction has committed) and say how it
    went. A failure to deliver leaves the message in the outbox for the next delivery run."""
    try:
        outbox.deliver([message_id])
    except Exception:  # the message is committed: the scheduler's run will try it again
        log.exception("Delivering outbox message %s failed; it stays pending", message_id)
        db.session.rollback()
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    return Sending(message.recipient, message.status, message.last_error)


@transactional
def _queue_invitation(user: User, actor: User | None) -> int:
    if not user.invited:
        raise ServiceError(
            f"{user.name} has already joined: if they have forgotten their password, they can "
            "ask for a reset link on the sign-in page."
        )
    if not user.active:
        raise ServiceError(f"{user.name}'s account is deactivated: reactivate it first.")
    issued = issue_link(user, INVITATION)
    message = _queue_link_mail(issued, "invitation", inviter=actor)
    audit.record(
        actor,
        "invite",
        "user",
        user.id,
        f"Sent {user.email} an invitation to choose a password (valid for 7 days)",
    )
    return message.id


@transactional
def _create_and_queue(
    email: str, name: str, role: str, actor: User | None, programmes: Sequence[Programme]
) -> tuple[User, int]:
    user = users.create_user(email, name, role, None, actor, programmes)
    return user, _queue_invitation(user, actor)


def invite_new_user(
    email: str,
    name: str,
    role: str,
    actor: User | None,
    programmes: Sequence[Programme] = (),
) -> Invited:
    """Add a user with no password and e-mail them an invitation to choose one; with
    `programmes`, they join each with `role` (all in the same transaction)."""
    user, message_id = _create_and_queue(email, name, role, actor, programmes)
    return Invited(db.session.get(User, user.id), deliver_now(message_id))


def resend_invitation(user_id: int, actor: User | None) -> Invited:
    """A new invitation for someone who has not joined yet; the earlier link stops working."""
    message_id = _queue_invitation(users.get_user(user_id), actor)
    return Invited(users.get_user(user_id), deliver_now(message_id))


@transactional
def queue_password_reset(email: str, requested_from: str | None) -> int | None:
    """Queue a reset link for the account `email` names, if there is an active one and the rate
    limits allow: the outbox message's id, or None when nothing was queued.

    The caller answers the same whatever this returns, and delivers the message after answering,
    so neither the words nor the time taken tell whether the address has an account.
    """
    try:
        email = users.normalise_email(email)
    except ServiceError:
        return None
    # Locked, so two requests for one address at the same moment are counted one after the other.
    user = db.session.scalar(select(User).where(User.email == email).with_for_update())
    if user is None or not user.active:
        return None
    if reset_limit_reached(user, requested_from):
        log.info("Password reset for user %s not sent: rate limit reached", user.id)
        return None
    issued = issue_link(user, PASSWORD_RESET, requested_from=requested_from)
    message = _queue_link_mail(issued, "password_reset", requested_from=requested_from)
    audit.record(
        None,
        "request_password_reset",
        "user",
        user.id,
        f"E-mailed {user.email} a password reset link (valid for 1 hour)",
    )
    return message.id
