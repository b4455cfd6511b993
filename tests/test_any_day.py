"""The app is right on any day: everything it dates (decisions, rescinds, audit, registers,
imports, snapshots) takes the one pinned clock, in the programme's time zone.

Each test runs on three days: a Monday in winter (GMT), a summer day (BST), and a leap day.
"""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from programme import clock
from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import AuditEvent, GoLiveDecision, ReadinessSnapshot
from programme.scheduler import take_readiness_snapshots
from programme.services import recruitment_import
from programme.services.readiness import evaluation
from programme.services.training import catalogue, registers, schedule
from tests.builders import (
    attend,
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, reread

DAYS = [date(2026, 11, 30), date(2027, 6, 30), date(2028, 2, 29)]
LONDON = ZoneInfo("Europe/London")


def _local_day(moment: datetime) -> date:
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(LONDON).date()


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _ready_locality(day: date):
    """A locality going live in four months that meets its whole default gate on `day`."""
    programme = create_programme()
    locality = create_locality(programme, name="Bridgwater", go_live=day + timedelta(days=120))
    team = create_team(locality)
    create_post(team, "da_victims", status="in_post")
    worker = create_staff(team, start_date=day - timedelta(days=400))
    for course, modules in (("mi", (1, 2, 3, 4)), ("fs_workshops", (1, 2, 3))):
        for module in modules:
            attend(catalogue.get_course(programme, course), module, [worker])
    create_milestone(
        locality,
        gate_critical=True,
        status="done",
        due=day - timedelta(days=20),
        completed_on=day - timedelta(days=10),
    )
    return programme, locality


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_go_live_decision_and_its_rescinding_are_dated_the_pinned_day(
    app, pin_clock, sign_in, day
):
    pin_clock(day)
    programme, locality = _ready_locality(day)
    client = sign_in(create_user("board_member", name="Bea Board"))
    url = f"/programmes/{programme.slug}/localities/{locality.slug}"

    confirmation = page_of(client.get(f"{url}/go-live/confirm"))
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', confirmation)[1]
    form = {"note": "Operational board, this morning", "confirmed": "y", "fingerprint": fingerprint}
    assert client.post(f"{url}/go-live", data=form).status_code == 302
    decision = reread(db_decision())
    assert _local_day(decision.decided_at) == day
    page = page_of(client.get(f"{url}/readiness"))
    state = visible_text(re.search(r'id="locality-state">(.*?)</dd>', page, re.S)[1])
    going_live = _short(day + timedelta(days=120))
    decided = _short(day)
    assert state == f"Approved — goes live on {going_live} by decision of Bea Board on {decided}"

    assert client.post(f"{url}/rescind", data={"reason": "Withdrawn"}).status_code == 302
    assert _local_day(reread(decision).rescinded_at) == day
    events = app_events(locality.id)
    assert [event.action for event in events] == ["go_live", "go_live_rescinded"]
    assert {_local_day(event.at) for event in events} == {day}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_registers_imports_and_snapshots_are_dated_the_pinned_day(app, pin_clock, day):
    pin_clock(day)
    programme, locality = _ready_locality(day)
    session = schedule.create_session(catalogue.get_course(programme, "mi"), 1, day, None)

    registers.save_register(session, {}, None, today=clock.today())
    record, _preview = recruitment_import.RECRUITMENT.upload(
        programme, b"Locality,Team,Role,Status\n", "empty.csv", None, ReadLimits(), today=day
    )
    run = take_readiness_snapshots()

    assert _local_day(reread(session).register_saved_at) == day
    assert _local_day(record.uploaded_at) == day
    assert run.taken_on == day
    snapshot = app_snapshot(locality.id)
    assert (snapshot.taken_on, _local_day(snapshot.at)) == (day, day)
    assert evaluation.evaluate_locality(locality, clock.today()).ready


def test_today_is_the_date_in_the_programmes_time_zone_not_in_utc(app, pin_clock):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    pin_clock(at=datetime(2027, 6, 30, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2027, 7, 1)
    assert clock.now().utcoffset() == timedelta(hours=1)
    # ... and in winter London is on UTC.
    pin_clock(at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 12, 31)


def test_a_pinned_day_keeps_the_time_of_day_running_so_records_keep_their_order(app, pin_clock):
    pin_clock(date(2027, 6, 30))
    first, second = clock.now(), clock.now()
    assert first.date() == second.date() == date(2027, 6, 30)
    assert first <= second


def db_decision() -> GoLiveDecision:
    return db.session.scalars(select(GoLiveDecision)).one()


def app_events(locality_id: int) -> list[AuditEvent]:
    return sorted(audit_events_for("locality", locality_id), key=lambda event: event.at)


def app_snapshot(locality_id: int) -> ReadinessSnapshot:
    return db.session.scalars(
        select(ReadinessSnapshot).where(ReadinessSnapshot.locality_id == locality_id)
    ).one()
