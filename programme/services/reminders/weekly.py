"""Sending a week's digests: plan them, queue each once, deliver what is waiting.

A digest is identified by (recipient, ISO week): the outbox's unique key makes the database,
not this process, decide whether it exists. So a second run in the same week queues nothing
new; a run that stopped half-way leaves the rest pending, and the next run delivers them
without resending the others; and two schedulers racing each queue and send a digest once
(queueing yields to the row already there; delivery claims each row before sending it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update

from programme.domain.weeks import iso_week
from programme.extensions import db
from programme.models import OutboxMessage, User
from programme.services.mail import outbox
from programme.services.reminders.digests import Planned, PlannedDigest, Skip, plan_digests
from programme.services.transaction import transactional

ALREADY_SENT = "already sent this week"
FAILED_EARLIER = "failed earlier this week (see the outbox page)"
WAITING = "waiting to be retried after a failed attempt"


@dataclass(frozen=True)
class Message:
    """One digest as the run reports it (CLI.md: {"to", "kind", "items"})."""

    to: str
    kind: str
    items: list[dict]
    error: str | None = None


@dataclass
class WeekRun:
    week: str
    dry_run: bool
    sent: list[Message] = field(default_factory=list)  # sent, or stored by the outbox transport
    skipped: list[Skip] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)  # refused for good, or to be retried


def send_week(as_of: date, *, dry_run: bool = False) -> WeekRun:
    """Build `as_of`'s week of digests and send those not already sent. A dry run writes
    nothing and reports who would get what."""
    planned = plan_digests(as_of)
    week = iso_week(as_of)
    existing = _this_weeks_digests(week, [digest.user.email for digest in planned.digests])
    if dry_run:
        return _dry_run(week, planned, existing)
    run = WeekRun(week, dry_run=False, skipped=list(planned.skipped))
    waiting = _queue(planned, existing, run)
    if not waiting:
        return run
    delivery = outbox.deliver_due(only=list(waiting))
    run.sent.extend(_message(sent) for sent in [*delivery.sent, *delivery.stored])
    run.failed.extend(
        _message(failed, failed.last_error) for failed in [*delivery.failed, *delivery.retrying]
    )
    attempted = {message.id for message in [*delivery.sent, *delivery.stored]}
    attempted |= {message.id for message in [*delivery.failed, *delivery.retrying]}
    # Still backing off after a failed attempt, or being sent by another process right now.
    run.skipped.extend(Skip(user, WAITING) for id_, user in waiting.items() if id_ not in attempted)
    return run


def _this_weeks_digests(week: str, recipients: list[str]) -> dict[str, OutboxMessage]:
    if not recipients:
        return {}
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "digest",
            OutboxMessage.dedupe_key == week,
            OutboxMessage.recipient.in_(recipients),
        )
    )
    return {row.recipient: row for row in rows}


def _dry_run(week: str, planned: Planned, existing: dict[str, OutboxMessage]) -> WeekRun:
    run = WeekRun(week, dry_run=True, skipped=list(planned.skipped))
    for digest in planned.digests:
        earlier = existing.get(digest.user.email)
        if earlier is None or earlier.status in {"pending", "sending"}:
            run.sent.append(Message(digest.user.email, "digest", digest.items))
        else:
            run.skipped.append(Skip(digest.user, _reason(earlier)))
    return run


@transactional
def _queue(planned: Planned, existing: dict[str, OutboxMessage], run: WeekRun) -> dict[int, User]:
    """Queue the week's new digests; return every one of this week's digests still waiting
    (new, or left pending by a run that stopped), by id. One transaction: all queued or none."""
    _replace_older_digests(run.week, [digest.user.email for digest in planned.digests])
    waiting = {}
    for digest in planned.digests:
        earlier = existing.get(digest.user.email)
        if earlier is None:
            earlier = _queue_one(digest)
            if earlier is None:  # another process queued it since we looked
                earlier = _this_weeks_digests(run.week, [digest.user.email]).get(digest.user.email)
        if earlier is not None and earlier.status in {"pending", "sending"}:
            # Delivery decides: due or not, and whether a claim is a dead process's to release.
            waiting[earlier.id] = digest.user
        elif earlier is not None:
            run.skipped.append(Skip(digest.user, _reason(earlier)))
    return waiting


def _replace_older_digests(week: str, recipients: list[str]) -> None:
    """A digest of an earlier week still unsent (the server was down all week) is out of date:
    this week's replaces it, rather than the person getting two. Marked failed, with why, on the
    admin page: not dropped silently."""
    if not recipients:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.kind == "digest",
            OutboxMessage.status == "pending",
            OutboxMessage.dedupe_key < week,  # 'YYYY-Www' sorts as the weeks do
            OutboxMessage.recipient.in_(recipients),
        )
        .values(status="failed", last_error=f"Not sent: the digest for {week} replaces it.")
        .execution_options(synchronize_session=False)
    )


def _queue_one(digest: PlannedDigest) -> OutboxMessage | None:
    return outbox.queue(
        to=digest.user.email,
        kind="digest",
        key=digest.week,
        composed=digest.composed,
        user_id=digest.user.id,
        headers=digest.headers,
        items=digest.items,
    )


def _reason(message: OutboxMessage) -> str:
    if message.status == "failed":
        return FAILED_EARLIER
    if message.status in {"pending", "sending"}:
        return WAITING
    return ALREADY_SENT


def _message(message: OutboxMessage, error: str | None = None) -> Message:
    return Message(message.recipient, message.kind, list(message.items or []), error)
