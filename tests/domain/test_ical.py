"""The .ics the tracker writes, read back with the icalendar parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from programme.domain import ical

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def facts(**overrides) -> ical.SessionFacts:
    fields = {
        "session_id": 41,
        "sequence": 2,
        "course": "Motivational Interviewing",
        "module_number": 3,
        "module_title": "Evoking change talk",
        "on": date(2027, 1, 12),
        "starts_at": time(9, 30),
        "venue": "Kendal Town Hall, Room 4",
        "trainer": "Priya Okafor",
        "url": "https://tracker.example.org/programmes/cumbria/training/sessions/41",
    }
    fields.update(overrides)
    return ical.SessionFacts(**fields)


def invitation(method: str = ical.REQUEST, **overrides) -> Calendar:
    event = ical.session_event(
        facts(**overrides),
        host="tracker.example.org",
        zone=LONDON,
        stamp=STAMP,
        organizer=ical.Person("training@example.org", "Training team"),
        attendee=ical.Person("dara.nolan@example.org", "Dara Nolan"),
        cancelled=method == ical.CANCEL,
    )
    return Calendar.from_ical(ical.message_calendar(method, event))


def test_an_invitation_is_a_request_with_a_stable_uid_sequence_and_zoned_times():
    calendar = invitation()

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "training-session-41@tracker.example.org"
    assert event["SEQUENCE"] == 2
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == datetime(2027, 1, 12, 9, 30, tzinfo=LONDON)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == ical.SESSION_LENGTH
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["SUMMARY"]) == "Motivational Interviewing — module 3: Evoking change talk"
    assert str(event["LOCATION"]) == "Kendal Town Hall, Room 4"
    assert "Priya Okafor" in str(event["DESCRIPTION"])
    assert "sessions/41" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:training@example.org"
    assert str(event["ATTENDEE"]) == "mailto:dara.nolan@example.org"
    assert event["ATTENDEE"].params["CN"] == "Dara Nolan"


def test_the_calendar_describes_its_time_zone():
    [zone] = invitation().walk("VTIMEZONE")

    assert str(zone["TZID"]) == "Europe/London"
    assert zone.walk("DAYLIGHT") and zone.walk("STANDARD")


def test_a_summer_session_is_an_hour_ahead_of_utc():
    [event] = invitation(on=date(2027, 7, 6)).walk("VEVENT")

    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)


def test_a_session_with_no_start_time_is_an_all_day_event():
    calendar = invitation(starts_at=None)

    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == date(2027, 1, 12)
    assert event.decoded("DTEND") == date(2027, 1, 13)
    assert "TZID" not in event["DTSTART"].params
    assert calendar.walk("VTIMEZONE") == []


def test_a_cancellation_is_a_cancel_of_the_same_uid():
    calendar = invitation(ical.CANCEL, sequence=3)

    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "training-session-41@tracker.example.org"
    assert event["SEQUENCE"] == 3
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_cancelled_session_carries_its_reason():
    event = ical.session_event(
        facts(cancelled=True, cancel_reason="Trainer unwell"),
        host="h.example",
        zone=LONDON,
        stamp=STAMP,
    )

    assert str(event["STATUS"]) == "CANCELLED"
    assert "Trainer unwell" in str(event["DESCRIPTION"])


def test_only_request_and_cancel_are_sent_by_e_mail():
    event = ical.session_event(facts(), host="h.example", zone=LONDON, stamp=STAMP)

    with pytest.raises(ValueError, match="method"):
        ical.message_calendar("PUBLISH", event)


def test_a_feed_publishes_sessions_and_all_day_milestones():
    host = "tracker.example.org"
    events = [
        ical.session_event(facts(), host=host, zone=LONDON, stamp=STAMP),
        ical.milestone_event(
            ical.MilestoneFacts(7, "Case recording live", date(2027, 2, 1), "Barrow", "Done"),
            host=host,
            stamp=STAMP,
        ),
    ]

    calendar = Calendar.from_ical(ical.feed_calendar(events, "Training: Priya Okafor"))

    assert calendar["METHOD"] == "PUBLISH"
    session, milestone = calendar.walk("VEVENT")
    assert "ATTENDEE" not in session and "ORGANIZER" not in session
    assert str(milestone["UID"]) == "milestone-7@tracker.example.org"
    assert milestone.decoded("DTSTART") == date(2027, 2, 1)
    assert milestone.decoded("DTEND") == date(2027, 2, 2)
    assert "Case recording live" in str(milestone["SUMMARY"])
    assert len(calendar.walk("VTIMEZONE")) == 1
