"""Training services: courses, staff, sessions, enrolment, registers, and who is trained."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.domain.recruitment import Share
from programme.domain.training import Completion
from programme.extensions import db
from programme.models import (
    Attendance,
    AuditEvent,
    Course,
    Programme,
    StaffMember,
    TrainingSession,
)
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.training import (
    catalogue,
    completion,
    enrolment,
    registers,
    schedule,
    staff_members,
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
from tests.queries import audit_events_for, count_rows, reread

LAST_MONTH = TODAY - timedelta(days=30)


def mi(programme=None):
    return catalogue.get_course(programme or create_programme(slug="somerset"), "mi")


def course_programme(course):
    return db.session.get(Programme, course.programme_id)


def a_team(programme=None, **overrides):
    programme = programme or create_programme(slug="somerset")
    return create_team(create_locality(programme), **overrides)


def complete(course, people, on: date = LAST_MONTH):
    for module in course.modules:
        if module.required:
            attend(course, module.number, people, on=on)


# ------------------------------------------------------------------ courses


def test_a_new_programme_has_both_courses_for_every_role_but_the_co_ordinator_and_psychologist(app):
    programme = create_programme(slug="somerset")

    courses = catalogue.list_courses(programme)

    assert [(c.key, c.criterion) for c in courses] == [
        ("mi", "trained_mi_and_fs"),
        ("fs_workshops", "trained_mi_and_fs"),
    ]
    for course in courses:
        roles = {role.key for role in course.roles}
        assert "team_coordinator" not in roles
        assert "psychologist" not in roles  # supervises the teams rather than working with families
        assert {"social_worker", "team_manager", "da_victims", "adult_mental_health"} <= roles
        assert course.capacity == 16
    assert [m.number for m in courses[0].modules] == [1, 2, 3, 4]
    assert courses[0].cost_per_cohort_pence == 600_000


def test_each_programme_has_its_own_courses(app):
    create_programme("One", "one")
    create_programme("Two", "two")

    assert count_rows(Course) == 4


def test_an_unknown_course_is_not_found_and_the_message_names_the_known_ones(app):
    programme = create_programme()

    with pytest.raises(NotFound, match=r"no course 'yoga' \(known: mi, fs_workshops\)"):
        catalogue.get_course(programme, "yoga")


def test_the_completion_rule_of_a_course_is_its_required_modules_and_counted_statuses(app):
    rule = catalogue.course_rule(catalogue.get_course(create_programme(), "fs_workshops"))

    assert rule.required_modules == {1, 2, 3}
    assert rule.counted == {"present", "late"}


# ------------------------------------------------------------------ staff


def test_staff_are_created_with_a_lower_case_e_mail_and_audited(app):
    team = a_team()
    role = catalogue.get_course(team.locality.programme, "mi").roles[0]

    staff = staff_members.create_staff(
        team, None, name=" Ann Lee ", email="Ann.Lee@Example.org ", role_id=role.id
    )

    assert (staff.name, staff.email, staff.programme_id) == (
        "Ann Lee",
        "ann.lee@example.org",
        team.locality.programme_id,
    )
    assert [e.action for e in audit_events_for("staff", staff.id)] == ["create"]
    assert staff_members.find_staff(team.locality.programme, "ANN.LEE@example.org") == staff


def test_an_e_mail_already_in_the_programme_is_a_conflict(app):
    team = a_team()
    existing = create_staff(team, email="ann@example.org")

    with pytest.raises(Conflict):
        staff_members.create_staff(
            team, None, name="Ann Again", email="ANN@example.org", role_id=existing.role_id
        )

    assert count_rows(StaffMember) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"email": "not an address"}, "email"),
        ({"start_date": date(2026, 1, 5), "leaving_date": date(2025, 1, 5)}, "leaving_date"),
    ],
)
def test_invalid_staff_are_refused_naming_the_field(app, changes, field):
    team = a_team()
    role_id = catalogue.get_course(team.locality.programme, "mi").roles[0].id
    fields = {"name": "Ann Lee", "email": "ann@example.org", "role_id": role_id, **changes}

    with pytest.raises(ServiceError) as refused:
        staff_members.create_staff(team, None, **fields)

    assert refused.value.field == field
    assert count_rows(StaffMember) == 0


# ------------------------------------------------------------------ sessions


def test_a_session_takes_the_course_s_capacity_and_its_share_of_the_cohort_cost(app):
    course = mi()
    trainer = create_user("trainer")

    session = schedule.create_session(
        course, 2, TODAY, None, trainer=trainer, venue="  County Hall  "
    )

    assert (session.capacity, session.cost_pence) == (16, 600_000 // 4)
    assert (session.module.number, session.venue, session.trainer) == (2, "County Hall", trainer)
    [event] = audit_events_for("training_session", session.id)
    assert event.after["module"] == 2


def test_a_session_s_capacity_and_cost_can_be_set(app):
    session = schedule.create_session(mi(), 1, TODAY, None, capacity=20, cost_pence=99)

    assert (session.capacity, session.cost_pence) == (20, 99)


def test_a_module_the_course_does_not_have_is_refused_and_listed(app):
    with pytest.raises(ServiceError, match="has modules 1, 2, 3, 4; there is no module 5") as no:
        schedule.create_session(mi(), 5, TODAY, None)

    assert no.value.field == "module"
    assert count_rows(TrainingSession) == 0


@pytest.mark.parametrize("capacity", [0, -1, 501])
def test_a_capacity_out_of_range_is_refused(app, capacity):
    with pytest.raises(ServiceError) as refused:
        schedule.create_session(mi(), 1, TODAY, None, capacity=capacity)

    assert refused.value.field == "capacity"
    assert count_rows(TrainingSession) == 0


def test_a_deactivated_trainer_is_refused(app):
    gone = create_user("trainer", active=False)

    with pytest.raises(ServiceError, match="deactivated") as refused:
        schedule.create_session(mi(), 1, TODAY, None, trainer=gone)

    assert refused.value.field == "trainer"
    assert count_rows(TrainingSession) == 0


def test_the_schedule_splits_upcoming_from_past_and_flags_past_sessions_without_a_register(app):
    course = mi()
    team = a_team(course_programme(course))
    person = create_staff(team)
    unrecorded = create_session(course, 1, TODAY - timedelta(days=14))
    enrolment.enrol(unrecorded, [person.id], None)
    recorded = attend(course, 2, [person], on=TODAY - timedelta(days=7))
    today = create_session(course, 3, TODAY)
    later = create_session(course, 4, TODAY + timedelta(days=7))

    planned = schedule.schedule(course_programme(course), TODAY)

    assert [s.session for s in planned.upcoming] == [today, later]
    assert [s.session for s in planned.past] == [recorded, unrecorded]
    assert [s.session for s in planned.missing_registers] == [unrecorded]
    assert [(s.enrolled, s.recorded) for s in planned.past] == [(1, 1), (1, 0)]


# ------------------------------------------------------------------ enrolment


def test_enrolling_someone_twice_changes_nothing_the_second_time(app):
    course = mi()
    team = a_team(course_programme(course))
    ann, bob = create_staff(team), create_staff(team)
    session = create_session(course, 1, TODAY + timedelta(days=7))

    first = enrolment.enrol(session, [ann.id, bob.id, ann.id], None)
    again = enrolment.enrol(session, [bob.id, ann.id], None)

    assert (first.added, first.already, first.enrolled) == ([ann, bob], [], 2)
    assert (again.added, again.already, again.enrolled) == ([], [bob, ann], 2)
    assert count_rows(Attendance) == 2
    assert [e.action for e in audit_events_for("training_session", session.id)] == ["enrol"]


def test_enrolling_past_capacity_asks_first_and_is_allowed_once_confirmed(app):
    course = mi()
    team = a_team(course_programme(course))
    people = [create_staff(team) for _ in range(3)]
    session = create_session(course, 1, TODAY + timedelta(days=7), capacity=2)

    with pytest.raises(enrolment.OverCapacity) as asked:
        enrolment.enrol(session, [p.id for p in people], None)
    assert asked.value.message == "This puts 3 people on 2 places: 1 over capacity. Enrol anyway?"
    assert count_rows(Attendance) == 0

    result = enrolment.enrol(session, [p.id for p in people], None, confirm_over_capacity=True)

    assert (result.enrolled, result.capacity, result.over_capacity) == (3, 2, True)
    [summary] = schedule.schedule(course_programme(course), TODAY).upcoming
    assert summary.over_capacity


def test_enrolling_someone_from_another_programme_is_refused_and_enrols_nobody(app):
    course = mi()
    ours = create_staff(a_team(course_programme(course)))
    theirs = create_staff(a_team(create_programme("Elsewhere", "elsewhere")))
    session = create_session(course, 1, TODAY)

    with pytest.raises(NotFound):
        enrolment.enrol(session, [ours.id, theirs.id], None)

    assert count_rows(Attendance) == 0


# ------------------------------------------------------------------ the register


def enrolled_session(size: int = 3, on: date = TODAY):
    course = mi()
    team = a_team(course_programme(course))
    people = [create_staff(team, name=f"Person {n}") for n in range(size)]
    session = create_session(course, 1, on)
    enrolment.enrol(session, [p.id for p in people], None)
    return session, people


def statuses(session) -> dict[int, str | None]:
    return {place.staff_id: place.status for place in reread(session).places}


def test_saving_a_register_records_each_status_once_and_a_second_identical_save_writes_nothing(
    app,
):
    session, (ann, bob, cat) = enrolled_session()
    trainer = create_user("trainer")
    marks = {ann.id: "present", bob.id: "late", cat.id: "left_early"}

    changed = registers.save_register(session, dict(marks), trainer, today=TODAY)

    assert changed == 3
    assert statuses(session) == marks
    saved_at = reread(session).register_saved_at
    assert saved_at is not None
    place = db.session.scalar(select(Attendance).where(Attendance.staff_id == ann.id))
    assert (place.recorded_by_id, place.walk_in) == (trainer.id, False)
    events = audit_events_for("training_session", session.id)
    assert events[-1].action == "register"
    assert events[-1].after == {ann.email: "present", bob.email: "late", cat.email: "left_early"}
    audit_before = count_rows(AuditEvent)

    again = registers.save_register(session, dict(marks), trainer, today=TODAY)

    assert again == 0
    assert count_rows(AuditEvent) == audit_before
    assert reread(session).register_saved_at == saved_at
    assert statuses(session) == marks


def test_changing_one_mark_changes_and_audits_only_that_one(app):
    session, (ann, bob, _cat) = enrolled_session()
    registers.save_register(session, {ann.id: "present", bob.id: "present"}, None, today=TODAY)

    changed = registers.save_register(
        session, {ann.id: "present", bob.id: "absent"}, None, today=TODAY
    )

    assert changed == 1
    event = audit_events_for("training_session", session.id)[-1]
    assert (event.before, event.after) == ({bob.email: "present"}, {bob.email: "absent"})


def test_a_register_for_a_session_still_to_come_is_refused(app):
    session, (ann, *_rest) = enrolled_session(on=TODAY + timedelta(days=1))

    with pytest.raises(ServiceError, match="record attendance on or after the day"):
        registers.save_register(session, {ann.id: "present"}, None, today=TODAY)

    assert statuses(session)[ann.id] is None
    assert reread(session).register_saved_at is None


def test_an_unknown_status_is_refused_and_nothing_is_written(app):
    session, (ann, bob, _cat) = enrolled_session()
    audit_before = count_rows(AuditEvent)

    with pytest.raises(ServiceError, match="Unknown attendance asleep"):
        registers.save_register(session, {ann.id: "present", bob.id: "asleep"}, None, today=TODAY)

    assert set(statuses(session).values()) == {None}
    assert count_rows(AuditEvent) == audit_before


def test_a_mark_for_someone_not_enrolled_is_refused_and_nothing_is_written(app):
    session, (ann, *_rest) = enrolled_session()
    stranger = create_staff(reread(ann).team)

    with pytest.raises(ServiceError, match="not enrolled"):
        registers.save_register(
            session, {ann.id: "present", stranger.id: "present"}, None, today=TODAY
        )

    assert set(statuses(session).values()) == {None}


def test_walk_ins_are_added_as_present_and_marked_as_walk_ins(app):
    session, (ann, _bob, _cat) = enrolled_session()
    walk_in = create_staff(reread(ann).team, name="Walk In")

    changed = registers.save_register(
        session, {ann.id: "absent"}, None, today=TODAY, walk_ins=[walk_in.id]
    )

    assert changed == 2
    places = {place.staff_id: place for place in reread(session).places}
    assert (places[walk_in.id].status, places[walk_in.id].walk_in) == ("present", True)
    assert (places[ann.id].status, places[ann.id].walk_in) == ("absent", False)


def test_a_walk_in_marked_otherwise_keeps_that_mark(app):
    session, (ann, *_rest) = enrolled_session()
    walk_in = create_staff(reread(ann).team, name="Walk In")

    registers.save_register(session, {walk_in.id: "late"}, None, today=TODAY, walk_ins=[walk_in.id])

    assert statuses(session)[walk_in.id] == "late"


def test_a_walk_in_already_enrolled_is_not_made_a_walk_in(app):
    session, (ann, *_rest) = enrolled_session()

    registers.save_register(session, {ann.id: "present"}, None, today=TODAY, walk_ins=[ann.id])

    place = db.session.scalar(select(Attendance).where(Attendance.staff_id == ann.id))
    assert (place.status, place.walk_in) == ("present", False)
    assert count_rows(Attendance) == 3


def test_saving_an_empty_register_still_clears_the_no_register_flag(app):
    session, _people = enrolled_session()

    assert registers.save_register(session, {}, None, today=TODAY) == 0

    assert reread(session).register_saved_at is not None


# ------------------------------------------------------------------ completion and shares


def a_small_programme():
    """Somerset with Bridgwater (two teams) and Taunton (one team), and their MI training.

    Bridgwater Team 1: Ann (complete), Bob (three of four days), Col (co-ordinator, not
    relevant), Dee (left last week, complete), Eve (starts next week).
    Bridgwater Team 2: Fay (complete, one day late), Gus (absent from day 4).
    Taunton Team: Hal (complete), Ian (nothing yet).
    """
    programme = create_programme(slug="somerset")
    bridgwater = create_locality(programme, name="Bridgwater", slug="bridgwater", wave=1)
    taunton = create_locality(programme, name="Taunton", slug="taunton", wave=2)
    team1 = create_team(bridgwater, name="Bridgwater Team 1")
    team2 = create_team(bridgwater, name="Bridgwater Team 2")
    taunton_team = create_team(taunton, name="Taunton Team")
    people = {
        "ann": create_staff(team1, name="Ann"),
        "bob": create_staff(team1, name="Bob"),
        "col": create_staff(team1, "team_coordinator", name="Col"),
        "dee": create_staff(team1, name="Dee", leaving_date=TODAY - timedelta(days=7)),
        "eve": create_staff(team1, name="Eve", start_date=TODAY + timedelta(days=7)),
        "fay": create_staff(team2, "da_victims", name="Fay"),
        "gus": create_staff(team2, name="Gus"),
        "hal": create_staff(taunton_team, "adult_mental_health", name="Hal"),
        "ian": create_staff(taunton_team, name="Ian"),
    }
    course = catalogue.get_course(programme, "mi")
    p = people
    attend(course, 1, [p["ann"], p["bob"], p["dee"], p["gus"], p["hal"]])
    attend(course, 1, [p["fay"]], status="late")
    attend(course, 1, [p["col"]])  # came along anyway: the course is not for their role
    for day in (2, 3):
        attend(course, day, [p["ann"], p["bob"], p["dee"], p["fay"], p["gus"], p["hal"]])
    attend(course, 4, [p["ann"], p["dee"], p["fay"], p["hal"]])
    attend(course, 4, [p["gus"]], status="absent")
    return programme, (bridgwater, taunton), (team1, team2, taunton_team), people


def test_the_team_matrix_shows_each_person_s_completion_and_the_share_trained(app):
    _programme, _places, (team1, _team2, _taunton), p = a_small_programme()

    matrix = completion.team_matrix(team1, TODAY)

    assert [c.key for c in matrix.courses] == ["mi", "fs_workshops"]
    rows = {row.staff.name: row for row in matrix.rows}
    assert list(rows) == ["Ann", "Bob", "Col", "Dee", "Eve"]
    assert rows["Ann"].cells == [Completion.COMPLETE, Completion.NOT_STARTED]
    assert rows["Bob"].cells == [Completion.IN_PROGRESS, Completion.NOT_STARTED]
    assert rows["Col"].cells == [None, None]
    assert rows["Dee"].cells[0] == Completion.COMPLETE
    assert rows["Eve"].cells[0] == Completion.NOT_STARTED
    assert [r.relevant for r in rows.values()] == [True, True, True, False, False]
    # Ann of Ann and Bob: Col's role is not counted, Dee has left, Eve has not started yet.
    assert matrix.shares == [Share(1, 2), Share(0, 2)]


def test_the_team_matrix_as_of_an_earlier_day_counts_the_leaver_and_not_later_sessions(app):
    _programme, _places, (team1, _team2, _taunton), _p = a_small_programme()

    before_training = completion.team_matrix(team1, LAST_MONTH - timedelta(days=1))
    while_dee_was_here = completion.team_matrix(team1, TODAY - timedelta(days=8))

    assert before_training.shares[0] == Share(0, 3)
    assert while_dee_was_here.shares[0] == Share(2, 3)


def test_a_new_starter_counts_untrained_once_started(app):
    _programme, _places, (team1, _team2, _taunton), _p = a_small_programme()

    assert completion.team_matrix(team1, TODAY + timedelta(days=7)).shares[0] == Share(1, 3)


def test_locality_training_gives_each_team_s_share_and_the_locality_s(app):
    _programme, (bridgwater, _taunton), _teams, _p = a_small_programme()

    summary = completion.locality_training(bridgwater, TODAY)

    assert [c.key for c in summary.courses] == ["mi", "fs_workshops"]
    assert [(g.name, g.shares[0]) for g in summary.groups] == [
        ("Bridgwater Team 1", Share(1, 2)),
        ("Bridgwater Team 2", Share(1, 2)),
    ]
    assert summary.total == [Share(2, 4), Share(0, 4)]


def test_programme_training_gives_each_locality_s_share_the_total_and_the_cost(app):
    programme, _places, _teams, _p = a_small_programme()

    summary = completion.programme_training(programme, TODAY, TODAY)

    assert [(g.name, g.shares) for g in summary.groups] == [
        ("Bridgwater", [Share(2, 4), Share(0, 4)]),
        ("Taunton", [Share(1, 2), Share(0, 2)]),
    ]
    assert summary.total == [Share(3, 6), Share(0, 6)]
    mi_cost, workshops_cost = summary.costs
    # Three day-1 sessions ran (every builder session costs nothing here).
    assert (mi_cost.cohorts, mi_cost.total_pence, mi_cost.trained) == (3, 0, 3)
    assert (workshops_cost.cohorts, workshops_cost.per_cohort_pence) == (0, None)


def test_the_cost_counts_the_sessions_held_and_what_they_cost(app):
    course = mi()
    team = a_team(course_programme(course))
    people = [create_staff(team) for _ in range(4)]
    for module in (1, 2, 3, 4):
        session = schedule.create_session(course, module, LAST_MONTH, None)
        enrolment.enrol(session, [p.id for p in people], None)
        registers.save_register(
            session, dict.fromkeys((p.id for p in people), "present"), None, today=TODAY
        )
    schedule.create_session(course, 1, TODAY + timedelta(days=7), None)  # not held yet

    cost = completion.programme_training(course_programme(course), TODAY, TODAY).costs[0]

    assert (cost.cohorts, cost.total_pence, cost.trained) == (1, 600_000, 4)
    assert (cost.per_cohort_pence, cost.per_person_pence) == (600_000, 150_000)


# ------------------------------------------------------------------ a fixed number of queries


def trained_team(programme, size: int, name: str):
    """A team of `size` people, half complete in MI, and a quarter started on the workshops."""
    team = create_team(create_locality(programme, name=name, slug=name.lower()), name=name)
    people = [create_staff(team, name=f"{name} {n}") for n in range(size)]
    course = catalogue.get_course(programme, "mi")
    complete(course, people[: size // 2])
    attend(course, 1, people[size // 2 :])
    attend(catalogue.get_course(programme, "fs_workshops"), 1, people[: size // 4 or 1])
    return team


def test_the_team_matrix_runs_as_many_queries_for_30_staff_as_for_3(app, count_queries):
    programme = create_programme(slug="somerset")
    small, large = trained_team(programme, 3, "Small"), trained_team(programme, 30, "Large")

    def queries(team) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            matrix = completion.team_matrix(team, TODAY)
            cells = [(row.staff.name, row.staff.role.name, row.cells) for row in matrix.rows]
        assert cells
        return counter.count

    assert queries(small) == queries(large)
    assert completion.team_matrix(large, TODAY).shares[0] == Share(15, 30)


def test_programme_training_runs_as_many_queries_for_30_staff_as_for_3(app, count_queries):
    small, large = create_programme("Small", "small"), create_programme("Large", "large")
    trained_team(small, 3, "Small")
    trained_team(large, 30, "Large")

    def queries(programme) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            summary = completion.programme_training(programme, TODAY, TODAY)
            assert summary.total[0].denominator > 0
        return counter.count

    assert queries(small) == queries(large)


def test_locality_training_runs_as_many_queries_for_30_staff_as_for_3(app, count_queries):
    programme = create_programme(slug="somerset")
    small, large = trained_team(programme, 3, "Small"), trained_team(programme, 30, "Large")

    def queries(team) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            completion.locality_training(team.locality, TODAY)
        return counter.count

    assert queries(small) == queries(large)
