"""Changing a session: what an edit, a reschedule and a cancellation do to its places, its
attendance, its calendar sequence and version, and who is told; and each refusal."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select, text

from programme.domain.audit_changes import action_label, change_lines
from programme.domain.recruitment import Share
from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Attendance, Role, StaffMember, TrainingSession
from programme.services import attendance_import
from programme.services.errors import ServiceError, StaleEdit
from programme.services.exports.session_sheet import session_sheet
from programme.services.exports.training_tables import sessions_table
from programme.services.reminders import digest_facts
from programme.services.training import (
    calendar_invites,
    catalogue,
    costs,
    enrolment,
    registers,
    schedule,
    session_changes,
    staff_members,
)
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import audit_events_for, count_rows, reread

FUTURE = TODAY + timedelta(days=21)
NAMES = ("Orla Finch", "Priya Doyle", "Tomas Reyes")


@pytest.fixture
def told(monkeypatch) -> list[tuple]:
    """Every call to the calendar invitations: (what, session id, names, places then held,
    reason then set)."""
    calls: list[tuple] = []

    def recorder(what):
        def record(session, people):
            calls.append(
                (
                    what,
                    session.id,
                    [person.name for person in people],
                    count_rows(Attendance, Attendance.session_id == session.id),
                    session.cancel_reason,
                    session.sequence,
                )
            )

        return record

    for what in ("invite", "update", "withdraw", "cancel"):
        monkeypatch.setattr(calendar_invites, what, recorder(what))
    return calls


@pytest.fixture
def cumbria(app):
    programme = create_programme("Cumbria Family Safeguarding", "cumbria")
    locality = create_locality(programme, name="Penrith", slug="penrith")
    team = create_team(locality, name="Eden Valley Team")
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    people = [
        staff_members.create_staff(
            team,
            None,
            name=name,
            email=name.lower().replace(" ", ".") + "@eden.example.org",
            role_id=role.id,
        )
        for name in NAMES
    ]
    return programme, people


def _session(programme, on=FUTURE, module=1, people=(), **options) -> TrainingSession:
    session = schedule.create_session(
        catalogue.get_course(programme, "mi"), module, on, None, **options
    )
    if people:
        enrolment.enrol(session, [person.id for person in people], None)
    return session


def _places(session) -> list[tuple[str, str | None]]:
    return sorted((place.staff.name, place.status) for place in reread(session).places)


def _changes(session):
    """The audit trail's changes to the session (not its scheduling or enrolments)."""
    return [
        event
        for event in audit_events_for("training_session", session.id)
        if event.action in ("update", "reschedule", "cancel")
    ]


# ------------------------------------------------------------------ edits and reschedules


def test_a_new_date_moves_everyone_with_the_session_and_tells_them(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people, starts_at=time(9, 30), venue="Kendal Hall")
    version, sequence = session.version, session.sequence
    told.clear()
    actor = create_user("trainer", name="Rhian Moss")
    later = FUTURE + timedelta(days=7)

    change = session_changes.edit_session(
        session, actor, expected_version=version, on=later, starts_at=time(9, 30)
    )

    session = reread(session)
    assert change.changed and change.rescheduled
    assert change.before == {"on": FUTURE} and change.after == {"on": later}
    assert session.on == later
    assert _places(session) == [(name, None) for name in sorted(NAMES)]
    assert session.sequence == sequence + 1
    assert session.version == version + 1
    assert told == [("update", session.id, sorted(NAMES), 3, None, sequence + 1)]
    [event] = _changes(session)
    assert event.action == "reschedule" and event.actor_id == actor.id
    assert event.before == {"on": FUTURE.isoformat()}
    assert event.after == {"on": later.isoformat()}
    assert f"date from {FUTURE.day} {FUTURE:%b %Y} to {later.day} {later:%b %Y}" in event.summary
    assert "told 3 people" in event.summary


def test_a_new_start_time_alone_is_a_reschedule_too(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people[:1], starts_at=time(9, 30))
    told.clear()

    change = session_changes.edit_session(session, None, starts_at=time(13, 0))

    assert change.rescheduled
    assert change.before == {"starts_at": "09:30"} and change.after == {"starts_at": "13:00"}
    assert reread(session).sequence == 1
    assert [call[:3] for call in told] == [("update", session.id, ["Orla Finch"])]


def test_venue_trainer_capacity_and_cost_are_corrected_without_telling_anyone(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people, venue="Kendal Hall", cost_pence=50_000)
    told.clear()
    trainer = create_user("trainer", name="Rhian Moss")

    change = session_changes.edit_session(
        session,
        None,
        venue="  Ullswater Room  ",
        trainer=trainer,
        capacity=12,
        cost_pence=62_550,
        on=FUTURE,  # unchanged: not a reschedule
    )

    session = reread(session)
    assert change.changed and not change.rescheduled and change.told == []
    assert (session.venue, session.trainer_id, session.capacity, session.cost_pence) == (
        "Ullswater Room",
        trainer.id,
        12,
        62_550,
    )
    assert session.sequence == 0
    assert told == []
    assert len(session.places) == 3
    [event] = _changes(session)
    assert event.action == "update"
    assert event.before == {
        "venue": "Kendal Hall",
        "trainer": None,
        "capacity": 16,
        "cost_pence": 50_000,
    }
    assert event.after == {
        "venue": "Ullswater Room",
        "trainer": "Rhian Moss",
        "capacity": 12,
        "cost_pence": 62_550,
    }
    assert event.summary == (
        f"Changed Motivational Interviewing, module 1 on {FUTURE.day} {FUTURE:%b %Y}: venue from "
        "Kendal Hall to Ullswater Room; trainer from no trainer to Rhian Moss; capacity from 16 "
        "to 12; cost from £500 to £625.50"
    )
    assert [
        str(line)
        for line in change_lines(event.entity_type, event.action, event.before, event.after)
    ] == [
        "Venue: Kendal Hall → Ullswater Room",
        "Trainer: — → Rhian Moss",
        "Places: 16 → 12",
        "Cost: £500 → £625.50",
    ]
    assert action_label("reschedule") == "Session rescheduled"
    assert action_label("cancel") == "Session cancelled"


def test_saving_the_same_values_writes_nothing(app, cumbria, told):
    programme, _people = cumbria
    session = _session(programme, venue="Kendal Hall")
    version = session.version

    change = session_changes.edit_session(
        session, None, expected_version=version, on=FUTURE, venue="Kendal Hall", capacity=16
    )

    assert not change.changed
    assert reread(session).version == version
    assert told == []
    assert _changes(session) == []


def test_a_capacity_below_those_enrolled_is_refused_saying_how_many(app, cumbria):
    programme, people = cumbria
    session = _session(programme, people=people)

    with pytest.raises(ServiceError) as refused:
        session_changes.edit_session(session, None, capacity=2, venue="Moved hall")

    assert refused.value.field == "capacity"
    assert refused.value.message == (
        "3 people are enrolled, so the capacity cannot be less than 3. "
        "Move or un-enrol people first."
    )
    session = reread(session)
    assert (session.capacity, session.venue) == (16, "")  # nothing half-written
    session_changes.edit_session(session, None, capacity=3)
    assert reread(session).capacity == 3


@pytest.mark.parametrize("capacity", [0, 501])
def test_a_capacity_out_of_range_is_refused(app, cumbria, capacity):
    programme, _people = cumbria
    session = _session(programme)
    with pytest.raises(ServiceError, match="from 1 to 500") as refused:
        session_changes.edit_session(session, None, capacity=capacity)
    assert refused.value.field == "capacity"


def test_rescheduling_into_the_past_is_refused_but_today_is_allowed(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people)

    with pytest.raises(ServiceError) as refused:
        session_changes.edit_session(session, None, on=TODAY - timedelta(days=1))

    assert refused.value.field == "on"
    assert "cannot be moved into the past" in refused.value.message
    assert f"{TODAY.day} {TODAY:%b %Y}" in refused.value.message
    assert reread(session).on == FUTURE
    assert [call for call in told if call[0] == "update"] == []  # nobody was sent an update

    session_changes.edit_session(reread(session), None, on=TODAY)
    assert reread(session).on == TODAY


def test_a_held_session_keeps_its_date_but_its_details_can_be_corrected(app, cumbria, told):
    programme, people = cumbria
    held = _session(programme, on=TODAY - timedelta(days=7), people=people)
    registers.save_register(
        held, {people[0].id: "present", people[1].id: "absent"}, None, today=TODAY
    )
    marks = _places(held)

    with pytest.raises(ServiceError) as refused:
        session_changes.edit_session(held, None, on=TODAY + timedelta(days=7))

    assert refused.value.field == "on"
    assert refused.value.message.startswith("Attendance is recorded for 2 people on ")
    assert "venue, trainer, start time and cost can still be corrected" in refused.value.message

    told.clear()
    session_changes.edit_session(reread(held), None, venue="Appleby Library", cost_pence=0)
    held = reread(held)
    assert held.venue == "Appleby Library"
    assert held.on == TODAY - timedelta(days=7)
    assert _places(held) == marks  # nothing of its attendance is lost
    assert told == []


def test_a_deactivated_trainer_cannot_be_given_a_session(app, cumbria):
    programme, _people = cumbria
    session = _session(programme)
    gone = create_user("trainer", name="Gwen Hale", active=False)
    with pytest.raises(ServiceError, match="Gwen Hale is deactivated") as refused:
        session_changes.edit_session(session, None, trainer=gone)
    assert refused.value.field == "trainer"


def test_a_stale_version_is_refused_and_nothing_is_saved(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people)
    opened = session.version
    session_changes.edit_session(session, None, venue="Kendal Hall")  # someone else saves

    with pytest.raises(StaleEdit, match="Someone else changed") as refused:
        session_changes.edit_session(
            reread(session), None, expected_version=opened, on=FUTURE + timedelta(days=1)
        )
    assert "review the current values" in refused.value.message
    with pytest.raises(StaleEdit):
        session_changes.cancel_session(
            reread(session), None, "Trainer unwell", expected_version=opened
        )

    session = reread(session)
    assert (session.on, session.sequence, session.cancelled) == (FUTURE, 0, False)
    assert len(session.places) == 3


def test_a_save_that_loses_a_race_is_refused_not_written(app, cumbria):
    """Another process saves the session between this one reading and writing it: the write's
    version check (StaleDataError) becomes a refusal in words."""
    programme, _people = cumbria
    session = _session(programme)
    db.session.connection().execute(
        text("UPDATE training_session SET version = version + 1 WHERE id = :id"),
        {"id": session.id},
    )

    with pytest.raises(StaleEdit, match="Someone else changed"):
        session_changes.edit_session(session, None, venue="Kendal Hall")

    assert reread(session).venue == ""


def test_reschedule_and_cancel_are_the_same_changes_by_shorter_names(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people)
    told.clear()

    change = session_changes.reschedule(session, None, FUTURE + timedelta(days=1))
    assert change.rescheduled and reread(session).sequence == 1
    assert session_changes.cancel(reread(session), None, "Trainer unwell") == sorted(
        people, key=lambda person: person.name
    )
    assert [call[0] for call in told] == ["update", "cancel"]
    assert reread(session).sequence == 2


# ------------------------------------------------------------------ cancelling


def test_cancelling_tells_everyone_then_releases_their_places(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, people=people, venue="Kendal Hall")
    version = session.version
    told.clear()
    actor = create_user("programme_manager", name="Idris Vane")

    result = session_changes.cancel_session(
        session, actor, "  The trainer is ill;\n we will rebook.  ", expected_version=version
    )

    session = reread(session)
    assert sorted(person.name for person in result) == sorted(NAMES)
    # Told while they still held their places, with the reason and a raised sequence.
    assert told == [
        ("cancel", session.id, sorted(NAMES), 3, "The trainer is ill; we will rebook.", 1)
    ]
    assert session.cancelled and session.cancelled_at is not None
    assert session.cancel_reason == "The trainer is ill; we will rebook."
    assert session.places == []
    assert count_rows(Attendance) == 0
    assert count_rows(StaffMember) == 3  # the people stay; only their places go
    assert session.version > version
    # It stays in the schedule, marked cancelled.
    upcoming = schedule.schedule(programme, TODAY).upcoming
    assert [(row.session.id, row.session.cancelled, row.enrolled) for row in upcoming] == [
        (session.id, True, 0)
    ]
    [event] = _changes(session)
    assert event.action == "cancel" and event.actor_id == actor.id
    assert "The trainer is ill; we will rebook." in event.summary
    assert "Released 3 places (Orla Finch, Priya Doyle, Tomas Reyes)" in event.summary
    assert event.after["cancelled"] is True and event.after["enrolled"] == []
    assert len(event.before["enrolled"]) == 3


def test_a_session_with_nobody_on_it_is_cancelled_telling_nobody(app, cumbria, told):
    programme, _people = cumbria
    session = _session(programme, on=TODAY)  # today, not yet held: still cancellable

    assert session_changes.cancel_session(session, None, "Room double-booked") == []

    assert reread(session).cancelled
    assert told == [("cancel", session.id, [], 0, "Room double-booked", 1)]


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_cancelling_without_a_reason_is_refused(app, cumbria, reason):
    programme, people = cumbria
    session = _session(programme, people=people)
    with pytest.raises(ServiceError, match="Enter the reason") as refused:
        session_changes.cancel_session(session, None, reason)
    assert refused.value.field == "reason"
    assert not reread(session).cancelled and len(reread(session).places) == 3


def test_a_session_with_attendance_recorded_cannot_be_cancelled(app, cumbria, told):
    programme, people = cumbria
    session = _session(programme, on=TODAY, people=people)
    registers.save_register(session, {people[0].id: "present"}, None, today=TODAY)
    told.clear()

    with pytest.raises(ServiceError) as refused:
        session_changes.cancel_session(session, None, "Too few came")

    assert refused.value.message == (
        "Attendance is recorded for 1 person: a session that was held cannot be cancelled."
    )
    assert not reread(session).cancelled
    assert len(reread(session).places) == 3
    assert told == []


def test_a_session_whose_day_has_passed_cannot_be_cancelled(app, cumbria):
    programme, people = cumbria
    past = TODAY - timedelta(days=1)
    session = _session(programme, on=past, people=people)
    with pytest.raises(ServiceError, match="has passed: a session that was held cannot be"):
        session_changes.cancel_session(session, None, "Forgot to take the register")
    assert not reread(session).cancelled


def test_a_cancelled_session_can_be_neither_changed_nor_cancelled_again(app, cumbria, told):
    programme, _people = cumbria
    session = _session(programme)
    session_changes.cancel_session(session, None, "Venue flooded")
    told.clear()

    with pytest.raises(ServiceError, match="a cancelled session cannot be changed"):
        session_changes.edit_session(reread(session), None, venue="Somewhere dry")
    with pytest.raises(ServiceError, match="a cancelled session cannot be changed"):
        session_changes.cancel_session(reread(session), None, "Again")
    assert reread(session).cancel_reason == "Venue flooded"
    assert told == []


# ------------------------------------------------------------------ cancelled sessions elsewhere


def test_a_cancelled_session_leaves_missing_registers_costs_and_trainer_digests(
    app, cumbria, pin_clock
):
    programme, people = cumbria
    trainer = create_user("trainer", name="Rhian Moss")
    soon = TODAY + timedelta(days=2)
    cancelled = _session(programme, on=soon, people=people, trainer=trainer, cost_pence=40_000)
    kept = _session(programme, on=soon, module=2, trainer=trainer, cost_pence=30_000)
    session_changes.cancel_session(cancelled, None, "Trainer unwell")
    later = soon + timedelta(days=5)
    pin_clock(later)

    sessions = schedule.schedule(programme, later)
    assert {row.session.id for row in sessions.past} == {cancelled.id, kept.id}
    assert [row.session.id for row in sessions.missing_registers] == [kept.id]

    mi = catalogue.get_course(programme, "mi")
    [cost] = costs.course_costs(programme, [mi], [Share(0, 3)], later)
    assert cost.total_pence == 30_000  # the cancelled session cost nothing

    facts = digest_facts.load(later, [trainer.id], localities=False, sessions=True, posts=False)
    assert [session.id for session in facts.sessions] == [kept.id]


def test_an_attendance_import_finds_no_cancelled_session(app, cumbria):
    programme, people = cumbria
    session = _session(programme, on=TODAY, people=people)
    session_changes.cancel_session(session, None, "Venue flooded")
    data = csv_bytes(
        [
            ["Course", "Module", "Date", "Email", "Name", "Attended?"],
            ["MI", 1, TODAY.isoformat(), people[0].email, "", "Y"],
        ]
    )

    plan = attendance_import.ATTENDANCE.import_file(
        programme, data, "register.csv", None, today=TODAY, limits=ReadLimits()
    )

    assert [row.action for row in plan.rows] == ["rejected"]
    assert plan.errors[0].message.startswith(
        f"There is no Motivational Interviewing module 1 session on {TODAY.day} {TODAY:%b %Y}"
    )
    assert count_rows(Attendance) == 0


def test_downloads_and_the_workbook_mark_a_cancelled_session(app, cumbria):
    programme, people = cumbria
    cancelled = _session(programme, people=people, cost_pence=40_000)
    _session(programme, module=2, on=date(2027, 1, 18), cost_pence=30_000)
    session_changes.cancel_session(cancelled, None, "Trainer unwell")

    table = sessions_table(schedule.schedule(programme, TODAY), TODAY)
    headers = [column.header for column in table.columns]
    rows = [dict(zip(headers, row, strict=True)) for row in table.rows]
    assert [(r["Status"], r["Register"], r["Reason cancelled"]) for r in rows] == [
        ("Cancelled", "Cancelled", "Trainer unwell"),
        ("Upcoming", "Opens on the day", None),
    ]

    sheet = session_sheet(programme)
    headers = [column.header for column in sheet.columns]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.rows]
    assert [(r["Status"], r["Enrolled"], r["Cost"], r["Reason cancelled"]) for r in rows] == [
        ("Cancelled", 0, None, "Trainer unwell"),
        (None, 0, 300.0, None),
    ]


def test_only_active_trainers_and_programme_managers_may_run_sessions(app):
    ours = create_programme("Ours", "ours")
    create_user("trainer", name="Ada Trainer")
    create_user("programme_manager", name="Bo PM")
    for role in ("admin", "board_member", "viewer", "hr_lead"):
        create_user(role)
    create_user("trainer", name="Cy Gone", active=False)
    elsewhere = create_programme("Elsewhere", "elsewhere")
    create_user("trainer", name="Di Elsewhere", member_of=[elsewhere])

    candidates = schedule.trainer_candidates(ours.id)
    assert [(user.name, role) for user, role in candidates] == [
        ("Ada Trainer", "trainer"),
        ("Bo PM", "programme_manager"),
    ]
