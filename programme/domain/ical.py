"""Training sessions and milestones as iCalendar (RFC 5545), for e-mailed invitations and for
a person's subscribed calendar feed.

- A session is one VEVENT whose UID never changes (`training-session-<id>@<host>`), so a
  calendar replaces its copy when an update (a higher SEQUENCE) or a cancellation arrives.
- A session with a start time runs SESSION_LENGTH (7 hours: a day's training, 09:30 to 16:30),
  its DTSTART/DTEND in the programme's time zone (TZID) with a VTIMEZONE describing that zone;
  a session with no start time is an all-day event (DATE values).
- An e-mailed calendar carries METHOD:REQUEST (an invitation or an update) or METHOD:CANCEL;
  a feed carries METHOD:PUBLISH and no ORGANIZER/ATTENDEE (it informs, it invites nobody).
- A milestone is an all-day event on its due date (`milestone-<id>@<host>`).

Plain functions: no Flask, no database; the service passes in what they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

# icalendar (0.1 s to import) is imported in the functions that build events: only invitations
# and feeds need it, not every command and worker at start-up.
if TYPE_CHECKING:
    from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Family Safeguarding programme tracker//Training calendar//EN"
# How long a timed session lasts: a day's training (09:30 to 16:30). Sessions record only
# their start, so every timed session gets this length.
SESSION_LENGTH = timedelta(hours=7)
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"
METHODS = (REQUEST, CANCEL)


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class SessionFacts:
    """What a calendar says about one training session."""

    session_id: int
    sequence: int
    course: str
    module_number: int
    module_title: str
    on: date
    starts_at: time | None
    venue: str
    trainer: str | None
    url: str | None = None
    cancelled: bool = False
    cancel_reason: str | None = None

    @property
    def summary(self) -> str:
        return session_summary(self.course, self.module_number, self.module_title)


def session_summary(course: str, module_number: int, module_title: str) -> str:
    """ "Safe and Together — module 2: Perpetrator patterns"."""
    return f"{course} — module {module_number}: {module_title}"


def session_uid(session_id: int, host: str) -> str:
    return f"training-session-{session_id}@{host}"


def milestone_uid(milestone_id: int, host: str) -> str:
    return f"milestone-{milestone_id}@{host}"


def session_times(
    on: date, starts_at: time | None, zone: ZoneInfo
) -> tuple[date | datetime, date | datetime]:
    """(DTSTART, DTEND): local times in `zone`, or the day itself (DTEND is exclusive, the next
    day) for a session with no start time."""
    if starts_at is None:
        return on, on + timedelta(days=1)
    start = datetime.combine(on, starts_at, tzinfo=zone)
    return start, start + SESSION_LENGTH


def session_event(
    facts: SessionFacts,
    *,
    host: str,
    zone: ZoneInfo,
    stamp: datetime,
    organizer: Person | None = None,
    attendee: Person | None = None,
    cancelled: bool | None = None,
) -> Event:
    """The session as one VEVENT. `cancelled` (default: the session's own state) sets
    STATUS:CANCELLED, as a CANCEL to someone taken off a session that still runs needs."""
    from icalendar import Event

    cancelled = facts.cancelled if cancelled is None else cancelled
    event = Event()
    event.add("uid", session_uid(facts.session_id, host))
    event.add("sequence", facts.sequence)
    event.add("dtstamp", stamp)
    start, end = session_times(facts.on, facts.starts_at, zone)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", facts.summary)
    if facts.venue:
        event.add("location", facts.venue)
    event.add("description", _session_description(facts))
    if facts.url:
        event.add("url", facts.url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        address = _address(attendee)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "FALSE"  # places are given, not asked for
        event.add("attendee", address)
    return event


def _session_description(facts: SessionFacts) -> str:
    lines = [f"Trainer: {facts.trainer or 'to be confirmed'}"]
    if facts.venue:
        lines.append(f"Venue: {facts.venue}")
    if facts.cancelled and facts.cancel_reason:
        lines.append(f"Cancelled: {facts.cancel_reason}")
    if facts.url:
        lines.append(f"Details: {facts.url}")
    return "\n".join(lines)


def _address(person: Person) -> vCalAddress:
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    return address


@dataclass(frozen=True)
class MilestoneFacts:
    milestone_id: int
    title: str
    due: date
    where: str  # the locality, or "Programme-wide"
    status: str  # in words: "Not started", "Done"…
    url: str | None = None


def milestone_event(facts: MilestoneFacts, *, host: str, stamp: datetime) -> Event:
    """A milestone as an all-day event on its due date."""
    from icalendar import Event

    event = Event()
    event.add("uid", milestone_uid(facts.milestone_id, host))
    event.add("dtstamp", stamp)
    event.add("dtstart", facts.due)
    event.add("dtend", facts.due + timedelta(days=1))
    event.add("summary", f"Milestone due: {facts.title} ({facts.where})")
    description = f"Status: {facts.status}"
    if facts.url:
        description += f"\nDetails: {facts.url}"
        event.add("url", facts.url)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a due date, not time taken
    return event


def _calendar(method: str, events: Iterable[Event], name: str | None = None) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for every TZID the events use
    return calendar


def message_calendar(method: str, event: Event) -> bytes:
    """The .ics an e-mail carries: METHOD:REQUEST (invitation, update) or METHOD:CANCEL."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return _calendar(method, [event]).to_ical()


def feed_calendar(events: Iterable[Event], name: str) -> bytes:
    """A subscribed feed: METHOD:PUBLISH, any number of events."""
    return _calendar(PUBLISH, events, name).to_ical()
