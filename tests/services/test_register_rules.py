"""The register's rules: nobody pre-marked, everyone marked before a save, "mark everyone present"
saves nothing, and a held register saved again changes only what changed, audited by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.audit_changes import change_lines
from programme.extensions import db
from programme.models import Attendance
from programme.services.errors import ServiceError
from programme.services.training import catalogue, enrolment, register_versions, registers
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows


@pytest.fixture
def held(app):
    """A session two weeks ago at a village hall, with three people enrolled, nobody marked."""
    programme = create_programme("Kestrel Vale Family Safeguarding", "kestrel-vale")
    team = create_team(create_locality(programme, name="Marshford"), name="Harbour Team")
    people = [
        create_staff(team, name=name, email=f"{name.split()[0].lower()}@kestrel.example")
        for name in ("Priya Okafor", "Tomasz Nowak", "Eilidh Grant")
    ]
    session = create_session(
        catalogue.get_course(programme, "mi"),
        2,
        TODAY - timedelta(days=14),
        venue="Larkfield Community Hall",
    )
    enrolment.enrol(session, [person.id for person in people], None)
    return session, people


def _statuses(session) -> dict[str, str | None]:
    db.session.expire_all()
    return {
        place.staff.name: place.status
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }


def test_saving_a_register_with_people_unmarked_is_refused_naming_them(held):
    session, (priya, tomasz, eilidh) = held
    trail = audit_events_for("training_session", session.id)  # the enrolment

    with pytest.raises(registers.Unmarked) as refused:
        registers.save_register(session, {priya.id: "present"}, None, today=TODAY, everyone=True)

    assert [person.name for person in refused.value.people] == ["Eilidh Grant", "Tomasz Nowak"]
    assert refused.value.message == (
        "Mark the attendance of Eilidh Grant and Tomasz Nowak: nothing was saved."
    )
    assert _statuses(session) == dict.fromkeys(["Priya Okafor", "Tomasz Nowak", "Eilidh Grant"])
    assert audit_events_for("training_session", session.id) == trail
    assert session.register_saved_at is None


def test_a_register_with_everyone_marked_is_saved(held):
    session, people = held
    marks = dict(zip((p.id for p in people), ("present", "absent", "late"), strict=True))

    changed = registers.save_register(session, marks, None, today=TODAY, everyone=True)

    assert changed == 3
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "absent",
        "Eilidh Grant": "late",
    }


def test_mark_everyone_present_fills_the_unmarked_and_saves_nothing(held):
    session, (priya, tomasz, eilidh) = held

    filled = registers.mark_everyone_present(session, {tomasz.id: "absent"})

    assert filled == {priya.id: "present", tomasz.id: "absent", eilidh.id: "present"}
    assert _statuses(session) == dict.fromkeys(["Priya Okafor", "Tomasz Nowak", "Eilidh Grant"])
    assert count_rows(Attendance) == 3


def test_mark_everyone_present_keeps_what_is_recorded(held):
    session, (priya, tomasz, eilidh) = held
    registers.save_register(
        session, {priya.id: "late", tomasz.id: "absent", eilidh.id: "absent"}, None, today=TODAY
    )

    assert registers.mark_everyone_present(session, {}) == {
        priya.id: "late",
        tomasz.id: "absent",
        eilidh.id: "absent",
    }
    assert registers.unmarked(session, {}) == []


def test_a_held_register_saved_again_changes_one_mark_and_the_audit_says_whose(held):
    session, (priya, tomasz, eilidh) = held
    trainer, manager = create_user("trainer"), create_user("programme_manager")
    first = {priya.id: "present", tomasz.id: "present", eilidh.id: "absent"}
    registers.save_register(session, first, trainer, today=TODAY, everyone=True)
    entries = len(audit_events_for("training_session", session.id))

    # Later: the programme manager corrects one mark; the others are saved as they were.
    changed = registers.save_register(
        session, {**first, tomasz.id: "left_early"}, manager, today=TODAY, everyone=True
    )

    assert changed == 1
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "left_early",
        "Eilidh Grant": "absent",
    }
    trail = audit_events_for("training_session", session.id)
    assert len(trail) == entries + 1
    entry = trail[-1]
    assert entry.actor_id == manager.id
    assert entry.before == {"tomasz@kestrel.example": "present"}
    assert entry.after == {"tomasz@kestrel.example": "left_early"}
    assert "changed Tomasz Nowak from present to left early" in entry.summary
    assert [
        line.text
        for line in change_lines(entry.entity_type, entry.action, entry.before, entry.after)
    ] == ["tomasz@kestrel.example: Present → Left early"]


def test_a_held_register_keeps_everyone_when_one_mark_is_changed_without_the_others(held):
    session, (priya, tomasz, eilidh) = held
    registers.save_register(
        session,
        {priya.id: "present", tomasz.id: "late", eilidh.id: "absent"},
        None,
        today=TODAY,
    )

    registers.save_register(session, {eilidh.id: "present"}, None, today=TODAY, everyone=True)

    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "late",
        "Eilidh Grant": "present",
    }


def test_a_cancelled_session_has_no_register_to_save(held):
    session, (priya, _tomasz, _eilidh) = held
    session.cancelled_at = utc_now()
    db.session.commit()

    with pytest.raises(ServiceError, match="cancelled"):
        registers.save_register(session, {priya.id: "present"}, None, today=TODAY)

    assert _statuses(session)["Priya Okafor"] is None


def test_a_register_saved_over_marks_it_did_not_see_is_refused_and_nothing_is_written(held):
    session, (priya, tomasz, eilidh) = held
    opened = register_versions.read_token(register_versions.seen_token(registers.register(session)))
    assert opened == {priya.id: None, tomasz.id: None, eilidh.id: None}
    everyone = {priya.id: "present", tomasz.id: "present", eilidh.id: "present"}
    registers.save_register(session, everyone, None, today=TODAY, seen=opened)
    trail = len(audit_events_for("training_session", session.id))

    with pytest.raises(register_versions.StaleRegister) as refused:
        registers.save_register(
            session, {**everyone, tomasz.id: "absent"}, None, today=TODAY, seen=opened
        )

    assert [change.describe() for change in refused.value.changes] == [
        "Eilidh Grant: not marked when you opened it, present now",
        "Priya Okafor: not marked when you opened it, present now",
        "Tomasz Nowak: not marked when you opened it, present now",
    ]
    assert set(_statuses(session).values()) == {"present"}
    assert len(audit_events_for("training_session", session.id)) == trail


@pytest.mark.parametrize("token", ["garbage", "1=present;x=absent", "99999999999999=late"])
def test_an_unreadable_register_token_counts_as_stale(held, token):
    session, people = held
    marks = {person.id: "present" for person in people}

    with pytest.raises(register_versions.StaleRegister):
        registers.save_register(
            session, marks, None, today=TODAY, seen=register_versions.read_token(token)
        )

    assert set(_statuses(session).values()) == {None}
