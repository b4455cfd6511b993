"""Each user's private calendar feed: an address with a secret token in it, for Outlook or Google
Calendar to subscribe to, listing the user's training sessions and the milestones they own.

Only the token's SHA-256 is stored, so the address is shown once, when made. Replacing it makes
a new token (the old address stops working at once); revoking deletes the row. An unknown and a
revoked token are answered alike (the view's 404).

What the feed holds:
- the sessions the user trains (a year back and everything ahead), cancelled ones included
  with STATUS:CANCELLED so a subscribed calendar shows them struck out rather than silently gone;
- the sessions they have a place on, when a staff member of any programme has their e-mail
  address (non-cancelled: a cancelled session's places are released);
- the milestones they own that have a due date, as all-day events.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import has_request_context, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from programme import clock
from programme.domain import ical
from programme.domain.timeline import MilestoneStatus
from programme.extensions import db
from programme.models import (
    Attendance,
    CalendarFeed,
    Milestone,
    Programme,
    StaffMember,
    TrainingSession,
    User,
    Workstream,
)
from programme.services import audit, memberships
from programme.services.errors import ServiceError
from programme.services.mail.compose import app_url
from programme.services.training.calendar_invites import calendar_host, session_facts
from programme.services.transaction import transactional

# Sessions further back than this are left out: a subscribed calendar has them already.
LOOK_BACK = timedelta(days=365)


@dataclass(frozen=True)
class IssuedFeed:
    """A feed address just made: `url` holds the token, shown to its user once."""

    record: CalendarFeed
    url: str = field(repr=False)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_url(token: str) -> str:
    """The feed's full address: as the browser reached the tracker when made on a page (behind
    the proxy, the address people use), else on APP_BASE_URL."""
    if has_request_context():
        return url_for("calendar_feeds.feed", token=token, _external=True)
    return app_url("calendar_feeds.feed", token=token)


@transactional
def create(user: User) -> IssuedFeed:
    """A feed address for the user; refused if they have one (replace it instead)."""
    if feed_of(user) is not None:
        raise ServiceError(
            "You already have a calendar feed address. Replace it to get a new one.", "feed"
        )
    token = secrets.token_urlsafe(32)
    record = CalendarFeed(user_id=user.id, token_hash=_hash(token))
    db.session.add(record)
    db.session.flush()
    audit.record(
        user, "create", "calendar_feed", record.id, f"Made a calendar feed for {user.email}"
    )
    return IssuedFeed(record, feed_url(token))


@transactional
def replace(user: User) -> IssuedFeed:
    """A new token for the user's feed: the old address stops working now."""
    record = feed_of(user)
    if record is None:
        raise ServiceError("You have no calendar feed address to replace.", "feed")
    token = secrets.token_urlsafe(32)
    record.token_hash = _hash(token)
    record.created_at = clock.utc_now()
    record.last_read_at = None
    audit.record(
        user,
        "replace_feed",
        "calendar_feed",
        record.id,
        f"Replaced the calendar feed address of {user.email} (the old one no longer works)",
    )
    return IssuedFeed(record, feed_url(token))


@transactional
def revoke(user: User) -> bool:
    """Delete the user's feed (its address answers 404 from now on). False if there was none."""
    record = feed_of(user)
    if record is None:
        return False
    audit.record(
        user,
        "revoke_feed",
        "calendar_feed",
        record.id,
        f"Revoked the calendar feed of {user.email}",
    )
    db.session.delete(record)
    return True


def find(token: str) -> CalendarFeed | None:
    """The feed a token opens, if it is current and its user active; None otherwise."""
    if not token or len(token) > 200:
        return None
    record = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.token_hash == _hash(token))
        .options(joinedload(CalendarFeed.user))
    )
    if record is None or not record.user.active:
        return None
    return record


@transactional
def read(record: CalendarFeed) -> bytes:
    """The feed's .ics, noting when it was read."""
    record.last_read_at = clock.utc_now()
    return calendar_of(record.user)


def calendar_of(user: User) -> bytes:
    host, zone, stamp = calendar_host(), clock.zone(), clock.utc_now()
    events = [
        ical.session_event(session_facts(session, slug), host=host, zone=zone, stamp=stamp)
        for session, slug in _sessions(user)
    ]
    events += [ical.milestone_event(facts, host=host, stamp=stamp) for facts in _milestones(user)]
    return ical.feed_calendar(events, f"Training and milestones: {user.name}")


def _sessions(user: User) -> list[tuple[TrainingSession, str]]:
    """The sessions the user trains or is booked on, in the programmes they are a member of."""
    enrolled = (
        select(Attendance.session_id)
        .join(StaffMember, StaffMember.id == Attendance.staff_id)
        .where(StaffMember.email == user.email.lower())
    )
    rows = db.session.execute(
        select(TrainingSession, Programme.slug)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .where(
            TrainingSession.on >= clock.today() - LOOK_BACK,
            or_(
                TrainingSession.trainer_id == user.id,
                TrainingSession.id.in_(enrolled) & TrainingSession.cancelled_at.is_(None),
            ),
        )
        .options(
            joinedload(TrainingSession.course),
            joinedload(TrainingSession.module),
            joinedload(TrainingSession.trainer),
        )
        .order_by(TrainingSession.on, TrainingSession.id)
    )
    visible = memberships.visible_programme_ids(user)
    return [
        (session, slug)
        for session, slug in rows
        if visible is None or session.programme_id in visible
    ]


def _milestones(user: User) -> list[ical.MilestoneFacts]:
    """The user's milestones with a due date, in the programmes they are a member of."""
    query = select(Milestone).where(Milestone.owner_id == user.id, Milestone.due.is_not(None))
    visible = memberships.visible_programme_ids(user)
    if visible is not None:
        query = query.join(Workstream, Workstream.id == Milestone.workstream_id).where(
            Workstream.programme_id.in_(visible)
        )
    milestones = db.session.scalars(
        query.options(joinedload(Milestone.locality)).order_by(Milestone.due, Milestone.id)
    )
    return [
        ical.MilestoneFacts(
            milestone_id=milestone.id,
            title=milestone.title,
            due=milestone.due,
            where=milestone.locality.name if milestone.locality else "Programme-wide",
            status=MilestoneStatus(milestone.status).label,
            url=app_url("milestones.edit", milestone_id=milestone.id),
        )
        for milestone in milestones
    ]
