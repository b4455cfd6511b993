"""Enrolment services: the refusals, the over-capacity question, un-enrolling, moving a place,
and whom the people picker shows (those who still need the module, by default)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance
from programme.services.errors import NotFound, ServiceError
from programme.services.training import calendar_invites, catalogue, enrolment, places, registers
from programme.services.training.enrolment import OverCapacity
from programme.services.training.picker import picker
from tests.builders import (
    attend,
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows

NEXT_WEEK = TODAY + timedelta(days=7)
LATER = TODAY + timedelta(days=21)


@pytest.fixture
def told(monkeypatch):
    """What the calendar was told: (what, session id, names), in order."""
    calls: list[tuple[str, int, list[str]]] = []
    for what in ("invite", "withdraw"):
        monkeypatch.setattr(
            calendar_invites,
            what,
            lambda session, people, what=what: calls.append(
                (what, session.id, [p.name for p in people])
            ),
        )
    return calls


@pytest.fixture
def world(app):
    programme = create_programme("Tidewater Family Safeguarding", "tidewater")
    locality = create_locality(programme, name="Saltmarsh", slug="saltmarsh")
    harbour = create_team(locality, name="Harbourside Team")
    moor = create_team(locality, name="Moorland Team")
    return programme, catalogue.get_course(programme, "mi"), harbour, moor


def _names(session) -> list[str]:
    return sorted(
        place.staff.name
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    )


# ------------------------------------------------------------------ enrol: refusals


def test_enrolling_someone_whose_course_is_not_for_their_role_is_refused_naming_them(world):
    _programme, course, harbour, _moor = world
    ok = create_staff(harbour, name="Priya Okonkwo")
    odd = create_staff(harbour, "team_coordinator", name="Tomasz Reyes")
    session = create_session(course, 1, NEXT_WEEK)

    with pytest.raises(ServiceError) as refused:
        enrolment.enrol(session, [ok.id, odd.id], None)

    assert refused.value.message.startswith(
        f"Tomasz Reyes is a {odd.role.name}; Motivational Interviewing is for "
    )
    assert refused.value.field == "staff"
    assert count_rows(Attendance) == 0  # nobody half-enrolled


def test_enrolling_on_a_cancelled_session_is_refused(world):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour, name="Priya Okonkwo")
    session = create_session(course, 1, NEXT_WEEK)
    session.cancelled_at = datetime(2026, 11, 27, 9, tzinfo=UTC)
    db.session.commit()

    with pytest.raises(ServiceError, match="cancelled on 27 Nov 2026: nobody can be enrolled"):
        enrolment.enrol(session, [person.id], None)

    assert count_rows(Attendance) == 0


def test_enrolling_someone_who_already_attended_the_module_is_refused(world):
    _programme, course, harbour, _moor = world
    done = create_staff(harbour, name="Priya Okonkwo")
    attend(course, 2, [done])
    session = create_session(course, 2, NEXT_WEEK)

    with pytest.raises(ServiceError, match="Priya Okonkwo has already attended module 2"):
        enrolment.enrol(session, [done.id], None)

    assert _names(session) == []


def test_someone_absent_from_the_module_may_be_enrolled_again(world, told):
    _programme, course, harbour, _moor = world
    missed = create_staff(harbour, name="Priya Okonkwo")
    attend(course, 2, [missed], status="absent")
    session = create_session(course, 2, NEXT_WEEK)

    enrolment.enrol(session, [missed.id], None)

    assert _names(session) == ["Priya Okonkwo"]


def test_enrolling_an_unknown_id_is_refused_naming_the_id(world):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour)
    session = create_session(course, 1, NEXT_WEEK)

    with pytest.raises(NotFound, match="no staff member 99999"):
        enrolment.enrol(session, [person.id, 99999], None)

    assert count_rows(Attendance) == 0


def test_enrolling_tells_the_calendar_of_those_added_only_and_audits_their_names(world, told):
    _programme, course, harbour, _moor = world
    ann = create_staff(harbour, name="Priya Okonkwo")
    ben = create_staff(harbour, name="Dafydd Moss")
    session = create_session(course, 1, NEXT_WEEK)
    enrolment.enrol(session, [ann.id], None)

    enrolment.enrol(session, [ann.id, ben.id], None)

    assert told == [
        ("invite", session.id, ["Priya Okonkwo"]),
        ("invite", session.id, ["Dafydd Moss"]),
    ]
    assert audit_events_for("training_session", session.id)[-1].summary.endswith(": Dafydd Moss")


def test_enrolling_without_notifying_tells_nobody(world, told):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour)
    session = create_session(course, 1, NEXT_WEEK)

    enrolment.enrol(session, [person.id], None, notify=False)

    assert told == []
    assert len(_names(session)) == 1


def test_going_past_capacity_asks_first_with_the_numbers_then_enrols_once_confirmed(world, told):
    _programme, course, harbour, _moor = world
    people = [create_staff(harbour) for _ in range(4)]
    session = create_session(course, 1, NEXT_WEEK, capacity=3)
    enrolment.enrol(session, [people[0].id], None)

    with pytest.raises(OverCapacity) as asked:
        enrolment.enrol(session, [p.id for p in people[1:]] + [people[0].id], None)

    assert asked.value.message == "This puts 4 people on 3 places: 1 over capacity. Enrol anyway?"
    assert (asked.value.over, asked.value.capacity) == (1, 3)
    assert len(_names(session)) == 1
    result = enrolment.enrol(session, asked.value.staff_ids, None, confirm_over_capacity=True)
    assert (len(result.added), result.enrolled, result.over_capacity) == (3, 4, True)
    assert (
        "over capacity, confirmed" in audit_events_for("training_session", session.id)[-1].summary
    )


def test_filling_exactly_to_capacity_needs_no_question(world, told):
    _programme, course, harbour, _moor = world
    people = [create_staff(harbour) for _ in range(3)]
    session = create_session(course, 1, NEXT_WEEK, capacity=3)

    result = enrolment.enrol(session, [p.id for p in people], None)

    assert (result.enrolled, result.over_capacity) == (3, False)


def test_a_walk_in_past_capacity_is_recorded_without_a_question(world, told):
    _programme, course, harbour, _moor = world
    booked, walker = create_staff(harbour), create_staff(harbour, name="Dafydd Moss")
    session = create_session(course, 1, TODAY, capacity=1)
    enrolment.enrol(session, [booked.id], None)

    registers.save_register(
        session, {booked.id: "present"}, None, today=TODAY, walk_ins=[walker.id]
    )

    assert "Dafydd Moss" in _names(session)


# ------------------------------------------------------------------ un-enrol


def test_unenrolling_removes_the_place_audits_it_in_words_and_withdraws_the_invitation(world, told):
    _programme, course, harbour, _moor = world
    ann, ben = (
        create_staff(harbour, name="Priya Okonkwo"),
        create_staff(harbour, name="Dafydd Moss"),
    )
    session = create_session(course, 1, NEXT_WEEK)
    enrolment.enrol(session, [ann.id, ben.id], None)
    trainer = create_user("trainer")

    removed = places.unenrol(session, ann.id, trainer)

    assert removed.name == "Priya Okonkwo"
    assert _names(session) == ["Dafydd Moss"]
    event = audit_events_for("training_session", session.id)[-1]
    assert (event.action, event.summary) == (
        "unenrol",
        "Removed Priya Okonkwo from Motivational Interviewing, module 1, 7 Dec 2026",
    )
    assert told[-1] == ("withdraw", session.id, ["Priya Okonkwo"])


def test_unenrolling_someone_whose_attendance_is_recorded_is_refused_saying_why(world, told):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour, name="Priya Okonkwo")
    held = attend(course, 1, [person])

    with pytest.raises(
        ServiceError,
        match="Priya Okonkwo cannot be removed: their attendance is recorded \\(present\\)",
    ):
        places.unenrol(held, person.id, None)

    assert _names(held) == ["Priya Okonkwo"]
    assert [call for call in told if call[0] == "withdraw"] == []


def test_unenrolling_someone_without_a_place_is_not_found(world):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour)
    session = create_session(course, 1, NEXT_WEEK)

    with pytest.raises(NotFound):
        places.unenrol(session, person.id, None)


# ------------------------------------------------------------------ move


def test_moving_a_place_to_another_session_of_the_module_tells_both_calendars(world, told):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour, name="Priya Okonkwo")
    first = create_session(course, 2, NEXT_WEEK)
    second = create_session(course, 2, LATER, venue="Quayside Hall")
    enrolment.enrol(first, [person.id], None)

    assert [t.session for t in places.move_targets(first)] == [second]
    places.move(first, person.id, second, None)

    assert (_names(first), _names(second)) == ([], ["Priya Okonkwo"])
    assert told[-2:] == [
        ("withdraw", first.id, ["Priya Okonkwo"]),
        ("invite", second.id, ["Priya Okonkwo"]),
    ]
    event = audit_events_for("training_session", first.id)[-1]
    assert event.action == "move_place"
    assert event.summary == (
        "Moved Priya Okonkwo from Motivational Interviewing, module 2, 7 Dec 2026 to 21 Dec 2026"
    )


def test_move_targets_leave_out_cancelled_past_and_other_module_sessions(world):
    _programme, course, harbour, _moor = world
    session = create_session(course, 2, NEXT_WEEK)
    upcoming = create_session(course, 2, LATER)
    create_session(course, 2, TODAY - timedelta(days=1))  # past
    create_session(course, 3, LATER)  # another module
    create_session(course, 2, LATER, cancelled_at=datetime(2026, 11, 27, tzinfo=UTC))

    assert [t.session for t in places.move_targets(session)] == [upcoming]


@pytest.mark.parametrize(
    ("target_args", "message"),
    [
        ({"module": 3, "on": LATER}, "can only move to another session of Motivational"),
        ({"module": 2, "on": TODAY - timedelta(days=1)}, "has already happened"),
        (
            {"module": 2, "on": LATER, "cancelled_at": datetime(2026, 11, 27, tzinfo=UTC)},
            "cancelled on 27 Nov 2026: nobody can be moved to it",
        ),
    ],
    ids=["other module", "past", "cancelled"],
)
def test_moving_to_a_session_one_cannot_move_to_is_refused(world, told, target_args, message):
    _programme, course, harbour, _moor = world
    person = create_staff(harbour, name="Priya Okonkwo")
    session = create_session(course, 2, NEXT_WEEK)
    enrolment.enrol(session, [person.id], None)
    module = target_args.pop("module")
    target = create_session(course, module, **target_args)

    with pytest.raises(ServiceError, match=message) as refused:
        places.move(session, person.id, target, None)

    assert refused.value.field == "target"
    assert (_names(session), _names(target)) == (["Priya Okonkwo"], [])


def test_moving_into_a_full_session_asks_first(world, told):
    _programme, course, harbour, _moor = world
    person, other = create_staff(harbour, name="Priya Okonkwo"), create_staff(harbour)
    session = create_session(course, 2, NEXT_WEEK)
    full = create_session(course, 2, LATER, capacity=1)
    enrolment.enrol(session, [person.id], None)
    enrolment.enrol(full, [other.id], None)

    with pytest.raises(OverCapacity, match="This puts 2 people on 1 places: 1 over capacity"):
        places.move(session, person.id, full, None)
    assert _names(session) == ["Priya Okonkwo"]

    places.move(session, person.id, full, None, confirm_over_capacity=True)
    assert len(_names(full)) == 2


# ------------------------------------------------------------------ whom the picker shows


def test_the_picker_shows_by_default_only_those_who_still_need_the_module(world):
    _programme, course, harbour, moor = world
    needs = create_staff(harbour, name="Priya Okonkwo")
    attended = create_staff(harbour, name="Dafydd Moss")
    booked = create_staff(moor, name="Ingrid Salazar")
    leaver = create_staff(moor, name="Kwame Lindqvist", leaving_date=TODAY - timedelta(days=3))
    other_role = create_staff(moor, "team_coordinator", name="Noor Abernethy")
    also = create_staff(moor, name="Ines Whitcombe")
    attend(course, 2, [attended])
    session = create_session(course, 2, NEXT_WEEK)
    enrolment.enrol(create_session(course, 2, LATER), [booked.id], None)

    default = picker(session)
    everyone = picker(session, everyone=True)

    assert [(g.legend, [p.name for p in g.people]) for g in default.groups] == [
        ("Harbourside Team, Saltmarsh", ["Priya Okonkwo"]),
        ("Moorland Team, Saltmarsh", ["Ines Whitcombe"]),
    ]
    assert default.needing == {needs.id, also.id}
    assert default.hidden == 3  # attended, booked elsewhere, role not required; the leaver: gone
    shown = {p.id for p in everyone.shown}
    assert {attended.id, booked.id, other_role.id} <= shown
    assert leaver.id not in shown


def test_the_picker_text_filter_matches_name_team_or_role_and_a_booked_person_stays_shown(world):
    _programme, course, harbour, moor = world
    create_staff(harbour, name="Priya Okonkwo")
    dafydd = create_staff(moor, name="Dafydd Moss")
    create_staff(moor, name="Ines Whitcombe")
    session = create_session(course, 2, NEXT_WEEK)

    assert [p.name for p in picker(session, query="moorland").shown] == [
        "Dafydd Moss",
        "Ines Whitcombe",
    ]
    assert [p.name for p in picker(session, query="  MOSS ").shown] == ["Dafydd Moss"]
    chosen = picker(session, query="okonkwo", person_id=dafydd.id)
    assert [p.name for p in chosen.shown] == ["Priya Okonkwo", "Dafydd Moss"]
    assert chosen.ticked == {dafydd.id}
