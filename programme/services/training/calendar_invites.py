"""Telling people of their training sessions by e-mail, each message carrying an .ics
(RFC 5545) their calendar files: an invitation when enrolled, an update when the session moves,
a cancellation when it is cancelled or they are taken off it.

Every function queues its messages in the outbox within the caller's transaction, so a change
that is rolled back tells nobody. Sessions already past are not announced.

Delivery: like an account invitation, each message goes out straight after the transaction that
queued it commits: the ids are kept on the database session, moved aside at commit (dropped at
a rollback), and a request that committed some delivers them once its answer has gone
(`deliver_committed`, hooked in views/calendar_feeds.py). Anything not delivered then (no
request: the CLI, the scheduler; or the server down) waits in the outbox for the scheduler's
delivery job.

Duplicates: each message's key names the session, the person, the SEQUENCE and the METHOD (and
how many calendar messages that person already had for the session, so someone taken off and
put back on gets a fresh invitation). A call that would repeat the last thing the person was
told (the same METHOD at the same SEQUENCE) queues nothing, and the outbox's unique key refuses
a second copy made at the same moment by another process.

`silenced()` turns all of this off for a block (the demo data enrols hundreds of people).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from programme import clock
from programme.domain import ical
from programme.domain.formatting import clock_time, day_and_date
from programme.extensions import db
from programme.models import OutboxMessage, Programme, StaffMember, TrainingSession, User
from programme.services.mail import outbox
from programme.services.mail.compose import app_url, compose

log = logging.getLogger(__name__)

KIND = "calendar"
FILENAME = "invite.ics"
_QUEUED, _COMMITTED = "calendar_invites_queued", "calendar_invites_committed"
_silenced: ContextVar[bool] = ContextVar("calendar_invites_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """Within this block nobody is told anything (demo data, bulk loads)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def invite(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """People were enrolled: each gets a REQUEST at the session's current SEQUENCE."""
    _tell(session, people, "invite")


def update(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """The session moved or changed (its SEQUENCE already raised): a REQUEST to everyone on it."""
    _tell(session, people, "update")


def withdraw(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """People were taken off the session (un-enrolled or moved): each gets a CANCEL."""
    _tell(session, people, "withdraw")


def cancel(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """The session was cancelled: everyone who had a place gets a CANCEL with the reason."""
    _tell(session, people, "cancel")


def date_in_words(session: TrainingSession) -> str:
    """ "Tue 12 Jan 2027" or "Tue 12 Jan 2027 at 09:30"."""
    day = day_and_date(session.on)
    return f"{day} at {clock_time(session.starts_at)}" if session.starts_at else day


def session_facts(session: TrainingSession, slug: str | None = None) -> ical.SessionFacts:
    if slug is None:
        slug = db.session.get(Programme, session.programme_id).slug
    return ical.SessionFacts(
        session_id=session.id,
        sequence=session.sequence or 0,
        course=session.course.name,
        module_number=session.module.number,
        module_title=session.module.title,
        on=session.on,
        starts_at=session.starts_at,
        venue=session.venue or "",
        trainer=session.trainer.name if session.trainer else None,
        url=app_url("training.session", programme_slug=slug, session_id=session.id),
        cancelled=session.cancelled,
        cancel_reason=session.cancel_reason,
    )


def calendar_host() -> str:
    """The host part of every UID: the app's own address, so UIDs are unique to this site."""
    return urlsplit(current_app.config["APP_BASE_URL"]).hostname or "localhost"


def organizer() -> ical.Person:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return ical.Person(address or "noreply@localhost", name or "Family Safeguarding tracker")


_METHOD = {
    "invite": ical.REQUEST,
    "update": ical.REQUEST,
    "withdraw": ical.CANCEL,
    "cancel": ical.CANCEL,
}


def _tell(session: TrainingSession, people: Sequence[StaffMember], change: str) -> None:
    if _silenced.get() or not people or session.on < clock.today():
        return
    method = _METHOD[change]
    if method == ical.REQUEST and session.cancelled:
        return  # a cancelled session invites nobody (its CANCEL has gone)
    sequence = session.sequence or 0
    history = _history(session.id)
    facts = session_facts(session)
    users = _user_ids([person.email for person in people])
    stamp = clock.utc_now()
    queued = db.session.info.setdefault(_QUEUED, [])
    for person in dict.fromkeys(people):
        if not person.email:
            continue
        told = history.get(person.id, [])
        if told and told[-1] == (method, sequence):
            continue  # they were told exactly this already (a retry)
        event_ = ical.session_event(
            facts,
            host=calendar_host(),
            zone=clock.zone(),
            stamp=stamp,
            organizer=organizer(),
            attendee=ical.Person(person.email, person.name),
            cancelled=method == ical.CANCEL,
        )
        composed = compose(
            "calendar",
            change=change,
            session=session,
            facts=facts,
            person=person,
            when=date_in_words(session),
        )
        message = outbox.queue(
            to=person.email,
            kind=KIND,
            key=f"s{session.id}:p{person.id}:q{sequence}:{method}:{len(told)}",
            composed=composed,
            user_id=users.get(person.email.lower()),
            attachments=[
                {
                    "filename": FILENAME,
                    "content_type": f"text/calendar; method={method}",
                    "content": ical.message_calendar(method, event_).decode("utf-8"),
                }
            ],
        )
        if message is not None:
            queued.append(message.id)


def _history(session_id: int) -> dict[int, list[tuple[str, int]]]:
    """For each person, the (METHOD, SEQUENCE) of every calendar message about the session, in
    the order they were queued."""
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key)
        .where(OutboxMessage.kind == KIND, OutboxMessage.dedupe_key.like(f"s{session_id}:p%"))
        .order_by(OutboxMessage.id)
    )
    history: dict[int, list[tuple[str, int]]] = {}
    for key in keys:
        _, person, sequence, method, *_ = key.split(":")
        history.setdefault(int(person[1:]), []).append((method, int(sequence[1:])))
    return history


def _user_ids(emails: list[str]) -> dict[str, int]:
    lowered = sorted({email.lower() for email in emails if email})
    if not lowered:
        return {}
    rows = db.session.execute(select(User.email, User.id).where(User.email.in_(lowered)))
    return {email.lower(): user_id for email, user_id in rows}


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.info.setdefault(_COMMITTED, []).extend(queued)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def committed_ids() -> list[int]:
    """The calendar messages committed in this database session and not yet handed over for
    delivery (taken: a second call returns none)."""
    return db.session.info.pop(_COMMITTED, [])


def deliver_committed(message_ids: Sequence[int] | None = None) -> None:
    """Send these (by default: this session's committed) calendar messages now. A failure
    leaves them in the outbox for the scheduler's delivery job."""
    ids = list(message_ids) if message_ids is not None else committed_ids()
    if not ids:
        return
    try:
        outbox.deliver(ids)
    except Exception:  # committed: the scheduler's delivery job tries again
        log.exception("Delivering calendar messages %s failed; they stay pending", ids)
        db.session.rollback()
