"""Readiness services: the go-live gate and its criteria, exceptions and sign-offs, each
locality's readiness from real rows, the board, go-live decisions and daily snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from programme.extensions import db
from programme.models import (
    AuditEvent,
    CheckSignOff,
    GateCriterion,
    GateException,
    GoLiveDecision,
    Post,
    ReadinessSnapshot,
    Role,
)
from programme.models.readiness import DecisionIsFinal
from programme.services import milestones
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.readiness import (
    board,
    decisions,
    evaluation,
    gate_criteria,
    gate_exceptions,
    locality_page,
    sign_offs,
    snapshots,
)
from programme.services.readiness.decisions import GateNotMet
from programme.services.readiness.gate_criteria import NewCriterion
from programme.services.recruitment import posts as post_service
from programme.services.training import catalogue, enrolment
from tests.builders import (
    apply_lancashire,
    attend,
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows, reread

LAST_MONTH = TODAY - timedelta(days=30)
NEXT_MONTH = date(2026, 12, 31)
STANDARD_KEYS = ["adult_specialists_recruited", "trained_mi_and_fs", "gate_milestones_done"]


def trends_of(locality, today=TODAY):
    """The locality's trend charts as its readiness page draws them on `today`."""
    criteria = gate_criteria.criteria(locality.programme)
    return snapshots.trends(
        locality, criteria, evaluation.evaluate_locality(locality, today), today
    )


def somerset(slug: str = "somerset"):
    return create_programme(slug=slug)


def a_team(programme=None, **locality_fields):
    return create_team(create_locality(programme or somerset(), **locality_fields))


def add_posts(team, recruited: int, total: int, role_key: str = "da_victims") -> list[Post]:
    """`total` posts of the role, the first `recruited` of them in post, the others advertised."""
    return [
        create_post(team, role_key, status="in_post" if n < recruited else "advertised")
        for n in range(total)
    ]


def complete(course, people, on: date = LAST_MONTH) -> None:
    for module in course.modules:
        if module.required:
            attend(course, module.number, people, on=on)


def train(programme, people, keys=("mi", "fs_workshops")) -> None:
    for key in keys:
        complete(catalogue.get_course(programme, key), people)


def gate_milestone(locality, done: bool = True, **fields):
    return create_milestone(
        locality,
        gate_critical=True,
        status="done" if done else "not_started",
        completed_on=LAST_MONTH if done else None,
        **fields,
    )


def ready_locality(programme=None, **fields):
    """A locality meeting the three default criteria: its one DA post filled, both its social
    workers trained on both courses, its one gate-critical milestone done."""
    programme = programme or somerset()
    locality = create_locality(programme, **fields)
    team = create_team(locality)
    add_posts(team, recruited=1, total=1)
    train(programme, [create_staff(team), create_staff(team)])
    gate_milestone(locality)
    return locality


def criterion(programme, key: str) -> GateCriterion:
    return next(c for c in gate_criteria.criteria(programme) if c.key == key)


def result(found, key: str):
    return next(r for r in found.results if r.key == key)


def manual_check(programme, signer):
    return gate_criteria.add_criterion(
        programme, NewCriterion("manual_check", "Estates ready", signer_email=signer.email), None
    )


def board_member(**overrides):
    return create_user("board_member", **overrides)


# ------------------------------------------------------------------ the default gate


def test_a_new_programme_gets_the_faithful_gate(app):
    programme = somerset()

    gate = gate_criteria.criteria(programme)

    assert [c.key for c in gate] == STANDARD_KEYS
    assert [c.threshold for c in gate] == [70, 70, 100]
    assert [c.kind for c in gate] == ["adult_specialists_recruited", "trained", "gate_milestones"]
    assert gate[1].courses == ["mi", "fs_workshops"]
    assert gate[1].label == (
        "Relevant staff trained in MI and the FS practice and change workshops"
    )
    # Lancashire's rule stays; the milestones are this tracker's addition, so removable.
    assert [c.standard for c in gate] == [True, True, False]
    assert [c.position for c in gate] == [0, 1, 2]
    assert gate[0].label == "Adult specialist workers recruited"


def test_the_tracker_s_own_milestones_criterion_can_be_removed(app):
    programme = somerset()

    gate_criteria.remove_criterion(criterion(programme, "gate_milestones_done"), None)

    assert [c.key for c in gate_criteria.criteria(programme)] == STANDARD_KEYS[:2]


def test_each_programme_has_its_own_gate(app):
    one, two = somerset("one"), somerset("two")

    gate_criteria.set_threshold(criterion(one, "trained_mi_and_fs"), 80, None)

    assert count_rows(GateCriterion) == 6
    assert criterion(two, "trained_mi_and_fs").threshold == 70


def test_a_locality_with_nothing_recorded_is_not_ready_and_says_why(app):
    locality = create_locality(somerset())

    found = evaluation.evaluate_locality(locality, TODAY)

    assert not found.ready
    assert [r.key for r in found.unmet] == STANDARD_KEYS
    assert result(found, "adult_specialists_recruited").note == (
        "No adult specialist posts are defined for this locality."
    )
    assert "apply a timeline template" in result(found, "gate_milestones_done").note
    assert all(r.actual == 0 for r in found.results)


# ------------------------------------------------------------------ recruited


def test_seven_of_ten_adult_specialist_posts_recruited_meets_the_threshold(app):
    team = a_team()
    add_posts(team, recruited=7, total=10)

    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )

    assert found.met
    assert (found.share.numerator, found.share.denominator, found.actual) == (7, 10, 70)
    assert found.shortfall == ()


def test_six_of_ten_does_not_and_lists_the_four_posts_still_to_fill(app):
    team = a_team()
    add_posts(team, recruited=6, total=10)

    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )

    assert not found.met
    assert (found.share.numerator, found.share.denominator, found.actual) == (6, 10, 60)
    assert [(s.kind, s.detail) for s in found.shortfall] == [("post", "Advertised")] * 4
    assert found.gap == 1
    assert found.rag == "amber"


def test_every_adult_specialist_role_counts_and_psychologists_other_roles_and_frozen_do_not(app):
    team = a_team()
    for role_key in ("da_victims", "da_perpetrators", "substance_misuse", "adult_mental_health"):
        create_post(team, role_key, status="in_post")
    create_post(team, "psychologist", status="vacant")
    create_post(team, "social_worker", status="vacant")
    create_post(team, "team_manager", status="vacant")
    create_post(team, "adult_mental_health", status="vacant", frozen=True)

    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )

    assert (found.share.numerator, found.share.denominator) == (4, 4)
    assert found.met


def test_a_post_appointed_to_start_next_month_counts_only_from_its_start_date(app):
    team = a_team()
    add_posts(team, recruited=6, total=9)
    create_post(team, "da_victims", status="appointed", start_date=NEXT_MONTH)

    today = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )
    eve = evaluation.evaluate_locality(team.locality, NEXT_MONTH - timedelta(days=1))
    on_the_day = evaluation.evaluate_locality(team.locality, NEXT_MONTH)

    assert (today.share.numerator, today.share.denominator, today.met) == (6, 10, False)
    assert "Appointed, starts 31 Dec 2026" in [s.detail for s in today.shortfall]
    assert not result(eve, "adult_specialists_recruited").met
    recruited = result(on_the_day, "adult_specialists_recruited")
    assert (recruited.share.numerator, recruited.met) == (7, True)


def test_a_post_s_dated_history_decides_its_status_on_an_earlier_day(app):
    team = a_team()
    role = db.session.scalar(
        select(Role).where(
            Role.programme_id == team.locality.programme_id, Role.key == "da_victims"
        )
    )
    values = post_service.PostInput(role_id=role.id, status="in_post")
    post_service.create_post(team, values, None, today=TODAY - timedelta(days=10))

    before = evaluation.evaluate_locality(team.locality, TODAY - timedelta(days=20))
    after = evaluation.evaluate_locality(team.locality, TODAY)

    assert result(before, "adult_specialists_recruited").share.numerator == 0
    assert result(after, "adult_specialists_recruited").share.numerator == 1


# ------------------------------------------------------------------ trained


def test_staff_who_completed_a_course_count_toward_its_criterion(app):
    programme = somerset()
    team = a_team(programme)
    people = [create_staff(team, name=f"Person {n}") for n in range(10)]
    create_staff(team, "team_coordinator")  # the courses are not for co-ordinators
    create_staff(team, leaving_date=TODAY - timedelta(days=1))  # left: not counted
    complete(catalogue.get_course(programme, "mi"), people[:7])
    complete(catalogue.get_course(programme, "fs_workshops"), people[:6])

    found = evaluation.evaluate_locality(team.locality, TODAY)

    trained = result(found, "trained_mi_and_fs")
    assert (trained.share.numerator, trained.share.denominator, trained.met) == (6, 10, False)
    assert [(p.name, p.share.numerator, p.share.denominator) for p in trained.parts] == [
        ("Motivational Interviewing", 7, 10),
        ("FS practice and change workshops", 6, 10),
    ]
    assert [s.label.split(",")[0] for s in trained.shortfall] == [
        "Person 6",
        "Person 7",
        "Person 8",
        "Person 9",
    ]
    assert trained.shortfall[0].detail == "FS practice and change workshops: not started"


def test_someone_who_missed_a_required_day_is_in_progress_not_trained(app):
    programme = somerset()
    team = a_team(programme)
    ann = create_staff(team, name="Ann")
    course = catalogue.get_course(programme, "mi")
    for module in (1, 2, 3):
        attend(course, module, [ann])
    attend(course, 4, [ann], status="absent")

    found = result(evaluation.evaluate_locality(team.locality, TODAY), "trained_mi_and_fs")

    assert (found.share.numerator, found.share.denominator) == (0, 1)
    [shortfall] = found.shortfall
    assert (shortfall.kind, shortfall.id, shortfall.detail) == (
        "staff",
        ann.id,
        "Motivational Interviewing: in progress; FS practice and change workshops: not started",
    )


def test_training_completed_after_the_as_of_day_does_not_count_then(app):
    programme = somerset()
    team = a_team(programme)
    train(programme, [create_staff(team)])

    before = evaluation.evaluate_locality(team.locality, LAST_MONTH - timedelta(days=1))

    assert result(before, "trained_mi_and_fs").share.numerator == 0
    assert result(evaluation.evaluate_locality(team.locality, TODAY), "trained_mi_and_fs").met


# ------------------------------------------------------------------ gate-critical milestones


def test_every_gate_critical_milestone_must_be_done(app):
    locality = create_locality(somerset())
    gate_milestone(locality)
    open_one = gate_milestone(locality, done=False, title="Workbook goes live")
    create_milestone(locality, status="not_started")  # not gate-critical: not counted

    found = result(evaluation.evaluate_locality(locality, TODAY), "gate_milestones_done")

    assert (found.share.numerator, found.share.denominator, found.met) == (1, 2, False)
    [shortfall] = found.shortfall
    assert (shortfall.kind, shortfall.id, shortfall.label) == (
        "milestone",
        open_one.id,
        "Workbook goes live",
    )
    assert shortfall.detail == "Not started, due 6 Jan 2027"

    milestones.update_milestone(
        open_one.id, None, today=TODAY, expected_version=None, status="done"
    )

    assert result(evaluation.evaluate_locality(locality, TODAY), "gate_milestones_done").met


def test_a_milestone_completed_after_the_as_of_day_was_not_done_then(app):
    locality = create_locality(somerset())
    gate_milestone(locality)

    earlier = evaluation.evaluate_locality(locality, LAST_MONTH - timedelta(days=1))

    assert not result(earlier, "gate_milestones_done").met


def test_the_lancashire_timeline_brings_gate_critical_milestones_to_count(app):
    locality = create_locality(somerset())
    milestones_before = evaluation.evaluate_locality(locality, TODAY)

    apply_lancashire(locality)

    found = result(evaluation.evaluate_locality(locality, TODAY), "gate_milestones_done")
    assert result(milestones_before, "gate_milestones_done").share.denominator == 0
    assert found.share.denominator >= 1
    assert found.share.numerator == 0


# ------------------------------------------------------------------ thresholds


def test_changing_a_threshold_is_audited_and_changes_the_evaluation(app):
    team = a_team()
    add_posts(team, recruited=6, total=10)
    manager = create_user("programme_manager")
    recruited = criterion(team.locality.programme, "adult_specialists_recruited")

    changed = gate_criteria.set_threshold(recruited, 60, manager)

    assert changed is True
    assert reread(recruited).threshold == 60
    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )
    assert (found.threshold, found.met) == (60, True)
    [event] = audit_events_for("gate_criterion", recruited.id)
    assert (event.action, event.actor_id, event.before, event.after) == (
        "update",
        manager.id,
        {"threshold": 70},
        {"threshold": 60},
    )
    assert event.programme_id == team.locality.programme_id


def test_setting_the_same_threshold_again_writes_nothing(app):
    recruited = criterion(somerset(), "adult_specialists_recruited")

    assert gate_criteria.set_threshold(recruited, 70, None) is False

    assert count_rows(AuditEvent, AuditEvent.entity_type == "gate_criterion") == 0


@pytest.mark.parametrize("threshold", [-1, 101, None])
def test_a_threshold_out_of_range_is_refused_naming_the_field(app, threshold):
    recruited = criterion(somerset(), "adult_specialists_recruited")

    with pytest.raises(ServiceError, match="from 0 to 100") as refused:
        gate_criteria.set_threshold(recruited, threshold, None)

    assert refused.value.field == "threshold"
    assert reread(recruited).threshold == 70
    assert audit_events_for("gate_criterion", recruited.id) == []


def test_a_threshold_changed_since_the_page_was_opened_is_refused(app):
    recruited = criterion(somerset(), "adult_specialists_recruited")
    seen = recruited.version
    gate_criteria.set_threshold(recruited, 75, None)

    with pytest.raises(Conflict, match="Someone else changed"):
        gate_criteria.set_threshold(reread(recruited), 80, None, expected_version=seen)

    assert reread(recruited).threshold == 75


# ------------------------------------------------------------------ added criteria


def test_a_named_milestone_criterion_is_added_audited_and_met_once_that_milestone_is_done(app):
    programme = somerset()
    locality = create_locality(programme)
    manager = create_user("programme_manager")

    added = gate_criteria.add_criterion(
        programme,
        NewCriterion("milestone", " ISA signed ", milestone_title=" Data sharing agreement "),
        manager,
    )

    assert (added.key, added.label, added.kind, added.threshold) == (
        "isa_signed",
        "ISA signed",
        "milestone",
        100,
    )
    assert (added.milestone_title, added.standard, added.position) == (
        "Data sharing agreement",
        False,
        3,
    )
    assert [c.key for c in gate_criteria.criteria(programme)] == [*STANDARD_KEYS, "isa_signed"]
    [event] = audit_events_for("gate_criterion", added.id)
    assert (event.action, event.actor_id, event.after["key"]) == (
        "create",
        manager.id,
        "isa_signed",
    )

    missing = result(evaluation.evaluate_locality(locality, TODAY), "isa_signed")
    assert not missing.met
    assert missing.note == "This locality has no milestone called “Data sharing agreement”."

    agreement = create_milestone(locality, title="data sharing agreement")
    assert not result(evaluation.evaluate_locality(locality, TODAY), "isa_signed").met

    milestones.update_milestone(
        agreement.id, None, today=TODAY, expected_version=None, status="done"
    )
    found = result(evaluation.evaluate_locality(locality, TODAY), "isa_signed")
    assert (found.share.numerator, found.share.denominator, found.met) == (1, 1, True)


def test_a_workstream_criterion_counts_the_share_of_that_workstream_s_milestones_done(app):
    programme = somerset()
    locality = create_locality(programme)
    ict = create_workstream(programme, "ICT")
    other = create_workstream(programme, "Training")
    create_milestone(locality, workstream=ict, status="done", completed_on=LAST_MONTH)
    create_milestone(locality, workstream=ict)
    create_milestone(locality, workstream=other)

    added = gate_criteria.add_criterion(
        programme,
        NewCriterion("workstream_milestones", "ICT ready", threshold=50, workstream_id=ict.id),
        None,
    )

    assert (added.kind, added.threshold, added.workstream_id) == (
        "workstream_milestones",
        50,
        ict.id,
    )
    found = result(evaluation.evaluate_locality(locality, TODAY), "ict_ready")
    assert (found.share.numerator, found.share.denominator, found.met) == (1, 2, True)
    gate_criteria.set_threshold(reread(added), 51, None)
    assert not result(evaluation.evaluate_locality(locality, TODAY), "ict_ready").met


def test_a_workstream_criterion_with_no_milestones_names_the_workstream(app):
    programme = somerset()
    locality = create_locality(programme)
    ict = create_workstream(programme, "ICT")

    gate_criteria.add_criterion(
        programme,
        NewCriterion("workstream_milestones", "ICT", threshold=80, workstream_id=ict.id),
        None,
    )

    found = result(evaluation.evaluate_locality(locality, TODAY), "ict")
    assert not found.met
    assert found.note == "This locality has no milestones in ICT."


def test_a_manual_check_is_met_once_its_named_signer_signs_it_off(app):
    programme = somerset()
    locality = create_locality(programme, name="Bridgwater")
    signer = create_user("board_member", name="Dana Reed", email="dana.reed@example.org")

    added = gate_criteria.add_criterion(
        programme,
        NewCriterion("manual_check", "Estates ready", signer_email=" Dana.Reed@Example.org "),
        None,
    )

    assert (added.kind, added.signer_id, added.threshold) == ("manual_check", signer.id, 100)
    waiting = result(evaluation.evaluate_locality(locality, TODAY), "estates_ready")
    assert (waiting.share.numerator, waiting.share.denominator, waiting.met) == (0, 1, False)
    assert [s.detail for s in waiting.shortfall] == ["Awaiting sign-off by Dana Reed"]

    signed = sign_offs.sign_off(locality, added, signer, TODAY, note=" Keys handed over ")

    assert (signed.signed_by_name, signed.signed_on, signed.note) == (
        "Dana Reed",
        TODAY,
        "Keys handed over",
    )
    found = result(evaluation.evaluate_locality(locality, TODAY), "estates_ready")
    assert found.met
    assert found.note == "Signed off by Dana Reed on 30 Nov 2026."
    assert not result(
        evaluation.evaluate_locality(locality, TODAY - timedelta(days=1)), "estates_ready"
    ).met
    event = audit_events_for("gate_criterion", added.id)[-1]
    assert (event.action, event.locality_id) == ("sign_off", locality.id)


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewCriterion("trained", "More training", threshold=70), "courses"),
        (NewCriterion("trained", "More training", threshold=70, courses=["yoga"]), "courses"),
        (NewCriterion("trained", "More training", courses=["mi"]), "threshold"),
        (NewCriterion("adult_specialists_recruited", "More posts"), "kind"),
        (NewCriterion("astrology", "Stars aligned"), "kind"),
        (NewCriterion("milestone", "  ", milestone_title="ISA"), "label"),
        (NewCriterion("milestone", "ISA signed", milestone_title="  "), "milestone_title"),
        (
            NewCriterion("workstream_milestones", "ICT", workstream_id=None, threshold=50),
            "workstream_id",
        ),
        (NewCriterion("workstream_milestones", "ICT", threshold=None), "threshold"),
        (NewCriterion("workstream_milestones", "ICT", threshold=150), "threshold"),
        (
            NewCriterion("manual_check", "Estates", signer_email="nobody@example.org"),
            "signer_email",
        ),
        (NewCriterion("manual_check", "Estates", signer_email=None), "signer_email"),
    ],
)
def test_an_invalid_new_criterion_is_refused_naming_the_field_and_nothing_is_added(app, new, field):
    programme = somerset()

    with pytest.raises(ServiceError) as refused:
        gate_criteria.add_criterion(programme, new, None)

    assert refused.value.field == field
    assert [c.key for c in gate_criteria.criteria(programme)] == STANDARD_KEYS
    assert count_rows(AuditEvent, AuditEvent.entity_type == "gate_criterion") == 0


def test_a_deactivated_signer_is_refused(app):
    programme = somerset()
    create_user("board_member", email="gone@example.org", active=False)

    with pytest.raises(ServiceError) as refused:
        gate_criteria.add_criterion(
            programme,
            NewCriterion("manual_check", "Estates", signer_email="gone@example.org"),
            None,
        )

    assert refused.value.field == "signer_email"


def test_a_workstream_of_another_programme_is_not_found(app):
    programme = somerset()
    theirs = create_workstream(somerset("elsewhere"), "ICT")

    with pytest.raises(NotFound):
        gate_criteria.add_criterion(
            programme,
            NewCriterion("workstream_milestones", "ICT", threshold=50, workstream_id=theirs.id),
            None,
        )

    assert len(gate_criteria.criteria(programme)) == 3


def test_two_criteria_with_the_same_label_get_distinct_keys(app):
    programme = somerset()
    new = NewCriterion("milestone", "ISA signed", milestone_title="ISA")

    first = gate_criteria.add_criterion(programme, new, None)
    second = gate_criteria.add_criterion(programme, new, None)

    assert (first.key, second.key) == ("isa_signed", "isa_signed_2")
    assert (first.position, second.position) == (3, 4)


def test_a_standard_criterion_cannot_be_removed(app):
    programme = somerset()
    recruited = criterion(programme, "adult_specialists_recruited")

    with pytest.raises(ServiceError, match="standard criteria"):
        gate_criteria.remove_criterion(recruited, None)

    assert [c.key for c in gate_criteria.criteria(programme)] == STANDARD_KEYS
    assert audit_events_for("gate_criterion", recruited.id) == []


def test_an_added_criterion_can_be_removed_and_the_removal_is_audited(app):
    programme = somerset()
    added = gate_criteria.add_criterion(
        programme, NewCriterion("milestone", "ISA signed", milestone_title="ISA"), None
    )
    added_id = added.id

    gate_criteria.remove_criterion(added, create_user("programme_manager"))

    assert [c.key for c in gate_criteria.criteria(programme)] == STANDARD_KEYS
    event = audit_events_for("gate_criterion", added_id)[-1]
    assert (event.action, event.before["key"]) == ("delete", "isa_signed")


def test_removing_a_criterion_removes_its_exceptions_and_sign_offs(app):
    programme = somerset()
    locality = create_locality(programme)
    signer = create_user("board_member")
    check = manual_check(programme, signer)
    sign_offs.sign_off(locality, check, signer, TODAY)
    gate_exceptions.set_exception(locality, check, "Not needed here", None, waived=True)

    gate_criteria.remove_criterion(check, None)

    assert (count_rows(CheckSignOff), count_rows(GateException)) == (0, 0)
    assert [r.key for r in evaluation.evaluate_locality(locality, TODAY).results] == STANDARD_KEYS


# ------------------------------------------------------------------ exceptions


def test_an_exception_holds_one_locality_to_another_threshold_and_is_audited(app):
    programme = somerset()
    team, other_team = a_team(programme), a_team(programme)
    add_posts(team, recruited=6, total=10)
    add_posts(other_team, recruited=6, total=10)
    recruited = criterion(programme, "adult_specialists_recruited")
    manager = create_user("programme_manager")

    exception = gate_exceptions.set_exception(
        team.locality, recruited, " Psychologists shared with Taunton ", manager, threshold=60
    )

    assert (exception.threshold, exception.waived, exception.reason) == (
        60,
        False,
        "Psychologists shared with Taunton",
    )
    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )
    assert (found.threshold, found.met) == (60, True)
    assert found.exception.reason == "Psychologists shared with Taunton"
    assert not result(
        evaluation.evaluate_locality(other_team.locality, TODAY), "adult_specialists_recruited"
    ).met
    [event] = audit_events_for("gate_criterion", recruited.id)
    assert (event.action, event.actor_id, event.locality_id) == (
        "exception",
        manager.id,
        team.locality.id,
    )
    assert event.before is None
    assert event.after == {
        "threshold": 60,
        "waived": False,
        "reason": "Psychologists shared with Taunton",
    }


def test_a_waived_criterion_is_met_whatever_its_share(app):
    programme = somerset()
    locality = create_locality(programme)
    mi = criterion(programme, "trained_mi_and_fs")

    gate_exceptions.set_exception(
        locality, mi, "Trained under the previous model", None, waived=True
    )

    found = result(evaluation.evaluate_locality(locality, TODAY), "trained_mi_and_fs")
    assert found.met
    assert found.note == "Waived: Trained under the previous model"
    assert reread(gate_exceptions.exceptions(locality)[0]).threshold is None


def test_setting_an_exception_again_replaces_it_and_records_what_it_was(app):
    programme = somerset()
    locality = create_locality(programme)
    mi = criterion(programme, "trained_mi_and_fs")
    gate_exceptions.set_exception(locality, mi, "First reason", None, threshold=50)

    gate_exceptions.set_exception(locality, mi, "Second reason", None, waived=True)

    assert count_rows(GateException) == 1
    [exception] = gate_exceptions.exceptions(locality)
    assert (exception.waived, exception.reason) == (True, "Second reason")
    event = audit_events_for("gate_criterion", mi.id)[-1]
    assert event.before == {"threshold": 50, "waived": False, "reason": "First reason"}


@pytest.mark.parametrize(
    ("reason", "options", "field"),
    [
        ("  ", {"threshold": 50}, "reason"),
        (None, {"waived": True}, "reason"),
        ("Shared posts", {}, "threshold"),
        ("Shared posts", {"threshold": 120}, "threshold"),
    ],
)
def test_an_exception_needs_a_reason_and_a_threshold_or_a_waiver(app, reason, options, field):
    programme = somerset()
    locality = create_locality(programme)
    mi = criterion(programme, "trained_mi_and_fs")

    with pytest.raises(ServiceError) as refused:
        gate_exceptions.set_exception(locality, mi, reason, None, **options)

    assert refused.value.field == field
    assert count_rows(GateException) == 0
    assert audit_events_for("gate_criterion", mi.id) == []


def test_clearing_an_exception_returns_the_locality_to_the_programme_s_threshold(app):
    team = a_team()
    add_posts(team, recruited=6, total=10)
    recruited = criterion(team.locality.programme, "adult_specialists_recruited")
    gate_exceptions.set_exception(team.locality, recruited, "Shared posts", None, threshold=60)

    gate_exceptions.clear_exception(team.locality, recruited, None)

    assert count_rows(GateException) == 0
    found = result(
        evaluation.evaluate_locality(team.locality, TODAY), "adult_specialists_recruited"
    )
    assert (found.threshold, found.met, found.exception) == (70, False, None)
    event = audit_events_for("gate_criterion", recruited.id)[-1]
    assert (event.action, event.before) == ("exception_cleared", {"threshold": 60, "waived": False})


def test_clearing_an_exception_that_does_not_exist_is_not_found(app):
    programme = somerset()
    locality = create_locality(programme)

    with pytest.raises(NotFound):
        gate_exceptions.clear_exception(locality, criterion(programme, "trained_mi_and_fs"), None)


# ------------------------------------------------------------------ sign-offs


def test_only_the_named_signer_may_sign_a_check_off(app):
    programme = somerset()
    locality = create_locality(programme)
    signer = create_user("board_member", name="Dana Reed")
    check = manual_check(programme, signer)
    before = count_rows(AuditEvent)

    for someone_else in (create_user("admin"), create_user("board_member")):
        with pytest.raises(ServiceError, match="Only Dana Reed can sign off “Estates ready”"):
            sign_offs.sign_off(locality, check, someone_else, TODAY)

    assert count_rows(CheckSignOff) == 0
    assert count_rows(AuditEvent) == before


def test_a_check_already_signed_off_is_a_conflict(app):
    programme = somerset()
    locality = create_locality(programme)
    signer = create_user("board_member")
    check = manual_check(programme, signer)
    sign_offs.sign_off(locality, check, signer, TODAY)

    with pytest.raises(Conflict, match="already signed off"):
        sign_offs.sign_off(locality, check, signer, TODAY)

    assert count_rows(CheckSignOff) == 1


def test_a_criterion_that_is_not_a_check_cannot_be_signed_off(app):
    programme = somerset()

    with pytest.raises(ServiceError, match="is not a check to sign off"):
        sign_offs.sign_off(
            create_locality(programme),
            criterion(programme, "trained_mi_and_fs"),
            create_user(),
            TODAY,
        )

    assert count_rows(CheckSignOff) == 0


def test_the_signer_may_withdraw_a_sign_off_and_the_check_is_unmet_again(app):
    programme = somerset()
    locality = create_locality(programme)
    signer = create_user("board_member")
    check = manual_check(programme, signer)
    sign_offs.sign_off(locality, check, signer, TODAY)

    with pytest.raises(ServiceError, match="Only"):
        sign_offs.withdraw_sign_off(locality, check, create_user("admin"))
    assert count_rows(CheckSignOff) == 1

    sign_offs.withdraw_sign_off(locality, check, signer)

    assert count_rows(CheckSignOff) == 0
    assert not result(evaluation.evaluate_locality(locality, TODAY), "estates_ready").met
    event = audit_events_for("gate_criterion", check.id)[-1]
    assert (event.action, event.before["by"]) == ("sign_off_withdrawn", signer.name)

    with pytest.raises(NotFound):
        sign_offs.withdraw_sign_off(locality, check, signer)


# ------------------------------------------------------------------ go-live


def test_go_live_is_refused_while_a_criterion_is_unmet_and_nothing_is_written(app):
    programme = somerset()
    team = a_team(programme, name="Bridgwater")
    add_posts(team, recruited=6, total=10)
    train(programme, [create_staff(team)])
    gate_milestone(team.locality)
    board = board_member()
    audit_before = count_rows(AuditEvent)

    with pytest.raises(GateNotMet) as refused:
        decisions.go_live(team.locality, board, "Board minutes 12", TODAY)

    assert isinstance(refused.value, Conflict)
    assert [r.key for r in refused.value.readiness.unmet] == ["adult_specialists_recruited"]
    assert refused.value.message == (
        "Bridgwater cannot go live: Adult specialist workers recruited is 60% (6 of 10), below 70%."
    )
    assert reread(team.locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0
    assert count_rows(AuditEvent) == audit_before


def test_go_live_with_nothing_to_count_names_why_in_the_refusal(app):
    locality = create_locality(somerset(), name="Taunton")

    with pytest.raises(GateNotMet) as refused:
        decisions.go_live(locality, board_member(), "", TODAY)

    assert "Adult specialist workers recruited — No adult specialist posts" in (
        refused.value.message
    )
    assert len(refused.value.readiness.unmet) == 3


def test_go_live_when_every_criterion_is_met_records_the_decision_and_its_evidence(app):
    locality = ready_locality(name="Bridgwater")
    board = board_member(name="Chair Person")

    decision = decisions.go_live(locality, board, "  Board minutes 12  ", TODAY)

    decision = reread(decision)
    assert (decision.locality_id, decision.decided_by_id, decision.decided_by_name) == (
        locality.id,
        board.id,
        "Chair Person",
    )
    assert decision.note == "Board minutes 12"
    assert decision.in_force and decision.rescinded_at is None
    evidence = decision.evidence
    assert (evidence["as_of"], evidence["ready"]) == ("2026-11-30", True)
    assert [c["key"] for c in evidence["criteria"]] == STANDARD_KEYS
    for document in evidence["criteria"]:
        assert document["met"] is True
        assert {"label", "actual", "threshold", "numerator", "denominator", "kind"} <= set(document)
        assert document["shortfall"] == []
    assert evidence["criteria"][0]["numerator"] == 1
    assert reread(locality).state == "live"
    [event] = audit_events_for("locality", locality.id)
    assert (event.action, event.actor_id, event.before, event.after["state"]) == (
        "go_live",
        board.id,
        {"state": "planning"},
        "live",
    )
    assert event.after["decision"] == decision.id


def test_waived_training_criteria_let_a_locality_go_live_and_the_evidence_says_so(app):
    programme = somerset()
    team = a_team(programme)
    add_posts(team, recruited=1, total=1)
    create_staff(team)  # untrained
    gate_milestone(team.locality)
    gate_exceptions.set_exception(
        team.locality,
        criterion(programme, "trained_mi_and_fs"),
        "Trained in 2024",
        None,
        waived=True,
    )

    decision = decisions.go_live(team.locality, create_user("admin"), "", TODAY)

    by_key = {c["key"]: c for c in reread(decision).evidence["criteria"]}
    assert by_key["trained_mi_and_fs"]["exception"] == "Trained in 2024"
    assert by_key["trained_mi_and_fs"]["note"] == "Waived: Trained in 2024"
    assert (
        by_key["trained_mi_and_fs"]["numerator"],
        by_key["trained_mi_and_fs"]["denominator"],
    ) == (0, 1)
    assert reread(team.locality).state == "live"


@pytest.mark.parametrize(
    ("name", "value"), [("evidence", {"ready": False, "criteria": []}), ("note", "Rewritten")]
)
def test_what_a_decision_recorded_cannot_be_changed_afterwards(app, name, value):
    locality = ready_locality()
    decision = decisions.go_live(locality, board_member(), "Minutes", TODAY)
    kept = reread(decision).evidence

    setattr(decision, name, value)
    with pytest.raises(DecisionIsFinal):
        db.session.commit()
    db.session.rollback()

    assert reread(decision).evidence == kept
    assert reread(decision).note == "Minutes"


def test_a_locality_already_live_cannot_go_live_again(app):
    locality = ready_locality(name="Bridgwater")
    board = board_member()
    decisions.go_live(locality, board, "", TODAY)

    with pytest.raises(Conflict, match="Bridgwater is already live"):
        decisions.go_live(locality, board, "", TODAY)

    assert count_rows(GoLiveDecision) == 1


def test_a_live_locality_stays_live_when_its_criteria_later_drop(app):
    locality = ready_locality()
    decision = decisions.go_live(locality, board_member(), "", TODAY)
    post = db.session.scalar(select(Post))
    role = post.role
    post_service.update_post(
        post,
        post_service.PostInput(role_id=role.id, status="vacant"),
        None,
        today=TODAY,
        expected_version=None,
    )

    [row] = board.board(locality.programme, TODAY).rows

    assert not row.readiness.ready
    assert row.live
    assert row.decision.id == decision.id
    assert reread(locality).state == "live"


def test_rescinding_needs_a_reason_and_returns_the_locality_to_planning(app):
    locality = ready_locality(name="Bridgwater")
    board = board_member(name="Chair Person")
    decision = decisions.go_live(locality, board, "", TODAY)

    with pytest.raises(ServiceError) as refused:
        decisions.rescind(locality, board, "   ")
    assert refused.value.field == "reason"
    assert reread(locality).state == "live"

    decisions.rescind(locality, board, " Workbook not live after all ")

    assert reread(locality).state == "planning"
    kept = reread(decision)
    assert kept.rescinded_at is not None
    assert (kept.rescinded_by_name, kept.rescind_reason) == (
        "Chair Person",
        "Workbook not live after all",
    )
    assert not kept.in_force
    assert kept.evidence["ready"] is True
    assert decisions.decisions(locality) == [kept]
    event = audit_events_for("locality", locality.id)[-1]
    assert (event.action, event.after) == (
        "go_live_rescinded",
        {"state": "planning", "reason": "Workbook not live after all"},
    )


def test_after_a_rescinded_decision_a_new_one_may_be_recorded(app):
    locality = ready_locality()
    board = board_member()
    first = decisions.go_live(locality, board, "", TODAY)
    decisions.rescind(locality, board, "Too early")

    second = decisions.go_live(locality, board, "Second time", TODAY)

    assert reread(locality).state == "live"
    assert [d.id for d in decisions.decisions(locality)] == [second.id, first.id]
    assert locality_page.locality_readiness(locality, TODAY, TODAY).decision.id == second.id


def test_rescinding_a_locality_with_no_decision_in_force_is_a_conflict(app):
    locality = create_locality(somerset())

    with pytest.raises(Conflict, match="no go-live decision in force"):
        decisions.rescind(locality, board_member(), "Because")


def test_only_board_members_and_administrators_may_decide(app):
    locality = ready_locality()
    audit_before = count_rows(AuditEvent)

    with pytest.raises(ServiceError, match="only board members record go-live") as refused:
        decisions.go_live(locality, create_user("programme_manager"), "", TODAY)

    assert refused.value.field == "by"
    assert not isinstance(refused.value, GateNotMet)
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0
    assert count_rows(AuditEvent) == audit_before
    with pytest.raises(NotFound):
        decisions.go_live(locality, board_member(active=False), "", TODAY)

    decisions.go_live(locality, create_user("admin"), "", TODAY)

    assert reread(locality).state == "live"


def test_a_programme_manager_cannot_rescind_either(app):
    locality = ready_locality()
    decisions.go_live(locality, board_member(), "", TODAY)

    with pytest.raises(ServiceError, match="only board members"):
        decisions.rescind(locality, create_user("programme_manager"), "Because")

    assert reread(locality).state == "live"


# ------------------------------------------------------------------ snapshots and trends


def test_snapshots_store_each_locality_s_readiness_once_a_day(app):
    programme = somerset()
    ready = ready_locality(programme)
    not_ready = create_locality(programme)
    create_locality(somerset("elsewhere"))

    run = snapshots.take_snapshots(TODAY)

    assert (run.taken_on, run.created, run.updated) == (TODAY, 3, 0)
    stored = {s.locality_id: s for s in db.session.scalars(select(ReadinessSnapshot))}
    assert stored[ready.id].ready and not stored[not_ready.id].ready
    assert stored[ready.id].taken_on == TODAY
    assert [c["key"] for c in stored[ready.id].criteria] == STANDARD_KEYS
    assert set(stored[ready.id].criteria[0]) == {
        "key",
        "actual",
        "threshold",
        "met",
        "numerator",
        "denominator",
    }

    again = snapshots.take_snapshots(TODAY)

    assert (again.created, again.updated) == (0, 3)
    assert count_rows(ReadinessSnapshot) == 3


def test_taking_snapshots_again_the_same_day_replaces_them_with_today_s_readiness(app):
    programme = somerset()
    team = a_team(programme)
    posts = add_posts(team, recruited=0, total=1)
    snapshots.take_snapshots(TODAY)
    posts[0].status = "in_post"
    db.session.commit()

    snapshots.take_snapshots(TODAY)

    [snapshot] = db.session.scalars(select(ReadinessSnapshot))
    assert snapshot.criteria[0]["numerator"] == 1
    assert snapshot.criteria[0]["met"] is True


def test_snapshots_can_be_limited_to_some_programmes(app):
    mine = somerset()
    create_locality(mine)
    create_locality(somerset("elsewhere"))

    run = snapshots.take_snapshots(TODAY, [mine])

    assert (run.created, count_rows(ReadinessSnapshot)) == (1, 1)


def test_trends_draw_a_sparkline_per_criterion_once_snapshots_exist(app):
    programme = somerset()
    team = a_team(programme)
    posts = add_posts(team, recruited=0, total=4)
    empty = trends_of(team.locality)

    assert list(empty) == STANDARD_KEYS
    assert (empty["adult_specialists_recruited"].points, empty["trained_mi_and_fs"].first) == (
        "",
        None,
    )

    for days_ago, filled in ((20, 1), (10, 2), (0, 3)):
        for post in posts[:filled]:
            post.status = "in_post"
        db.session.commit()
        snapshots.take_snapshots(TODAY - timedelta(days=days_ago))

    trend = trends_of(team.locality)["adult_specialists_recruited"]

    assert len(trend.points.split()) == 3
    assert (trend.first.on, trend.first.actual) == (TODAY - timedelta(days=20), 25)
    assert (trend.last.on, trend.last.actual) == (TODAY, 75)
    assert trend.threshold_y == pytest.approx(40 - 70 * 40 / 100)
    assert trends_of(team.locality, TODAY - timedelta(days=15))[
        "adult_specialists_recruited"
    ].last.on == TODAY - timedelta(days=20)


def test_snapshots_older_than_the_trend_window_are_left_out(app):
    locality = create_locality(somerset())
    snapshots.take_snapshots(TODAY - timedelta(days=snapshots.TREND_DAYS))
    snapshots.take_snapshots(TODAY)

    trend = trends_of(locality)

    assert trend["trained_mi_and_fs"].first.on == TODAY


# ------------------------------------------------------------------ the board


def test_the_board_groups_localities_by_wave_in_go_live_order(app):
    programme = somerset()
    later = create_locality(programme, name="Mendip", wave=1, go_live=date(2027, 6, 1))
    sooner = ready_locality(programme, name="Bridgwater", wave=1, go_live=date(2027, 1, 4))
    second = create_locality(programme, name="Taunton", wave=2, go_live=date(2027, 9, 6))
    unplanned = create_locality(programme, name="West", wave=None, go_live=date(2027, 3, 1))

    view = board.board(programme, TODAY)

    assert [(wave, [row.locality for row in rows]) for wave, rows in view.waves] == [
        (1, [sooner, later]),
        (2, [second]),
        (None, [unplanned]),
    ]
    assert [c.key for c in view.criteria] == STANDARD_KEYS
    assert view.as_of == TODAY
    rows = {row.locality.name: row for row in view.rows}
    assert rows["Bridgwater"].days_to_go_live == 35
    assert rows["Mendip"].days_to_go_live == (date(2027, 6, 1) - TODAY).days
    assert rows["Bridgwater"].readiness.ready
    assert not rows["Mendip"].readiness.ready
    assert rows["Bridgwater"].decision is None and not rows["Bridgwater"].live


def test_the_board_shows_the_decision_in_force(app):
    programme = somerset()
    locality = ready_locality(programme)
    decision = decisions.go_live(locality, board_member(), "", TODAY)

    [row] = board.board(programme, TODAY).rows

    assert row.live and row.decision.id == decision.id


def busy_programme(slug: str, localities: int, posts: int, staff: int):
    """A programme with an added manual check and a workstream criterion, and `localities`
    localities each with two teams of `posts` posts and `staff` people (half trained), open and
    gate-critical milestones, an exception and a sign-off."""
    programme = somerset(slug)
    signer = create_user("board_member")
    ict = create_workstream(programme, "ICT")
    check = manual_check(programme, signer)
    gate_criteria.add_criterion(
        programme,
        NewCriterion("workstream_milestones", "ICT ready", threshold=50, workstream_id=ict.id),
        None,
    )
    for n in range(localities):
        locality = create_locality(programme, wave=n % 2 + 1)
        people = []
        for _ in range(2):
            team = create_team(locality)
            add_posts(team, recruited=posts // 2, total=posts)
            people += [create_staff(team) for _ in range(staff)]
        train(programme, people[: len(people) // 2])
        gate_milestone(locality)
        gate_milestone(locality, done=False)
        create_milestone(locality, workstream=ict)
        gate_exceptions.set_exception(
            locality, criterion(programme, "trained_mi_and_fs"), "Shared", None, threshold=40
        )
        sign_offs.sign_off(locality, check, signer, TODAY)
    return programme


def test_the_board_runs_a_fixed_number_of_queries_however_many_localities(app, count_queries):
    small = busy_programme("small", localities=1, posts=1, staff=1)
    large = busy_programme("large", localities=4, posts=6, staff=5)

    def queries(programme) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            view = board.board(programme, TODAY)
            seen = [
                (
                    row.locality.name,
                    row.days_to_go_live,
                    row.live,
                    row.decision,
                    [(r.label, r.actual, r.met, len(r.shortfall)) for r in row.readiness.results],
                )
                for row in view.rows
            ]
            assert [c.label for c in view.criteria]
        assert seen
        return counter.count

    assert queries(small) == queries(large)
    rows = board.board(large, TODAY).rows
    assert len(rows) == 4
    assert [r.key for r in rows[0].readiness.results][-2:] == ["estates_ready", "ict_ready"]
    assert result(rows[0].readiness, "trained_mi_and_fs").met  # 5 of 10 against the exception's 40%
    assert result(rows[0].readiness, "estates_ready").met


# ------------------------------------------------------------------ the locality page


def test_locality_readiness_projects_an_offered_post_to_its_start_date(app):
    programme = somerset()
    team = a_team(programme, go_live=date(2027, 4, 6))
    add_posts(team, recruited=2, total=2)
    # 2 of 4 now; 3 of 4 (75%) once the offer with a start date starts.
    create_post(team, "da_victims", status="offered", start_date=NEXT_MONTH)
    create_post(team, "da_victims", status="offered")  # no start date known: not projected

    page = locality_page.locality_readiness(team.locality, TODAY, TODAY)

    projection = page.projections["adult_specialists_recruited"]
    assert (projection.on, projection.met_now, projection.go_live) == (
        NEXT_MONTH,
        False,
        date(2027, 4, 6),
    )
    assert projection.reachable_by_go_live
    assert page.projections["trained_mi_and_fs"].on is None
    assert not page.projections["trained_mi_and_fs"].reachable_by_go_live
    assert [c.key for c, *_rest in page.rows] == STANDARD_KEYS
    first = page.rows[0]
    assert (first[1].key, first[2]) == ("adult_specialists_recruited", projection)
    assert set(page.trends) == set(STANDARD_KEYS)
    assert (page.decision, page.decisions, page.exceptions) == (None, [], {})


def test_a_criterion_met_today_is_projected_to_today(app):
    locality = ready_locality()

    page = locality_page.locality_readiness(locality, TODAY, TODAY)

    assert page.readiness.ready
    assert all(p.on == TODAY and p.met_now for p in page.projections.values())


def test_booked_training_projects_the_training_criterion_to_the_last_session(app):
    programme = somerset()
    team = a_team(programme)
    people = [create_staff(team) for _ in range(2)]
    mi = catalogue.get_course(programme, "mi")
    last_day = TODAY
    for module in mi.modules:
        if module.required:
            last_day = TODAY + timedelta(days=7 * module.number)
            session = create_session(mi, module.number, last_day)
            enrolment.enrol(session, [p.id for p in people], None)

    page = locality_page.locality_readiness(team.locality, TODAY, TODAY)

    assert not result(page.readiness, "trained_mi_and_fs").met
    assert page.projections["trained_mi_and_fs"].on is None  # the workshops are not booked
    complete(catalogue.get_course(programme, "fs_workshops"), people)

    page = locality_page.locality_readiness(team.locality, TODAY, TODAY)

    assert page.projections["trained_mi_and_fs"].on == last_day


def test_locality_readiness_as_of_another_day_evaluates_that_day(app):
    team = a_team()
    add_posts(team, recruited=6, total=9)
    create_post(team, "da_victims", status="appointed", start_date=NEXT_MONTH)

    page = locality_page.locality_readiness(team.locality, NEXT_MONTH, TODAY)

    assert page.readiness.as_of == NEXT_MONTH
    assert result(page.readiness, "adult_specialists_recruited").met


def test_locality_readiness_lists_the_locality_s_exceptions_by_criterion_key(app):
    programme = somerset()
    locality = create_locality(programme)
    gate_exceptions.set_exception(
        locality, criterion(programme, "trained_mi_and_fs"), "Shared", None, waived=True
    )

    page = locality_page.locality_readiness(locality, TODAY, TODAY)

    assert list(page.exceptions) == ["trained_mi_and_fs"]
    assert page.exceptions["trained_mi_and_fs"].reason == "Shared"


def test_an_offer_starting_today_is_projected_to_today(app):
    team = a_team()
    create_post(team, "da_victims", status="offered", start_date=TODAY)

    page = locality_page.locality_readiness(team.locality, TODAY, TODAY)

    assert not result(page.readiness, "adult_specialists_recruited").met
    assert page.projections["adult_specialists_recruited"].on == TODAY


def test_a_trend_s_threshold_line_is_the_threshold_the_locality_is_held_to(app):
    programme = somerset()
    locality = create_locality(programme)
    gate_exceptions.set_exception(
        locality, criterion(programme, "trained_mi_and_fs"), "Shared trainers", None, threshold=50
    )
    snapshots.take_snapshots(TODAY)

    page = locality_page.locality_readiness(locality, TODAY, TODAY)

    _criterion, found, _projection, trend = page.rows[1]
    assert found.threshold == 50
    assert trend.threshold_y == 20.0  # 50% of a 40-unit-high chart


def test_an_added_criterion_s_trend_starts_the_day_it_was_added(app):
    programme = somerset()
    locality = create_locality(programme)
    added = gate_criteria.add_criterion(
        programme, NewCriterion("milestone", "ISA signed", milestone_title="ISA signed"), None
    )
    snapshots.take_snapshots(TODAY)
    gate_criteria.remove_criterion(added, None)
    again = gate_criteria.add_criterion(
        programme, NewCriterion("milestone", "ISA signed", milestone_title="ISA signed"), None
    )
    again.created_at = again.created_at + timedelta(days=1)  # added the next day
    db.session.commit()

    trend = trends_of(locality, TODAY + timedelta(days=1))

    assert again.key == added.key
    assert trend[again.key].first is None  # the removed criterion's reading is not its history
    assert trend["trained_mi_and_fs"].first.on == TODAY


@pytest.mark.parametrize("kind", ["milestone", "manual_check"])
def test_a_done_or_not_criterion_has_no_threshold_to_lower(app, kind):
    programme = somerset()
    locality = create_locality(programme)
    signer = create_user("board_member")
    added = gate_criteria.add_criterion(
        programme,
        NewCriterion(kind, "ISA signed", milestone_title="ISA signed", signer_email=signer.email),
        None,
    )

    with pytest.raises(ServiceError, match="done or not"):
        gate_criteria.set_threshold(added, 0, None)
    with pytest.raises(ServiceError, match="done or not"):
        gate_exceptions.set_exception(locality, added, "Not needed", None, threshold=0)
    gate_exceptions.set_exception(locality, added, "Signed at county level", None, waived=True)

    result = evaluation.evaluate_locality(locality, TODAY).results[-1]
    assert (result.key, result.met, result.threshold) == (added.key, True, 100)


def test_removing_a_criterion_says_in_each_locality_s_trail_what_went_with_it(app):
    programme = somerset()
    waived, signed = create_locality(programme), create_locality(programme)
    signer = create_user("board_member")
    check = gate_criteria.add_criterion(
        programme, NewCriterion("manual_check", "ISA signed", signer_email=signer.email), None
    )
    gate_exceptions.set_exception(waived, check, "Signed at county level", None, waived=True)
    sign_offs.sign_off(signed, check, signer, TODAY)

    gate_criteria.remove_criterion(check, None)

    trails = {
        locality.id: [
            e.summary
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.locality_id == locality.id)
            )
            if e.action == "delete"
        ]
        for locality in (waived, signed)
    }
    assert trails[waived.id] == [
        f"{waived.name}: its exception of “ISA signed” went with the criterion"
    ]
    assert trails[signed.id] == [
        f"{signed.name}: its sign-off of “ISA signed” went with the criterion"
    ]
    assert count_rows(GateException) == count_rows(CheckSignOff) == 0


def test_the_database_holds_at_most_one_decision_in_force_and_none_is_deleted(app):
    locality = create_locality(somerset())

    def decision(**values):
        return GoLiveDecision(
            locality_id=locality.id, decided_by_name="Chair", evidence={}, **values
        )

    db.session.add_all([decision(), decision()])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    rescinded = decision(rescinded_at=datetime(2026, 11, 1, tzinfo=UTC), rescind_reason="x")
    db.session.add_all([rescinded, decision()])
    db.session.commit()  # a rescinded decision beside the one in force is fine

    db.session.delete(rescinded)
    with pytest.raises(DecisionIsFinal):
        db.session.commit()
    db.session.rollback()
    assert count_rows(GoLiveDecision) == 2


def test_a_one_course_training_criterion_can_be_added_keyed_by_its_course(app):
    programme = somerset()

    added = gate_criteria.add_criterion(
        programme,
        NewCriterion("trained", "Relevant staff trained in MI", threshold=80, courses=["mi"]),
        None,
    )

    assert (added.key, added.courses, added.threshold, added.standard) == (
        "trained_mi",
        ["mi"],
        80,
        False,
    )
    assert audit_events_for("gate_criterion", added.id)[-1].after["courses"] == ["mi"]
