"""One writer of attendance: the register form and the attendance import record it through
`registers.record_attendance`, so both keep the same rules and leave the same trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance, AuditEvent, TrainingSession
from programme.services.errors import ServiceError
from programme.services.training import catalogue, registers
from programme.services.training.registers import Mark
from tests.builders import create_session, create_staff, create_user
from tests.conftest import TODAY
from tests.files import xlsx_bytes
from tests.queries import reread
from tests.services.test_attendance_import import HEADER, MI_1_ON, Setting, import_


def by_form(s: Setting, session: TrainingSession, marks: dict, actor=None) -> None:
    s.enrol(session, *(person for person in s.people if person.id in marks))
    registers.save_register(session, marks, actor, today=TODAY)


def by_import(s: Setting, session: TrainingSession, marks: dict, actor=None) -> None:
    s.enrol(session, *(person for person in s.people if person.id in marks))
    emails = {person.id: person.email for person in s.people}
    rows = [
        ["MI", session.module.number, session.on, emails[staff_id], None, status]
        for staff_id, status in marks.items()
    ]
    plan = import_(s.programme, xlsx_bytes([HEADER, *rows]), actor=actor)
    if plan.errors:
        raise ServiceError(plan.errors[0].sentence())


WAYS = pytest.mark.parametrize("record", [by_form, by_import], ids=["form", "import"])


def places(session: TrainingSession) -> dict[int, Attendance]:
    db.session.expire_all()
    return {
        place.staff_id: place
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }


def session_events(session: TrainingSession) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "training_session",
                AuditEvent.entity_id == session.id,
                AuditEvent.action.in_(["register", "import"]),
            )
        )
    )


@WAYS
def test_attendance_before_the_session_s_day_is_refused_either_way(app, record):
    s = Setting()

    with pytest.raises(ServiceError, match="on or after the day"):
        record(s, s.mi_3, {s.ann.id: "present"})

    assert places(s.mi_3)[s.ann.id].status is None
    assert reread(s.mi_3).register_saved_at is None
    assert session_events(s.mi_3) == []


@WAYS
def test_each_session_recorded_is_audited_once_either_way(app, record):
    s = Setting()
    trainer = create_user("trainer")

    record(s, s.mi_1, {s.ann.id: "present", s.sam.id: "late"}, trainer)

    [event] = session_events(s.mi_1)
    assert event.actor_id == trainer.id
    assert event.programme_id == s.programme.id
    assert event.before == {s.ann.email: None, s.sam.email: None}
    assert event.after == {s.ann.email: "present", s.sam.email: "late"}


@WAYS
def test_the_register_is_marked_saved_and_each_mark_timed_either_way(app, record):
    s = Setting()
    trainer = create_user("trainer")

    record(s, s.mi_1, {s.ann.id: "present", s.zoe.id: "absent"}, trainer)

    assert reread(s.mi_1).register_saved_at is not None
    marked = places(s.mi_1)
    assert {marked[s.ann.id].status, marked[s.zoe.id].status} == {"present", "absent"}
    assert all(place.recorded_at is not None for place in marked.values())
    assert {place.recorded_by_id for place in marked.values()} == {trainer.id}


def test_the_form_and_the_import_store_the_same_attendance(app):
    by_hand, imported = Setting(), Setting("Dorset Family Safeguarding", "dorset")

    by_form(by_hand, by_hand.mi_1, {by_hand.ann.id: "present", by_hand.sam.id: "left_early"})
    by_import(imported, imported.mi_1, {imported.ann.id: "present", imported.sam.id: "left_early"})

    def stored(s: Setting) -> list[tuple]:
        return sorted(
            (place.staff.name, place.status, place.walk_in) for place in places(s.mi_1).values()
        )

    assert stored(by_hand) == stored(imported)
    [hand_event], [import_event] = session_events(by_hand.mi_1), session_events(imported.mi_1)
    assert (hand_event.action, import_event.action) == ("register", "import")
    assert list(hand_event.after.values()) == list(import_event.after.values())


# ------------------------------------------------------------------ the writer itself


def record(marks, today=TODAY, **options) -> dict[int, int]:
    return registers.record_attendance(
        marks,
        None,
        today=today,
        action="register",
        describe=lambda session, changed: f"{changed} on {session.course}",
        **options,
    )


def test_the_writer_refuses_every_mark_when_one_session_is_still_to_come(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)

    with pytest.raises(ServiceError, match="This session is on 7 Dec 2026"):
        record(
            [
                Mark(s.mi_1.id, s.ann.id, "present", s.ann.email),
                Mark(s.mi_3.id, s.ann.id, "present", s.ann.email),
            ]
        )

    assert places(s.mi_1)[s.ann.id].status is None


def test_the_writer_refuses_an_unknown_status(app):
    s = Setting()

    with pytest.raises(ServiceError, match="Unknown attendance asleep"):
        record([Mark(s.mi_1.id, s.ann.id, "asleep", s.ann.email)])

    assert places(s.mi_1) == {}


def test_the_writer_gives_a_place_to_someone_without_one_as_a_walk_in(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)

    changed = record(
        [
            Mark(s.mi_1.id, s.ann.id, "present", s.ann.email),
            Mark(s.mi_1.id, s.zoe.id, "late", s.zoe.email),
        ]
    )

    assert changed == {s.mi_1.id: 2}
    marked = places(s.mi_1)
    assert (marked[s.ann.id].walk_in, marked[s.zoe.id].walk_in) == (False, True)
    assert marked[s.zoe.id].status == "late"


def test_the_writer_changes_nothing_for_marks_already_recorded(app):
    s = Setting()
    marks = [Mark(s.mi_1.id, s.ann.id, "present", s.ann.email)]
    record(marks)
    saved = reread(s.mi_1).register_saved_at

    assert record(marks) == {s.mi_1.id: 0}

    assert reread(s.mi_1).register_saved_at == saved
    assert len(session_events(s.mi_1)) == 1


def test_an_empty_register_saved_for_the_first_time_is_marked_saved_without_an_audit(app):
    s = Setting()

    assert record([], registers=[s.mi_1.id]) == {s.mi_1.id: 0}

    assert reread(s.mi_1).register_saved_at is not None
    assert session_events(s.mi_1) == []


def test_the_writer_takes_the_same_statements_for_2_marks_as_for_20(app, count_queries):
    s = Setting()
    people = [create_staff(s.team, name=f"Person {n}") for n in range(20)]
    mi = catalogue.get_course(s.programme, "mi")

    def statements(how_many: int) -> int:
        session = create_session(mi, 1, MI_1_ON)
        s.enrol(session, *people[: how_many // 2])  # half enrolled, half walking in
        marks = [Mark(session.id, p.id, "present", p.email) for p in people[:how_many]]
        db.session.expire_all()
        with count_queries() as counter:
            assert record(marks) == {session.id: how_many}
        return counter.count

    assert statements(2) == statements(20)
