"""A user's private calendar feed: made on the account page and shown once, read by a calendar
with no sign-in and no cookie, replaced and revoked (404 afterwards, the same as a wrong token)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import delete, select

from programme import clock
from programme.extensions import db
from programme.models import AuditEvent, CalendarFeed, OutboxMessage
from programme.services import calendar_feeds
from programme.services.training import calendar_invites, catalogue, enrolment, schedule
from tests.builders import (
    create_locality,
    create_milestone,
    create_staff,
    create_team,
    create_user,
)
from tests.pages import page_of

FEED = re.compile(r'id="feed-url"[^>]*value="([^"]+)"')


def _feed_path(response) -> str:
    match = FEED.search(response.get_data(as_text=True))
    assert match, "the feed address is not on the page"
    return "/" + match.group(1).split("/", 3)[3]


@pytest.fixture
def trainer_week(app):
    """A trainer running one session and enrolled (as a staff member with the same e-mail) on
    another, a cancelled session they were to run, and a milestone they own."""
    locality = create_locality(name="Allerdale", slug="allerdale")
    team = create_team(locality, name="Workington Early Help")
    trainer = create_user("trainer", name="Rhiannon Daly", email="rhiannon.daly@allerdale.example")
    course = catalogue.get_course(locality.programme, "mi")
    runs = schedule.create_session(
        course,
        1,
        date(2027, 1, 12),
        None,
        trainer=trainer,
        venue="Maryport Hub",
        starts_at=time(9, 30),
    )
    learns = schedule.create_session(course, 2, date(2027, 2, 2), None, venue="Cockermouth")
    called_off = schedule.create_session(course, 3, date(2027, 2, 9), None, trainer=trainer)
    called_off.cancelled_at, called_off.cancel_reason = clock.utc_now(), "Venue flooded"
    someone_elses = schedule.create_session(course, 4, date(2027, 2, 16), None)
    db.session.commit()
    herself = create_staff(team, name="Rhiannon Daly", email="rhiannon.daly@allerdale.example")
    enrolment.enrol(learns, [herself.id], None)
    milestone = create_milestone(
        locality, title="Practice leads briefed", owner_id=trainer.id, due=date(2027, 3, 1)
    )
    return trainer, runs, learns, called_off, someone_elses, milestone


def test_a_feed_address_is_shown_once_and_lists_the_users_sessions_and_milestones(
    app, sign_in, trainer_week
):
    trainer, runs, learns, called_off, someone_elses, milestone = trainer_week
    client = sign_in(trainer)

    created = client.post("/account/calendar-feed")

    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    path = _feed_path(created)
    assert path.startswith("/calendar/") and path.endswith(".ics")
    account = page_of(client.get("/account"))
    assert path not in account and "Replace the feed address" in account
    [record] = db.session.scalars(select(CalendarFeed))
    assert path.removeprefix("/calendar/").removesuffix(".ics") not in record.token_hash
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.entity_type == "calendar_feed")
        ).action
        == "create"
    )

    anonymous = app.test_client()
    response = anonymous.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    calendar = Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"training-session-{runs.id}@127.0.0.1",
        f"training-session-{learns.id}@127.0.0.1",
        f"training-session-{called_off.id}@127.0.0.1",
        f"milestone-{milestone.id}@127.0.0.1",
    }
    assert str(events[f"training-session-{called_off.id}@127.0.0.1"]["STATUS"]) == "CANCELLED"
    assert str(events[f"training-session-{runs.id}@127.0.0.1"]["STATUS"]) == "CONFIRMED"
    assert events[f"training-session-{runs.id}@127.0.0.1"]["DTSTART"].params["TZID"] == (
        "Europe/London"
    )
    assert events[f"milestone-{milestone.id}@127.0.0.1"].decoded("DTSTART") == date(2027, 3, 1)
    assert calendar.walk("VTIMEZONE")
    db.session.expire_all()
    assert db.session.scalar(select(CalendarFeed)).last_read_at is not None


def test_the_feed_sets_no_cookie_even_for_a_signed_in_browser(app, sign_in, trainer_week):
    client = sign_in(trainer_week[0])
    path = _feed_path(client.post("/account/calendar-feed"))

    response = client.get(path)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_wrong_token_and_a_revoked_one_get_the_same_404(app, sign_in, trainer_week):
    client = sign_in(trainer_week[0])
    path = _feed_path(client.post("/account/calendar-feed"))
    anonymous = app.test_client()
    wrong = anonymous.get("/calendar/not-a-real-token.ics")

    confirm = client.get("/account/calendar-feed/revoke")
    revoked = client.post("/account/calendar-feed/revoke")
    after = anonymous.get(path)

    assert confirm.status_code == 200 and "Revoke the address" in page_of(confirm)
    assert revoked.status_code == 302
    assert "Revoked your calendar feed address" in page_of(client.get("/account"))
    assert db.session.scalars(select(CalendarFeed)).all() == []
    assert wrong.status_code == after.status_code == 404
    assert wrong.data == after.data
    assert "Set-Cookie" not in after.headers


def test_replacing_the_address_stops_the_old_one(app, sign_in, trainer_week):
    client = sign_in(trainer_week[0])
    old = _feed_path(client.post("/account/calendar-feed"))

    replaced = client.post("/account/calendar-feed/replace")

    assert replaced.status_code == 200
    new = _feed_path(replaced)
    assert new != old
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_a_second_create_is_refused_with_a_reason(app, sign_in, trainer_week):
    client = sign_in(trainer_week[0])
    client.post("/account/calendar-feed")

    again = client.post("/account/calendar-feed")

    assert again.status_code == 302
    assert "already have a calendar feed" in page_of(client.get("/account"))
    assert len(db.session.scalars(select(CalendarFeed)).all()) == 1


def test_a_deactivated_users_feed_answers_404(app, trainer_week):
    trainer = trainer_week[0]
    issued = calendar_feeds.create(trainer)
    trainer.active = False
    db.session.commit()

    response = app.test_client().get("/" + issued.url.split("/", 3)[3])

    assert response.status_code == 404


def test_replace_and_revoke_with_no_feed_go_back_to_the_account_page(app, sign_in):
    client = sign_in(create_user("viewer"))

    for path in ("/account/calendar-feed/replace", "/account/calendar-feed/revoke"):
        assert client.get(path).status_code == 302
        assert client.post(path).status_code == 302


def test_calendar_mail_a_request_commits_goes_out_once_it_has_answered(own_app, trainer_week):
    """The after-request hook delivers what the request's transactions committed."""
    learns = trainer_week[2]
    people = [place.staff for place in learns.places]

    def enrol_and_tell():
        session = db.session.get(type(learns), learns.id)
        calendar_invites.invite(session, [db.session.get(type(p), p.id) for p in people])
        db.session.commit()
        return "done"

    own_app.add_url_rule("/test-calendar-mail", "test_calendar_mail", enrol_and_tell)
    # The request invites afresh: the fixture's own invitations are gone and forgotten.
    db.session.execute(delete(OutboxMessage))
    db.session.commit()
    calendar_invites.committed_ids()

    response = own_app.test_client().get("/test-calendar-mail", buffered=True)  # closed, as served

    assert response.status_code == 200
    db.session.expire_all()
    [message] = db.session.scalars(select(OutboxMessage))
    assert message.kind == "calendar"
    assert message.status == "stored"  # delivered (MAIL_TRANSPORT is outbox in tests)


def test_sessions_more_than_a_year_back_are_left_out(app, trainer_week):
    trainer, runs = trainer_week[0], trainer_week[1]
    runs.on = clock.today() - timedelta(days=400)
    db.session.commit()

    calendar = Calendar.from_ical(calendar_feeds.calendar_of(trainer))

    assert f"training-session-{runs.id}@127.0.0.1" not in {
        str(e["UID"]) for e in calendar.walk("VEVENT")
    }


def test_the_outbox_page_shows_a_calendar_message_and_its_attachment(app, sign_in, trainer_week):
    learns = trainer_week[2]
    calendar_invites.invite(learns, [place.staff for place in learns.places])
    db.session.commit()
    [message] = db.session.scalars(select(OutboxMessage))
    client = sign_in(create_user("admin"))

    listed = page_of(client.get("/admin/outbox"))
    shown = page_of(client.get(f"/admin/outbox/{message.id}"))

    assert "Calendar invitation" in listed
    assert "1 attachment: invite.ics (text/calendar; method=REQUEST)" in shown
