"""The outbox: every e-mail the app sends is first a row here, then delivered by `deliver_due`.

Queueing is part of the caller's transaction: a digest or an invitation is in the outbox exactly
when the work that made it is committed, and the database's UNIQUE(recipient, kind, dedupe_key)
refuses a second copy, whichever process builds it.

Delivery claims one message at a time with a conditional UPDATE (pending -> sending, only while
it is still pending) and commits that claim before talking to the server; a process whose UPDATE
changed no row lost the race and leaves the message alone, so two processes against one database
never both send it. Each outcome is committed on its own as soon as the server has answered:

- accepted -> `sent` (sent_at); the outbox transport -> `stored` (nothing sent);
- refused for good (a 5xx reply) -> `failed`, with the server's reply in last_error;
- refused for now (a 4xx reply, no connection, a timeout) -> `pending` again, tried after
  5 min * 2**(attempts-1), at most 6 hours; after MAIL_MAX_ATTEMPTS attempts -> `failed`.

Nothing is dropped: a failed message stays on the admin page until someone resends it.

At least once, in one narrow case: if the process stops (is killed, loses the database) after the
server accepted a message but before `sent` was committed, the message stays `sending`. The next
`deliver_due` more than 15 minutes later puts it back to pending, with a last_error saying it may
already have been delivered, and sends it again. Waiting 15 minutes (far longer than any one send,
bounded by SMTP_TIMEOUT) keeps a live process's claim from being taken over. The message keeps its
Message-ID, so most mail clients show the two copies as one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import or_, select, update

from programme.clock import utc_now
from programme.domain.account_links import LINK_KINDS, without_link_tokens
from programme.domain.numbers import whole_number
from programme.domain.outbox import RESENDABLE
from programme.extensions import db
from programme.models import OutboxMessage, User
from programme.models.mail import MESSAGE_KINDS
from programme.services import audit
from programme.services.account_links import problem_of_link
from programme.services.errors import NotFound, ServiceError
from programme.services.mail.compose import Composed
from programme.services.mail.transports import (
    ACCEPTED,
    PERMANENT,
    STORED,
    Outcome,
    sender_domain,
    transport_for,
)
from programme.services.transaction import transactional

FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)
# A claim older than this was left by a process that stopped: the message is tried again.
STALE_CLAIM = timedelta(minutes=15)
MAY_HAVE_BEEN_DELIVERED = (
    "A delivery started over 15 minutes ago never recorded its outcome (the process stopped?): "
    "tried again, though the first attempt may have been delivered."
)


@dataclass
class Delivery:
    """What one `deliver_due` did, message by message."""

    sent: list[OutboxMessage] = field(default_factory=list)
    stored: list[OutboxMessage] = field(default_factory=list)
    retrying: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th attempt failed for now: 5, 10, 20 … minutes,
    never more than 6 hours."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_WAIT)


def queue(
    *,
    to: str,
    kind: str,
    key: str,
    composed: Composed,
    user_id: int | None = None,
    headers: dict | None = None,
    items: list | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox in the caller's transaction (nothing is committed here).

    Returns None, adding nothing, when (to, kind, key) is already in the outbox, also when
    another process inserts it at the same moment: INSERT … ON CONFLICT DO NOTHING leaves the
    database to decide. A digest's key is its ISO week ('2026-W49').

    `attachments`: files the message carries, each {"filename", "content_type", "content"}
    (text content, e.g. an .ics with content_type "text/calendar; method=REQUEST").
    """
    from sqlalchemy.dialects import postgresql, sqlite  # PostgreSQL's: not at start-up

    to = (to or "").strip()
    headers = dict(headers or {})
    _check_message(to, kind, key, composed, headers)
    attachments = [_checked_attachment(item) for item in attachments or []]
    # Kept with the message, so a retry (or a crash's second copy) carries the same Message-ID.
    headers.setdefault(
        "Message-ID", make_msgid(domain=sender_domain(current_app.config["MAIL_FROM"]))
    )
    moment = utc_now()
    values = {
        "recipient": to,
        "user_id": user_id,
        "kind": kind,
        "dedupe_key": key,
        "subject": composed.subject,
        "text_body": composed.text,
        "html_body": composed.html,
        "headers": headers,
        "items": list(items or []),
        "attachments": attachments,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": moment,
        "created_at": moment,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["recipient", "kind", "dedupe_key"])
        .returning(OutboxMessage.id)
    )
    new_id = db.session.execute(statement).scalar()
    if new_id is None:
        return None
    return db.session.get(OutboxMessage, new_id)


def _check_message(to: str, kind: str, key: str, composed: Composed, headers: dict) -> None:
    """A programming error, not a user's: callers skip people with no address beforehand."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(MESSAGE_KINDS)}, not {kind!r}")
    if not to or "@" not in to or any(c.isspace() for c in to) or len(to) > 254:
        raise ValueError(f"not an e-mail address: {to!r}")
    if not key or len(key) > 64:
        raise ValueError(f"the key must be 1 to 64 characters, not {key!r}")
    if not composed.subject or len(composed.subject) > 300:
        raise ValueError("the subject must be 1 to 300 characters")
    for text in (composed.subject, *headers, *map(str, headers.values())):
        if "\r" in text or "\n" in text:
            raise ValueError(f"a header cannot span lines: {text!r}")


def _checked_attachment(item: dict) -> dict:
    filename, content_type, content = (item.get(k) for k in ("filename", "content_type", "content"))
    if not filename or any(c in filename for c in '/\\\r\n"'):
        raise ValueError(f"an attachment needs a plain file name, not {filename!r}")
    if not content_type or "/" not in content_type or "\n" in content_type:
        raise ValueError(f"an attachment needs a content type, not {content_type!r}")
    if not isinstance(content, str):
        raise ValueError("an attachment's content must be text")
    return {"filename": filename, "content_type": content_type, "content": content}


def deliver(message_ids: Collection[int]) -> Delivery:
    """Send these messages now, if they are due (right after an invitation is committed)."""
    return deliver_due(only=message_ids)


def deliver_due(limit: int | None = None, only: Collection[int] | None = None) -> Delivery:
    """Send every pending message that is due (only those ids when `only` is given), oldest
    first, through the transport MAIL_TRANSPORT names.

    Commits: each claim, then each outcome, on its own. Call it with no unfinished work in the
    session (after the transaction that queued the messages has committed).
    """
    delivery = Delivery()
    transport = transport_for(current_app.config)  # an unknown transport claims nothing
    _release_stale_claims()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    with transport:
        for message_id in _due_ids(limit, only):
            message = _claim(message_id)
            if message is None:
                continue  # another process claimed it first
            _record(message, transport.send(message), max_attempts, delivery)
    return delivery


def _due_ids(limit: int | None, only: Collection[int] | None) -> list[int]:
    if only is not None and not only:
        return []
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= utc_now())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    )
    if only is not None:
        query = query.where(OutboxMessage.id.in_(list(only)))
    if limit is not None:
        query = query.limit(limit)
    ids = list(db.session.scalars(query))
    db.session.commit()
    return ids


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the message for this process, committed before anything is sent: the UPDATE changes
    the row only while it is still pending, so of two processes exactly one gets rowcount 1."""
    moment = utc_now()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= moment,
        )
        .values(status="sending", claimed_at=moment, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboxMessage, message_id)


def _record(message: OutboxMessage, outcome: Outcome, max_attempts: int, delivery: Delivery):
    moment = utc_now()
    message.claimed_at = None
    # A message that gets through keeps the last error it met on the way (a 451 before, or a
    # claim left by a stopped process: then it may have arrived twice), for the admin page.
    if outcome.result == ACCEPTED:
        message.status, message.sent_at = "sent", moment
        _forget_link_tokens(message)
        delivery.sent.append(message)
    elif outcome.result == STORED:
        message.status = "stored"
        delivery.stored.append(message)
    elif outcome.result == PERMANENT:
        message.status = "failed"
        message.last_error = f"Refused by the server: {outcome.error}"
        delivery.failed.append(message)
    elif message.attempts >= max_attempts:
        message.status = "failed"
        message.last_error = f"Gave up after {message.attempts} attempts: {outcome.error}"
        delivery.failed.append(message)
    else:
        message.status = "pending"
        message.next_attempt_at = moment + retry_delay(message.attempts)
        message.last_error = outcome.error
        delivery.retrying.append(message)
    db.session.commit()


def _forget_link_tokens(message: OutboxMessage) -> None:
    """Once sent, an invitation or reset keeps no usable link (the person has it)."""
    if message.kind in LINK_KINDS:
        message.text_body = without_link_tokens(message.text_body)
        if message.html_body:
            message.html_body = without_link_tokens(message.html_body)


def _release_stale_claims() -> None:
    """Messages left `sending` by a process that stopped go back to pending (or, out of
    attempts, to failed)."""
    moment = utc_now()
    stale = (
        OutboxMessage.status == "sending",
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < moment - STALE_CLAIM),
    )
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for out_of_attempts, status in ((True, "failed"), (False, "pending")):
        attempts = (
            OutboxMessage.attempts >= max_attempts
            if out_of_attempts
            else OutboxMessage.attempts < max_attempts
        )
        db.session.execute(
            update(OutboxMessage)
            .where(*stale, attempts)
            .values(
                status=status,
                claimed_at=None,
                next_attempt_at=moment,
                last_error=MAY_HAVE_BEEN_DELIVERED,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


@transactional
def resend(message_id: int, actor: User | None) -> OutboxMessage:
    """Put a failed, sent or stored message back to pending, to go with the next delivery
    (attempts start again from 0; it gets a new Message-ID, so a mail client that already has the
    first copy shows this one too). Audited."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("There is no message with that id in the outbox.")
    _refuse_a_dead_link(message)
    before = _state(message)
    headers = dict(message.headers or {})
    headers["Message-ID"] = make_msgid(domain=sender_domain(current_app.config["MAIL_FROM"]))
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(sorted(RESENDABLE)))
        .values(
            status="pending",
            attempts=0,
            next_attempt_at=utc_now(),
            claimed_at=None,
            sent_at=None,
            headers=headers,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ServiceError("This message is already waiting to be sent.")
    db.session.refresh(message)
    audit.record(
        actor,
        "resend",
        "outbox_message",
        message.id,
        f"Queued the {message.kind.replace('_', ' ')} e-mail “{message.subject}” to "
        f"{message.recipient} to be sent again (it was {before['status']})",
        before=before,
        after=_state(message),
    )
    return message


# Sending an invitation or reset again sends the same single-use link: refused once that link
# can no longer be used, with where to get a new one.
_DEAD_LINK = {
    "invitation": (
        "This invitation's link cannot be sent again (once sent, its link is not kept; or it "
        "has been used, replaced or has expired). Send a new one with “Resend invitation” on "
        "the Users page."
    ),
    "password_reset": (
        "This reset link cannot be sent again (once sent, its link is not kept; or it has been "
        "used, replaced or has expired). The person can ask for a new one with “Forgotten your "
        "password?” on the sign-in page."
    ),
}


def _refuse_a_dead_link(message: OutboxMessage) -> None:
    if message.kind not in _DEAD_LINK:
        return
    if message.status == "sent":  # its link was taken out of the stored copy when it went
        raise ServiceError(_DEAD_LINK[message.kind])
    link_id = message.dedupe_key.removeprefix("link:")
    if (number := whole_number(link_id)) is None or problem_of_link(number) is not None:
        raise ServiceError(_DEAD_LINK[message.kind])


def _state(message: OutboxMessage) -> dict:
    return {
        "status": message.status,
        "attempts": message.attempts,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "last_error": message.last_error,
    }
