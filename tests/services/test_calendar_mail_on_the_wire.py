"""Through a real SMTP server: enrolled, then the session moves, then it is cancelled — the
person gets three e-mails, in that order, whose .ics their calendar reads as an invitation
(SEQUENCE 0), an update (SEQUENCE 1) and a cancellation."""

from __future__ import annotations

from datetime import date, time

from icalendar import Calendar

from programme.extensions import db
from programme.services.training import (
    calendar_invites,
    catalogue,
    enrolment,
    schedule,
    session_changes,
)
from tests.builders import create_locality, create_staff, create_team, create_user


def enrol(session, people, actor) -> None:
    """Enrol as the enrol page does, then deliver what the request committed."""
    enrolment.enrol(session, [person.id for person in people], actor)
    db.session.commit()
    calendar_invites.deliver_committed()


def reschedule(session, actor, on: date) -> None:
    session_changes.edit_session(session, actor, on=on)
    calendar_invites.deliver_committed()


def cancel(session, actor, reason: str) -> None:
    session_changes.cancel_session(session, actor, reason)
    calendar_invites.deliver_committed()


def test_enrol_reschedule_cancel_sends_request_update_cancel_in_order(app, smtp_server):
    locality = create_locality(name="Furness", slug="furness")
    team = create_team(locality, name="Ulverston Family Support")
    trainer = create_user("trainer", name="Aled Pritchard", email="aled@furness.example")
    person = create_staff(team, name="Morag Tulloch", email="morag.tulloch@furness.example")
    bystander = create_staff(team, name="Kit Varley", email="kit.varley@furness.example")
    course = catalogue.get_course(locality.programme, "mi")
    session = schedule.create_session(
        course,
        1,
        date(2027, 1, 12),
        None,
        trainer=trainer,
        venue="Dalton Library",
        starts_at=time(10, 0),
    )
    db.session.commit()

    enrol(session, [person], trainer)
    reschedule(session, trainer, date(2027, 1, 26))
    cancel(session, trainer, "Too few places taken up; joining the February cohort instead")

    received = smtp_server.to(person.email)
    assert smtp_server.to(bystander.email) == []
    assert [mail.subject.split(":")[0] for mail in received] == [
        "Invitation",
        "Updated",
        "Cancelled",
    ]
    assert "now on Tue 26 Jan 2027 at 10:00" in received[1].subject
    calendars = [_ics(mail.message) for mail in received]
    assert [c["METHOD"] for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert [e["SEQUENCE"] for e in events][:2] == [0, 1]
    assert events[2]["SEQUENCE"] >= 1
    assert len({str(e["UID"]) for e in events}) == 1
    assert events[1].decoded("DTSTART").date() == date(2027, 1, 26)
    assert events[0]["DTSTART"].params["TZID"] == "Europe/London"
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert "February cohort" in received[2].part("plain")


def _ics(message) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    assert part.get_param("method") == Calendar.from_ical(part.get_content())["METHOD"]
    return Calendar.from_ical(part.get_content())
