"""Module-level progress: each person's modules in the matrix, the sessions with places for a
module, a locality's still-to-book list (seats needed vs available), the matrix export's
"Modules still needed", and corrections to a staff record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from programme.clock import utc_now
from programme.domain.module_progress import ModuleState
from programme.extensions import db
from programme.services.errors import Conflict, ServiceError, StaleEdit
from programme.services.exports.training_tables import matrix_table
from programme.services.training import (
    catalogue,
    completion,
    enrolment,
    staff_records,
    still_to_book,
)
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
from tests.queries import audit_events_for, reread

GO_LIVE = TODAY + timedelta(days=60)
SOON = TODAY + timedelta(days=10)
AFTER_GO_LIVE = GO_LIVE + timedelta(days=7)


def _setting():
    programme = create_programme("Ravensmoor Family Safeguarding", "ravensmoor")
    locality = create_locality(programme, name="Kestrel Vale", slug="kestrel-vale", go_live=GO_LIVE)
    team = create_team(locality, name="Heron Court Team")
    return programme, locality, team, catalogue.get_course(programme, "mi")


def _module(plan, course_key: str, number: int):
    [course] = [c for c in plan.courses if c.course.key == course_key]
    [module] = [m for m in course.modules if m.module.number == number]
    return module


def _names(module_needs) -> list[str]:
    return [p.name for group in module_needs.teams for p in group.people]


def _cancel(session) -> None:
    session.cancelled_at = utc_now()
    db.session.commit()


# ------------------------------------------------------------------ the matrix's module cells


def test_the_matrix_gives_each_person_their_modules_attended_booked_and_needed(app):
    programme, locality, team, mi = _setting()
    orla = create_staff(team, name="Orla Quinn")
    attend(mi, 1, [orla])
    attend(mi, 2, [orla], status="absent")
    session = create_session(mi, 2, SOON)
    enrolment.enrol(session, [orla.id], None)

    [matrix] = completion.locality_training(locality, TODAY).matrices
    [row] = matrix.rows
    spots = row.spots[[c.key for c in matrix.courses].index("mi")]

    assert [(s.number, s.state) for s in spots] == [
        (1, ModuleState.ATTENDED),
        (2, ModuleState.BOOKED),
        (3, ModuleState.NEEDED),
        (4, ModuleState.NEEDED),
    ]
    assert (spots[1].booking.session_id, spots[1].booking.on) == (session.id, SOON)


def test_a_course_not_for_the_role_has_no_module_cell(app):
    _programme, locality, team, _mi = _setting()
    create_staff(team, "team_coordinator", name="Tam Pryce")

    [matrix] = completion.locality_training(locality, TODAY).matrices

    assert matrix.rows[0].spots == [None] * len(matrix.courses)


def test_the_matrix_export_names_the_modules_still_needed(app):
    _programme, locality, team, mi = _setting()
    orla = create_staff(team, name="Orla Quinn")
    create_staff(team, name="Lior Leaf", leaving_date=TODAY - timedelta(days=3))
    for number in (1, 2):
        attend(mi, number, [orla])
    enrolment.enrol(create_session(mi, 3, SOON), [orla.id], None)

    table = matrix_table(completion.locality_training(locality, TODAY))

    assert table.columns[-1].header == "Modules still needed"
    by_name = {row[1]: row[-1] for row in table.rows if not hasattr(row, "values")}
    assert by_name["Orla Quinn"] == (
        "Motivational Interviewing: module 4; FS practice and change workshops: modules 1, 2 and 3"
    )
    assert by_name["Lior Leaf"] == "Not counted"


# ------------------------------------------------------------------ sessions with places


def test_the_sessions_with_places_leave_out_full_cancelled_past_and_other_modules(app):
    programme, _locality, team, mi = _setting()
    people = [create_staff(team, name=f"Ash Tern {n}") for n in range(3)]
    open_one = create_session(mi, 2, SOON, capacity=3, venue="Gull Hall")
    enrolment.enrol(open_one, [people[0].id], None)
    full = create_session(mi, 2, SOON, capacity=2)
    enrolment.enrol(full, [people[1].id, people[2].id], None)
    _cancel(create_session(mi, 2, SOON))
    create_session(mi, 2, TODAY - timedelta(days=1))
    create_session(mi, 3, SOON)
    _course, module = still_to_book.get_module(programme, "mi", 2)

    found = still_to_book.sessions_with_places(module, TODAY)

    assert [(row.session.id, row.places_left) for row in found] == [(open_one.id, 2)]


# ------------------------------------------------------------------ still to book


def test_still_to_book_lists_who_needs_each_module_by_team(app):
    programme, locality, team, mi = _setting()
    other_team = create_team(locality, name="Curlew Row Team")
    done = create_staff(team, name="Ada Finch")
    booked = create_staff(team, name="Bo Wren")
    needs = create_staff(team, name="Cy Rook")
    elsewhere = create_staff(other_team, name="Di Crane")
    create_staff(team, name="Ed Leaver", leaving_date=GO_LIVE - timedelta(days=1))
    create_staff(team, "team_coordinator", name="Fay Admin")
    starter = create_staff(team, name="Gus Starter", start_date=GO_LIVE - timedelta(days=5))
    create_staff(team, name="Hal Late", start_date=GO_LIVE + timedelta(days=5))
    attend(mi, 1, [done])
    enrolment.enrol(create_session(mi, 1, SOON), [booked.id], None)

    plan = still_to_book.still_to_book(locality, TODAY)

    assert (plan.deadline, plan.before_go_live) == (GO_LIVE, True)
    module_1 = _module(plan, "mi", 1)
    # Attended, booked, leaving before go-live, role not required and starting after go-live:
    # none of them need it. A starter in post by go-live does.
    assert [g.team.name for g in module_1.teams] == ["Curlew Row Team", "Heron Court Team"]
    assert [[p.id for p in g.people] for g in module_1.teams] == [
        [elsewhere.id],
        [needs.id, starter.id],
    ]
    # Optional modules are not listed.
    assert [m.module.number for m in plan.courses[1].modules] == [1, 2, 3]


def test_a_booking_after_go_live_still_leaves_the_person_needing_a_place_before_it(app):
    _programme, locality, team, mi = _setting()
    person = create_staff(team, name="Ines Pike")
    enrolment.enrol(create_session(mi, 1, AFTER_GO_LIVE), [person.id], None)

    module_1 = _module(still_to_book.still_to_book(locality, TODAY), "mi", 1)

    assert _names(module_1) == ["Ines Pike"]
    assert module_1.outlook.available == 0


def test_seats_needed_against_seats_available_before_go_live(app):
    _programme, locality, team, mi = _setting()
    people = [create_staff(team, name=f"Jo Marsh {n}") for n in range(5)]
    # 4 places, one taken by someone of another programme-wide team: 3 free.
    elsewhere = create_team(create_locality(locality.programme), name="Far Fen Team")
    stranger = create_staff(elsewhere, name="Kit Far")
    counted = create_session(mi, 2, SOON, capacity=4)
    enrolment.enrol(counted, [stranger.id], None)
    _cancel(create_session(mi, 2, SOON, capacity=10))  # cancelled: no places
    create_session(mi, 2, AFTER_GO_LIVE, capacity=10)  # after go-live: no places before it
    create_session(mi, 2, TODAY - timedelta(days=2), capacity=10)  # past
    over = create_session(mi, 2, SOON, capacity=1)  # over-full: gives nothing, takes nothing
    enrolment.enrol(over, [people[0].id, stranger.id], None, confirm_over_capacity=True)

    module_2 = _module(still_to_book.still_to_book(locality, TODAY), "mi", 2)

    assert (module_2.outlook.needed, module_2.outlook.available) == (4, 3)
    assert (module_2.outlook.shortfall, module_2.outlook.enough) == (1, False)
    assert module_2.sessions == 2
    create_session(mi, 2, GO_LIVE, capacity=1)  # on go-live day itself: counted
    module_2 = _module(still_to_book.still_to_book(locality, TODAY), "mi", 2)
    assert module_2.outlook.enough


def test_a_live_locality_counts_from_today_with_every_upcoming_session(app):
    _programme, locality, team, mi = _setting()
    locality.state = "live"
    db.session.commit()
    create_staff(team, name="Lu Sedge")
    create_staff(team, name="Mo Late", start_date=TODAY + timedelta(days=3))
    create_session(mi, 1, AFTER_GO_LIVE + timedelta(days=100), capacity=2)

    plan = still_to_book.still_to_book(locality, TODAY)

    assert (plan.deadline, plan.before_go_live) == (TODAY, False)
    module_1 = _module(plan, "mi", 1)
    assert _names(module_1) == ["Lu Sedge"]
    assert (module_1.outlook.needed, module_1.outlook.available) == (1, 2)


# ------------------------------------------------------------------ staff records


def _edit(person, actor=None, **changes):
    fields = {
        "expected_version": person.version,
        "name": person.name,
        "email": person.email,
        "team_id": person.team_id,
        "role_id": person.role_id,
        "start_date": person.start_date,
        "leaving_date": person.leaving_date,
    }
    fields.update(changes)
    return staff_records.update_staff_member(person, actor, **fields)


def test_a_staff_record_moves_team_and_gets_a_leaving_date_audited_in_words(app):
    programme, _locality, team, _mi = _setting()
    far = create_team(create_locality(programme, name="Otter Bay"), name="Otter Bay Team")
    person = create_staff(team, name="Nell Ayr", start_date=date(2024, 1, 8))
    hr = create_user("hr_lead")

    change = _edit(
        person, hr, team_id=far.id, leaving_date=date(2027, 1, 29), email=" Nell.AYR@Example.org "
    )

    person = reread(person)
    assert (person.team_id, person.leaving_date, person.email) == (
        far.id,
        date(2027, 1, 29),
        "nell.ayr@example.org",
    )
    assert change.changed == ["e-mail address", "team", "leaving date"]
    [event] = [e for e in audit_events_for("staff", person.id) if e.action == "update"]
    assert event.summary == "Changed Nell Ayr's e-mail address, team and leaving date"
    assert event.before["team"] == "Heron Court Team, Kestrel Vale"
    assert event.after["team"] == "Otter Bay Team, Otter Bay"
    assert (event.before["leaving_date"], event.after["leaving_date"]) == (
        "Not set",
        "29 Jan 2027",
    )
    assert event.actor_id == hr.id


def test_an_e_mail_taken_by_someone_else_in_the_programme_is_refused_naming_them(app):
    _programme, _locality, team, _mi = _setting()
    create_staff(team, name="Oli Tarn", email="oli.tarn@example.org")
    person = create_staff(team, name="Pat Mere")

    with pytest.raises(Conflict, match="already the e-mail address of Oli Tarn") as refused:
        _edit(person, email="OLI.TARN@example.org")

    assert refused.value.field == "email"
    assert reread(person).email != "oli.tarn@example.org"


def test_a_leaving_date_before_the_start_date_is_refused(app):
    _programme, _locality, team, _mi = _setting()
    person = create_staff(team, name="Quin Ash", start_date=date(2026, 6, 1))

    with pytest.raises(ServiceError, match="on or after the start date") as refused:
        _edit(person, leaving_date=date(2026, 5, 31))

    assert refused.value.field == "leaving_date"
    assert reread(person).leaving_date is None


def test_a_team_of_another_programme_is_refused(app):
    _programme, _locality, team, _mi = _setting()
    other = create_team(create_locality(create_programme("Elsewhere", "elsewhere")))
    person = create_staff(team, name="Rae Holm")

    with pytest.raises(ServiceError, match="no team") as refused:
        _edit(person, team_id=other.id)

    assert refused.value.field == "team"
    assert reread(person).team_id == team.id


def test_a_stale_save_is_refused_and_nothing_is_written(app):
    _programme, _locality, team, _mi = _setting()
    person = create_staff(team, name="Sid Brook")
    opened = person.version
    _edit(person, name="Sid Brooke")

    with pytest.raises(StaleEdit, match="changed Sid Brooke's record after you opened it"):
        _edit(reread(person), expected_version=opened, name="Sidney Brook")

    assert reread(person).name == "Sid Brooke"
    assert [e.action for e in audit_events_for("staff", person.id)].count("update") == 1


def test_saving_nothing_new_records_nothing(app):
    _programme, _locality, team, _mi = _setting()
    person = create_staff(team, name="Tess Dale")

    assert _edit(person).changed == []
    assert [e.action for e in audit_events_for("staff", person.id)].count("update") == 0


def test_the_history_gives_each_module_its_state_and_sessions(app):
    _programme, _locality, team, mi = _setting()
    person = create_staff(team, name="Uma Fell")
    held = attend(mi, 1, [person])
    missed = attend(mi, 2, [person], status="absent")
    booked = create_session(mi, 2, SOON, venue="Moss Hall")
    enrolment.enrol(booked, [person.id], None)

    [mi_history, fs_history] = staff_records.history(person)

    assert mi_history.course.key == "mi" and mi_history.for_role
    states = [
        (m.number, m.state, [(p.session.id, p.status) for p in m.places])
        for m in mi_history.modules
    ]
    assert states == [
        (1, ModuleState.ATTENDED, [(held.id, "Present")]),
        (2, ModuleState.BOOKED, [(missed.id, "Absent"), (booked.id, "Enrolled")]),
        (3, ModuleState.NEEDED, []),
        (4, ModuleState.NEEDED, []),
    ]
    assert all(m.state == ModuleState.NEEDED for m in fs_history.modules)
