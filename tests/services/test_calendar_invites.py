"""Calendar e-mails: one message per person, each carrying the session's .ics, never twice, and
nothing for a session already past."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from programme import clock
from programme.extensions import db
from programme.models import OutboxMessage, TrainingSession
from programme.services.mail import transports
from programme.services.training import calendar_invites, catalogue, enrolment, schedule
from tests.builders import create_locality, create_staff, create_team, create_user
from tests.conftest import TODAY

ON = date(2027, 1, 12)  # a Tuesday, six weeks after the pinned today


@pytest.fixture
def world(app):
    locality = create_locality(name="Eden Valley", slug="eden-valley")
    team = create_team(locality, name="Penrith Children in Need")
    trainer = create_user("trainer", name="Priya Okafor", email="priya.okafor@cumbria.example")
    course = catalogue.get_course(locality.programme, "mi")
    session = schedule.create_session(
        course, 2, ON, None, trainer=trainer, venue="Shap Village Hall", starts_at=time(9, 30)
    )
    db.session.commit()
    people = [
        create_staff(team, name="Dara Nolan", email="dara.nolan@cumbria.example"),
        create_staff(team, name="Ewan Blackett", email="ewan.blackett@cumbria.example"),
    ]
    return session, people


def calendar_mail() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "calendar").order_by(OutboxMessage.id)
        )
    )


def ics(message: OutboxMessage) -> Calendar:
    [attachment] = message.attachments
    return Calendar.from_ical(attachment["content"])


def told(session: TrainingSession, people, change) -> None:
    """As the services do: the change and its calendar messages in one transaction."""
    change(session, people)
    db.session.commit()


def test_each_person_enrolled_gets_an_invitation_carrying_the_ics(world):
    session, people = world
    dara_user = create_user("viewer", email="dara.nolan@cumbria.example")
    enrolment.enrol(session, [p.id for p in people], None)

    told(session, people, calendar_invites.invite)

    messages = calendar_mail()
    assert [m.recipient for m in messages] == [p.email for p in people]
    assert [m.user_id for m in messages] == [dara_user.id, None]
    first = messages[0]
    assert first.subject == (
        "Invitation: Motivational Interviewing — module 2: "
        f"{session.module.title}, Tue 12 Jan 2027 at 09:30"
    )
    for words in ("Tue 12 Jan 2027 at 09:30", "Shap Village Hall", "Priya Okafor"):
        assert words in first.text_body and words in first.html_body
    [attachment] = first.attachments
    assert attachment["filename"] == "invite.ics"
    assert attachment["content_type"] == "text/calendar; method=REQUEST"
    calendar = ics(first)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"training-session-{session.id}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["ATTENDEE"]) == "mailto:dara.nolan@cumbria.example"


def test_telling_people_twice_queues_nothing_more(world):
    session, people = world
    told(session, people, calendar_invites.invite)

    told(session, people, calendar_invites.invite)

    assert len(calendar_mail()) == 2


def test_a_session_already_past_is_not_announced(world):
    session, people = world
    session.on = TODAY - timedelta(days=1)
    db.session.commit()

    told(session, people, calendar_invites.invite)
    told(session, people, calendar_invites.cancel)

    assert calendar_mail() == []


def test_a_session_today_is_still_announced(world):
    session, people = world
    session.on = TODAY
    db.session.commit()

    told(session, people[:1], calendar_invites.invite)

    assert len(calendar_mail()) == 1


def test_an_update_carries_the_raised_sequence_and_the_new_date(world):
    session, people = world
    told(session, people, calendar_invites.invite)
    session.on, session.sequence = date(2027, 1, 19), session.sequence + 1

    told(session, people, calendar_invites.update)

    update = calendar_mail()[-1]
    assert update.subject.startswith("Updated: Motivational Interviewing — module 2")
    assert update.subject.endswith("now on Tue 19 Jan 2027 at 09:30")
    [event] = ics(update).walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").date() == date(2027, 1, 19)


def test_taken_off_and_put_back_they_get_a_cancel_then_a_fresh_invitation(world):
    session, people = world
    dara = people[:1]
    told(session, dara, calendar_invites.invite)

    told(session, dara, calendar_invites.withdraw)
    told(session, dara, calendar_invites.withdraw)  # a retry: nothing more
    told(session, dara, calendar_invites.invite)

    methods = [ics(m)["METHOD"] for m in calendar_mail()]
    assert methods == ["REQUEST", "CANCEL", "REQUEST"]
    assert calendar_mail()[1].subject.startswith("Cancelled: ")
    assert calendar_mail()[1].attachments[0]["content_type"] == "text/calendar; method=CANCEL"


def test_someone_enrolled_before_invitations_existed_is_still_told_of_a_cancellation(world):
    session, people = world  # enrolled silently: no invitation in the outbox

    told(session, people, calendar_invites.cancel)

    assert [ics(m)["METHOD"] for m in calendar_mail()] == ["CANCEL", "CANCEL"]


def test_a_cancellation_gives_the_reason(world):
    session, people = world
    told(session, people, calendar_invites.invite)
    session.cancel_reason = "The trainer is unwell; the module will be rescheduled"
    session.cancelled_at = clock.utc_now()
    db.session.commit()

    told(session, people, calendar_invites.cancel)

    cancel = calendar_mail()[-1]
    assert cancel.subject.startswith("Cancelled: ")
    assert "The trainer is unwell" in cancel.text_body
    assert "The trainer is unwell" in cancel.html_body
    [event] = ics(cancel).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_rolled_back_change_tells_nobody(world):
    session, people = world

    calendar_invites.invite(session, people)
    db.session.rollback()

    assert calendar_mail() == []
    assert calendar_invites.committed_ids() == []


def test_committed_messages_are_handed_over_once(world):
    session, people = world

    told(session, people, calendar_invites.invite)

    assert calendar_invites.committed_ids() == [m.id for m in calendar_mail()]
    assert calendar_invites.committed_ids() == []


def test_silenced_tells_nobody(world):
    session, people = world

    with calendar_invites.silenced():
        enrolment.enrol(session, [p.id for p in people], None)
        told(session, people, calendar_invites.invite)

    assert calendar_mail() == []


def test_the_e_mail_carries_a_text_calendar_part_with_its_method(world):
    session, people = world
    told(session, people[:1], calendar_invites.invite)
    [message] = calendar_mail()

    email = transports.build_email(message, "Training <training@cumbria.example>")

    parts = [part for part in email.walk() if part.get_content_type() == "text/calendar"]
    [part] = parts
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "invite.ics"
    assert Calendar.from_ical(part.get_content())["METHOD"] == "REQUEST"
    assert email.get_body(preferencelist=("plain",)) is not None
    assert email.get_body(preferencelist=("html",)) is not None


def test_the_outbox_transport_keeps_the_attachment(world):
    from programme.services.mail import outbox

    session, people = world
    told(session, people[:1], calendar_invites.invite)

    delivery = outbox.deliver_due()

    [message] = delivery.stored
    db.session.refresh(message)
    assert message.status == "stored"
    assert message.attachments[0]["filename"] == "invite.ics"


def test_the_demo_does_not_flood_the_outbox(app):
    from programme.services import demo

    demo.load_demo(TODAY)

    assert calendar_mail() == []
