"""The go-live gate: each criterion kind, thresholds and exceptions, as-of dates, RAG, the
projection of when a threshold will be met, the sparkline and the gate file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.gate_seed import load_gate, parse_gate
from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    Shortfall,
    SignOff,
    evaluate,
    evaluate_one,
)
from programme.domain.readiness_outlook import (
    Projection,
    TrendPoint,
    event_days,
    expected,
    project,
    sparkline,
)
from programme.domain.recruitment import PostFacts, SeedError, Share
from programme.domain.training import Attended, CourseRule, StaffFacts

GATE_FILE = Path(__file__).resolve().parents[2] / "seed" / "gate.toml"

TODAY = date(2026, 11, 30)
EARLIER = date(2026, 9, 1)
NEXT_MONTH = date(2026, 12, 15)
GO_LIVE = date(2027, 1, 4)
SOCIAL_WORKER, CO_ORDINATOR = 3, 5
MI_ROLES = frozenset({SOCIAL_WORKER})
MI_RULE = CourseRule(frozenset({1, 2, 3, 4}))

RECRUITED = Criterion(
    "adult_specialists_recruited", "Adult specialist workers recruited", CriterionKind.RECRUITED, 70
)
TRAINED_MI = Criterion("trained_mi", "Trained in MI", CriterionKind.TRAINED, 70, courses=("mi",))
GATE_MILESTONES = Criterion(
    "gate_milestones_done", "Gate-critical milestones done", CriterionKind.GATE_MILESTONES, 100
)
AGREEMENT = Criterion(
    "agreement_signed",
    "Partnership agreement signed",
    CriterionKind.MILESTONE,
    100,
    milestone_title="Partnership agreement signed",
)
WORKFORCE = Criterion(
    "workforce_ready",
    "Workforce workstream",
    CriterionKind.WORKSTREAM,
    75,
    workstream_id=1,
    workstream_name="Workforce",
)
ICT_CHECK = Criterion(
    "ict_ready", "Workbook ICT ready", CriterionKind.MANUAL_CHECK, 100, signer="Head of ICT"
)


def post(
    post_id: int,
    status: str = "vacant",
    *,
    adult_specialist: bool = True,
    frozen: bool = False,
    start: date | None = None,
    history: tuple[tuple[date, str], ...] = (),
) -> PostFacts:
    return PostFacts(status, adult_specialist, frozen, start, history, post_id, f"Post {post_id}")


def posts(filled: int, total: int) -> tuple[PostFacts, ...]:
    return tuple(post(n, "in_post" if n <= filled else "vacant") for n in range(1, total + 1))


def facts(**values) -> LocalityFacts:
    return LocalityFacts(go_live=values.pop("go_live", GO_LIVE), **values)


def recruited(filled: int, total: int, threshold: int = 70, **values):
    criterion = replace(RECRUITED, threshold=threshold)
    return evaluate_one(criterion, facts(posts=posts(filled, total), **values), TODAY)


def person(staff_id: int, role_id: int = SOCIAL_WORKER, **dates) -> StaffFacts:
    return StaffFacts(
        staff_id, role_id, dates.get("start"), dates.get("leaving"), f"Person {staff_id}"
    )


def attended(staff_id: int, *modules: int, on: date = EARLIER, status: str = "present"):
    return tuple(Attended(staff_id, module, status, on) for module in modules)


def mi(attended=(), booked=(), roles=MI_ROLES) -> CourseFacts:
    return CourseFacts("Motivational Interviewing", MI_RULE, roles, tuple(attended), tuple(booked))


def trained_people(*staff_ids: int) -> tuple[Attended, ...]:
    return tuple(record for n in staff_ids for record in attended(n, 1, 2, 3, 4))


def team(size: int, trained: int, **values) -> LocalityFacts:
    """`size` social workers, the first `trained` of them through every MI module."""
    return facts(
        staff=tuple(person(n) for n in range(1, size + 1)),
        courses={"mi": mi(trained_people(*range(1, trained + 1)))},
        **values,
    )


def milestone(
    milestone_id: int,
    title: str | None = None,
    status: str = "not_started",
    *,
    workstream: int = 1,
    gate: bool = False,
    completed: date | None = None,
    due: date | None = None,
) -> MilestoneFacts:
    return MilestoneFacts(
        milestone_id,
        title or f"Milestone {milestone_id}",
        workstream,
        status,
        gate,
        completed,
        due,
    )


# ------------------------------------------------------------------ thresholds at their edges


def test_six_of_ten_recruited_falls_short_of_70_percent():
    result = recruited(6, 10)

    assert not result.met
    assert result.share == Share(6, 10)
    assert result.actual == 60
    assert result.threshold == 70


def test_seven_of_ten_recruited_meets_70_percent_exactly():
    result = recruited(7, 10)

    assert result.met
    assert result.actual == 70
    assert result.shortfall == ()
    assert result.note is None


def test_69_of_99_falls_short_of_70_percent_though_it_rounds_to_70():
    result = recruited(69, 99)

    assert not result.met
    assert result.actual == 69.6
    assert len(result.shortfall) == 30


def test_70_of_99_meets_70_percent():
    assert recruited(70, 99).met


def test_nothing_to_count_is_not_met_and_says_so_without_dividing_by_zero():
    result = recruited(0, 0)

    assert not result.met
    assert result.share == Share(0, 0)
    assert result.actual == 0
    assert result.note == "No adult specialist posts are defined for this locality."
    assert result.shortfall == ()


def test_a_threshold_of_zero_is_still_not_met_when_there_is_nothing_to_count():
    assert not recruited(0, 0, threshold=0).met
    assert recruited(0, 10, threshold=0).met


@pytest.mark.parametrize(
    ("filled", "total", "actual"),
    [(69, 99, 69.6), (2, 3, 66.6), (7, 10, 70), (1, 3, 33.3), (10, 10, 100), (0, 4, 0)],
)
def test_actual_is_rounded_down_to_one_decimal_place(filled, total, actual):
    assert recruited(filled, total).actual == actual


def test_a_whole_percentage_shows_without_a_decimal_place():
    assert str(recruited(7, 10).actual) == "70"


def test_evaluate_decides_every_criterion_on_the_day_given():
    readiness = evaluate(
        [RECRUITED, replace(RECRUITED, key="other")], facts(posts=posts(7, 10)), TODAY
    )

    assert readiness.as_of == TODAY
    assert [result.key for result in readiness.results] == ["adult_specialists_recruited", "other"]
    assert all(result.met for result in readiness.results)


# ------------------------------------------------------------------ adult specialists recruited


def test_frozen_posts_are_left_out_of_the_recruited_share():
    locality = facts(
        posts=(
            *posts(6, 8),
            post(9, frozen=True),
            post(10, "in_post", frozen=True),
        )
    )

    result = evaluate_one(RECRUITED, locality, TODAY)

    assert result.share == Share(6, 8)
    assert result.met


def test_posts_that_are_not_adult_specialist_posts_are_left_out():
    social_workers = tuple(post(n, "in_post", adult_specialist=False) for n in range(11, 16)) + (
        post(16, adult_specialist=False),
    )

    result = evaluate_one(RECRUITED, facts(posts=posts(6, 10) + social_workers), TODAY)

    assert result.share == Share(6, 10)
    assert not result.met


def test_the_shortfall_lists_each_unfilled_post_with_its_label_and_status():
    locality = facts(
        posts=(
            post(1, "in_post"),
            post(2),
            post(3, "advertised"),
            post(4, "appointed", start=NEXT_MONTH),
            post(5, frozen=True),
            post(6, adult_specialist=False),
        )
    )

    result = evaluate_one(RECRUITED, locality, TODAY)

    assert result.shortfall == (
        Shortfall("post", 2, "Post 2", "Vacant"),
        Shortfall("post", 3, "Post 3", "Advertised"),
        Shortfall("post", 4, "Post 4", "Appointed, starts 15 Dec 2026"),
    )


def test_appointed_and_in_post_count_as_recruited_unless_the_programme_says_otherwise():
    locality = facts(posts=(post(1, "appointed"), post(2, "in_post"), post(3, "offered")))

    assert evaluate_one(RECRUITED, locality, TODAY).share == Share(2, 3)
    strict = replace(locality, recruited=("in_post",))
    assert evaluate_one(RECRUITED, strict, TODAY).share == Share(1, 3)


# ------------------------------------------------------------------ relevant staff trained


def test_seven_of_ten_social_workers_trained_meets_70_percent_and_six_does_not():
    assert evaluate_one(TRAINED_MI, team(10, 7), TODAY).met
    assert not evaluate_one(TRAINED_MI, team(10, 6), TODAY).met


def test_the_courses_counted_are_the_ones_the_criterion_names():
    workshops = facts(
        staff=tuple(person(n) for n in range(1, 4)),
        courses={"fs_workshops": mi(trained_people(1, 2, 3))},
    )

    result = evaluate_one(TRAINED_MI, workshops, TODAY)

    assert result.share == Share(0, 0)
    assert not result.met
    assert result.note == "No course counts toward this criterion."


def test_only_staff_in_the_course_s_roles_are_counted():
    locality = facts(
        staff=(person(1), person(2), person(3, CO_ORDINATOR), person(4, CO_ORDINATOR)),
        courses={"mi": mi(trained_people(1, 3))},
    )

    result = evaluate_one(TRAINED_MI, locality, TODAY)

    assert result.share == Share(1, 2)
    assert [item.id for item in result.shortfall] == [2]


def test_leavers_are_not_counted_after_their_leaving_date():
    locality = facts(
        staff=(person(1, leaving=TODAY), person(2), person(3)),
        courses={"mi": mi(trained_people(1, 2))},
    )

    assert evaluate_one(TRAINED_MI, locality, TODAY).share == Share(1, 2)
    assert evaluate_one(TRAINED_MI, locality, date(2026, 11, 29)).share == Share(2, 3)


def test_nobody_in_a_relevant_role_is_not_met_and_says_who_the_course_is_for():
    locality = facts(staff=(person(1, CO_ORDINATOR),), courses={"mi": mi(trained_people(1))})

    result = evaluate_one(TRAINED_MI, locality, TODAY)

    assert result.share == Share(0, 0)
    assert not result.met
    assert result.note == "No staff in this locality need Motivational Interviewing."


# ------------------------------------------------------------------ trained in MI and FS: both


TRAINED_BOTH = Criterion(
    "trained_mi_and_fs",
    "Relevant staff trained in MI and the FS practice and change workshops",
    CriterionKind.TRAINED,
    70,
    courses=("mi", "fs_workshops"),
)
FS_RULE = CourseRule(frozenset({1, 2, 3}))


def fs(attended=(), booked=(), roles=MI_ROLES) -> CourseFacts:
    return CourseFacts(
        "FS practice and change workshops", FS_RULE, roles, tuple(attended), tuple(booked)
    )


def fs_done(*staff_ids: int, status: str = "present") -> tuple[Attended, ...]:
    return tuple(record for n in staff_ids for record in attended(n, 1, 2, 3, status=status))


def both(size: int, mi_ids, fs_ids, **values) -> LocalityFacts:
    return facts(
        staff=tuple(person(n) for n in range(1, size + 1)),
        courses={"mi": mi(trained_people(*mi_ids)), "fs_workshops": fs(fs_done(*fs_ids))},
        **values,
    )


@pytest.mark.parametrize(
    ("mi_ids", "fs_ids", "trained"),
    [((1,), (), False), ((), (1,), False), ((1,), (1,), True)],
    ids=["mi-only", "fs-only", "both"],
)
def test_a_person_counts_as_trained_only_with_both_courses(mi_ids, fs_ids, trained):
    result = evaluate_one(TRAINED_BOTH, both(1, mi_ids, fs_ids), TODAY)

    assert result.share == Share(int(trained), 1)


def test_a_module_attended_late_still_counts_toward_both():
    locality = facts(
        staff=(person(1),),
        courses={
            "mi": mi(attended(1, 1, 2, 3) + attended(1, 4, status="late")),
            "fs_workshops": fs(fs_done(1)),
        },
    )

    assert evaluate_one(TRAINED_BOTH, locality, TODAY).share == Share(1, 1)
    strict = replace(
        locality.courses["mi"], rule=CourseRule(MI_RULE.required_modules, frozenset({"present"}))
    )
    not_late = replace(locality, courses={**locality.courses, "mi": strict})
    assert evaluate_one(TRAINED_BOTH, not_late, TODAY).share == Share(0, 1)


def test_80_percent_in_mi_and_75_in_the_workshops_but_60_in_both_is_not_met():
    # 20 people: 16 did MI (1-16), 15 did the workshops (5-19), 12 did both (5-16).
    result = evaluate_one(TRAINED_BOTH, both(20, range(1, 17), range(5, 20)), TODAY)

    assert result.share == Share(12, 20)
    assert not result.met
    assert result.gap == 2
    assert [part.share for part in result.parts] == [Share(16, 20), Share(15, 20)]
    assert result.parts_text == (
        "Motivational Interviewing 80% (16 of 20) · FS practice and change workshops 75% (15 of 20)"
    )
    assert result.shortfall[0] == Shortfall(
        "staff", 1, "Person 1", "FS practice and change workshops: not started"
    )
    assert result.shortfall[-2].detail == "Motivational Interviewing: not started"


def test_seventy_percent_trained_in_both_is_met():
    result = evaluate_one(TRAINED_BOTH, both(10, range(1, 9), range(1, 8)), TODAY)

    assert result.share == Share(7, 10)
    assert result.met
    assert result.shortfall == ()


def test_a_person_owes_only_the_courses_their_role_is_required_for():
    # The programme made psychologists (role 9) required for MI only.
    locality = facts(
        staff=(person(1), person(2, 9), person(3, CO_ORDINATOR)),
        courses={
            "mi": mi(trained_people(1, 2), roles=MI_ROLES | {9}),
            "fs_workshops": fs(fs_done(1)),
        },
    )

    result = evaluate_one(TRAINED_BOTH, locality, TODAY)

    assert result.share == Share(2, 2)
    assert [part.share for part in result.parts] == [Share(2, 2), Share(1, 1)]


def test_a_one_course_criterion_shows_no_per_course_shares():
    assert evaluate_one(TRAINED_MI, team(10, 7), TODAY).parts == ()


def test_booked_workshops_project_the_day_both_are_done():
    booking = tuple(Attended(1, n, "present", NEXT_MONTH) for n in (1, 2, 3))
    locality = replace(
        both(1, (1,), ()), courses={"mi": mi(trained_people(1)), "fs_workshops": fs((), booking)}
    )

    (projection,) = project([TRAINED_BOTH], locality, TODAY)

    assert projection.on == NEXT_MONTH


def test_the_shortfall_lists_each_relevant_person_not_yet_trained_and_how_far_they_got():
    locality = facts(
        staff=(person(1), person(2), person(3), person(4, CO_ORDINATOR), person(5)),
        courses={
            "mi": mi(
                trained_people(1) + attended(2, 1, 2) + attended(5, 1, 2, 3, 4, status="absent")
            )
        },
    )

    result = evaluate_one(TRAINED_MI, locality, TODAY)

    assert result.shortfall == (
        Shortfall("staff", 2, "Person 2", "In progress"),
        Shortfall("staff", 3, "Person 3", "Not started"),
        Shortfall("staff", 5, "Person 5", "Not started"),
    )


# ------------------------------------------------------------------ milestones


def test_gate_milestones_count_only_the_gate_critical_ones():
    locality = facts(
        milestones=(
            milestone(1, status="done", gate=True),
            milestone(2, status="done", gate=True),
            milestone(3, status="in_progress", gate=True, due=date(2026, 12, 1)),
            milestone(4),
            milestone(5, status="blocked"),
        )
    )

    result = evaluate_one(GATE_MILESTONES, locality, TODAY)

    assert result.share == Share(2, 3)
    assert not result.met
    assert result.shortfall == (
        Shortfall("milestone", 3, "Milestone 3", "In progress, due 1 Dec 2026"),
    )


def test_every_gate_milestone_done_meets_the_100_percent_line():
    locality = facts(milestones=(milestone(1, status="done", gate=True), milestone(2, gate=False)))

    assert evaluate_one(GATE_MILESTONES, locality, TODAY).met


def test_no_gate_critical_milestones_is_not_met_and_suggests_a_template():
    result = evaluate_one(GATE_MILESTONES, facts(milestones=(milestone(1, status="done"),)), TODAY)

    assert result.share == Share(0, 0)
    assert not result.met
    assert "apply a timeline template" in result.note


def test_a_named_milestone_is_found_whatever_its_case_and_spacing():
    locality = facts(milestones=(milestone(1, "  PARTNERSHIP agreement Signed ", "done"),))

    result = evaluate_one(AGREEMENT, locality, TODAY)

    assert result.met
    assert result.share == Share(1, 1)


def test_a_named_milestone_not_yet_done_is_0_of_1_and_listed():
    locality = facts(milestones=(milestone(1, "Partnership agreement signed", "in_progress"),))

    result = evaluate_one(AGREEMENT, locality, TODAY)

    assert result.share == Share(0, 1)
    assert not result.met
    assert [item.id for item in result.shortfall] == [1]


def test_a_named_milestone_the_locality_lacks_is_not_met_and_says_so():
    result = evaluate_one(AGREEMENT, facts(milestones=(milestone(1, "Other", "done"),)), TODAY)

    assert not result.met
    assert result.share == Share(0, 0)
    assert "Partnership agreement signed" in result.note
    assert result.shortfall == ()


def test_two_milestones_of_one_name_count_as_one_done_only_when_both_are():
    title = "Partnership agreement signed"
    half = facts(milestones=(milestone(1, title, "done"), milestone(2, title, "in_progress")))
    both = facts(milestones=(milestone(1, title, "done"), milestone(2, title.upper(), "done")))

    half_done = evaluate_one(AGREEMENT, half, TODAY)
    all_done = evaluate_one(AGREEMENT, both, TODAY)

    assert half_done.share == Share(0, 1)
    assert not half_done.met
    assert [item.id for item in half_done.shortfall] == [2]
    assert all_done.share == Share(1, 1)
    assert all_done.met


def test_a_workstream_criterion_is_the_share_of_that_workstream_s_milestones_done():
    locality = facts(
        milestones=(
            milestone(1, status="done"),
            milestone(2, status="done"),
            milestone(3, status="done"),
            milestone(4, status="in_progress"),
            milestone(5, workstream=2),
            milestone(6, workstream=2),
        )
    )

    at_75 = evaluate_one(WORKFORCE, locality, TODAY)
    at_80 = evaluate_one(replace(WORKFORCE, threshold=80), locality, TODAY)

    assert at_75.share == Share(3, 4)
    assert at_75.met
    assert not at_80.met
    assert [item.id for item in at_80.shortfall] == [4]


def test_a_workstream_with_no_milestones_here_is_not_met_and_names_the_workstream():
    result = evaluate_one(WORKFORCE, facts(milestones=(milestone(1, workstream=2),)), TODAY)

    assert not result.met
    assert result.note == "This locality has no milestones in Workforce."


# ------------------------------------------------------------------ manual checks


def test_a_manual_check_without_a_sign_off_awaits_its_signer():
    result = evaluate_one(ICT_CHECK, facts(), TODAY)

    assert not result.met
    assert result.share == Share(0, 1)
    assert result.shortfall == (
        Shortfall("check", None, "Workbook ICT ready", "Awaiting sign-off by Head of ICT"),
    )


def test_a_manual_check_signed_off_by_the_day_is_met_and_says_by_whom():
    locality = facts(sign_offs={"ict_ready": SignOff("Jo Bloggs", TODAY)})

    result = evaluate_one(ICT_CHECK, locality, TODAY)

    assert result.met
    assert result.share == Share(1, 1)
    assert result.note == "Signed off by Jo Bloggs on 30 Nov 2026."


def test_a_sign_off_for_another_criterion_does_not_count():
    locality = facts(sign_offs={"something_else": SignOff("Jo Bloggs", EARLIER)})

    assert not evaluate_one(ICT_CHECK, locality, TODAY).met


# ------------------------------------------------------------------ locality exceptions


def test_an_exception_s_lower_threshold_lets_six_of_ten_meet_at_60_percent():
    exception = LocalityException("Two posts funded late", threshold=60)

    result = recruited(6, 10, exceptions={"adult_specialists_recruited": exception})

    assert result.met
    assert result.threshold == 60
    assert result.exception == exception
    assert result.shortfall == ()
    assert result.rag == "green"


def test_an_exception_threshold_of_zero_is_honoured_rather_than_ignored():
    exception = LocalityException("Posts held by the trust", threshold=0)

    result = recruited(0, 10, exceptions={"adult_specialists_recruited": exception})

    assert result.met
    assert result.threshold == 0


def test_a_waived_criterion_is_met_with_a_note_giving_the_reason():
    exception = LocalityException("Hosted by the neighbouring locality", waived=True)

    result = recruited(2, 10, exceptions={"adult_specialists_recruited": exception})

    assert result.met
    assert result.note.startswith("Waived:")
    assert result.note == "Waived: Hosted by the neighbouring locality"
    assert result.exception == exception
    assert result.rag == "green"
    assert result.gap == 0


def test_a_waived_criterion_with_nothing_to_count_is_still_met():
    exception = LocalityException("No adult specialists here", waived=True)

    assert recruited(0, 0, exceptions={"adult_specialists_recruited": exception}).met


def test_an_exception_on_another_criterion_changes_nothing():
    exceptions = {
        "trained_mi": LocalityException("Late cohort", threshold=10),
        "gate_milestones_done": LocalityException("Not here", waived=True),
    }

    result = recruited(6, 10, exceptions=exceptions)

    assert not result.met
    assert result.threshold == 70
    assert result.exception is None
    assert result.note is None
    assert result == recruited(6, 10)


# ------------------------------------------------------------------ as of a day


def test_a_post_whose_history_shows_it_appointed_next_month_does_not_count_today():
    locality = facts(posts=(post(1, "appointed", history=((NEXT_MONTH, "appointed"),)),))

    today = evaluate_one(RECRUITED, locality, TODAY)

    assert today.share == Share(0, 1)
    assert today.shortfall == (Shortfall("post", 1, "Post 1", "Vacant"),)
    assert evaluate_one(RECRUITED, locality, NEXT_MONTH).share == Share(1, 1)


def test_a_post_appointed_to_start_next_month_counts_from_its_start_date():
    locality = facts(posts=(post(1, "appointed", start=NEXT_MONTH),))

    assert evaluate_one(RECRUITED, locality, TODAY).share == Share(0, 1)
    assert evaluate_one(RECRUITED, locality, date(2026, 12, 14)).share == Share(0, 1)
    assert evaluate_one(RECRUITED, locality, NEXT_MONTH).share == Share(1, 1)


def test_an_earlier_day_uses_the_status_the_post_held_then():
    history = (
        (date(2026, 9, 1), "advertised"),
        (date(2026, 10, 1), "appointed"),
        (date(2026, 11, 1), "in_post"),
    )
    locality = facts(posts=(post(1, "in_post", history=history),))

    in_september = evaluate_one(RECRUITED, locality, date(2026, 9, 15))

    assert in_september.share == Share(0, 1)
    assert in_september.shortfall[0].detail == "Advertised"
    assert evaluate_one(RECRUITED, locality, date(2026, 8, 31)).shortfall[0].detail == "Vacant"
    assert evaluate_one(RECRUITED, locality, date(2026, 10, 1)).share == Share(1, 1)


def test_a_post_since_withdrawn_still_counts_on_a_day_it_was_filled():
    history = ((date(2026, 9, 1), "in_post"), (date(2026, 11, 1), "withdrawn"))
    locality = facts(posts=(post(1, "withdrawn", history=history),))

    assert evaluate_one(RECRUITED, locality, date(2026, 10, 1)).share == Share(1, 1)
    assert evaluate_one(RECRUITED, locality, TODAY).share == Share(0, 1)


def test_staff_who_start_after_the_day_are_not_counted():
    locality = replace(team(7, 7), staff=(*team(7, 7).staff, person(8, start=NEXT_MONTH)))

    assert evaluate_one(TRAINED_MI, locality, TODAY).share == Share(7, 7)
    assert evaluate_one(TRAINED_MI, locality, NEXT_MONTH).share == Share(7, 8)


def test_attendance_after_the_day_does_not_count():
    records = attended(1, 1, 2, 3) + attended(1, 4, on=NEXT_MONTH)
    locality = facts(staff=(person(1),), courses={"mi": mi(records)})

    today = evaluate_one(TRAINED_MI, locality, TODAY)

    assert today.share == Share(0, 1)
    assert today.shortfall == (Shortfall("staff", 1, "Person 1", "In progress"),)
    assert evaluate_one(TRAINED_MI, locality, NEXT_MONTH).share == Share(1, 1)
    assert evaluate_one(TRAINED_MI, locality, date(2026, 8, 31)).shortfall[0].detail == (
        "Not started"
    )


def test_a_milestone_completed_after_the_day_is_not_done_as_of_then():
    locality = facts(milestones=(milestone(1, status="done", gate=True, completed=TODAY),))

    assert not evaluate_one(GATE_MILESTONES, locality, date(2026, 11, 29)).met
    assert evaluate_one(GATE_MILESTONES, locality, TODAY).met


def test_a_milestone_marked_done_with_no_completion_date_is_done_on_any_day():
    locality = facts(milestones=(milestone(1, status="done", gate=True),))

    assert evaluate_one(GATE_MILESTONES, locality, EARLIER).met


def test_a_sign_off_dated_after_the_day_does_not_count():
    locality = facts(sign_offs={"ict_ready": SignOff("Jo Bloggs", NEXT_MONTH)})

    assert not evaluate_one(ICT_CHECK, locality, TODAY).met
    assert evaluate_one(ICT_CHECK, locality, NEXT_MONTH).met


# ------------------------------------------------------------------ RAG and gap


@pytest.mark.parametrize(
    ("filled", "total", "rag"),
    [(7, 10, "green"), (60, 100, "amber"), (69, 99, "amber"), (59, 100, "red"), (0, 10, "red")],
)
def test_met_is_green_within_ten_points_below_is_amber_and_further_is_red(filled, total, rag):
    assert recruited(filled, total).rag == rag


def test_nothing_to_count_is_red():
    assert recruited(0, 0).rag == "red"
    assert recruited(0, 0, threshold=5).rag == "red"


def test_amber_is_measured_from_the_locality_s_own_threshold():
    exception = {"adult_specialists_recruited": LocalityException("Hard to fill", threshold=60)}

    assert recruited(5, 10, threshold=70).rag == "red"
    assert recruited(5, 10, exceptions=exception).rag == "amber"


@pytest.mark.parametrize(
    ("filled", "total", "gap"),
    [(6, 10, 1), (69, 99, 1), (0, 10, 7), (1, 3, 2), (7, 10, 0), (10, 10, 0), (0, 0, 0)],
)
def test_gap_is_how_many_more_items_the_threshold_needs(filled, total, gap):
    assert recruited(filled, total).gap == gap


def test_the_gap_is_exactly_enough_and_one_fewer_is_not():
    for total in range(1, 40):
        for filled in range(total + 1):
            result = recruited(filled, total)
            assert recruited(filled + result.gap, total).met
            if result.gap:
                assert not recruited(filled + result.gap - 1, total).met


# ------------------------------------------------------------------ readiness


def test_a_locality_is_ready_only_when_every_criterion_is_met():
    locality = replace(team(10, 7), posts=posts(7, 10))
    short = replace(locality, posts=posts(6, 10))

    ready = evaluate([RECRUITED, TRAINED_MI], locality, TODAY)
    not_ready = evaluate([RECRUITED, TRAINED_MI, ICT_CHECK], short, TODAY)

    assert ready.ready
    assert ready.unmet == ()
    assert not not_ready.ready
    assert [result.key for result in not_ready.unmet] == [
        "adult_specialists_recruited",
        "ict_ready",
    ]


def test_unmet_keeps_the_gate_s_order():
    results = evaluate([ICT_CHECK, RECRUITED, GATE_MILESTONES], facts(), TODAY)

    assert [r.key for r in results.unmet] == [
        "ict_ready",
        "adult_specialists_recruited",
        "gate_milestones_done",
    ]


# ------------------------------------------------------------------ projection


def test_an_offer_with_a_future_start_date_projects_the_threshold_met_on_that_date():
    locality = facts(posts=(*posts(6, 9), post(10, "offered", start=NEXT_MONTH)))

    (projection,) = project([RECRUITED], locality, TODAY)

    assert projection == Projection("adult_specialists_recruited", NEXT_MONTH, False, GO_LIVE)
    assert projection.reachable_by_go_live


def test_an_offer_without_a_start_date_or_a_vacancy_with_one_projects_nothing():
    locality = facts(
        posts=(
            *posts(6, 8),
            post(9, "offered"),
            post(10, "vacant", start=NEXT_MONTH),
        )
    )

    (projection,) = project([RECRUITED], locality, TODAY)

    assert projection.on is None


def test_booked_training_projects_people_complete_on_their_last_required_module():
    last_module = date(2026, 12, 10)
    booked = (Attended(7, 3, "present", date(2026, 12, 3)), Attended(7, 4, "present", last_module))
    base = team(10, 6)
    locality = replace(
        base,
        courses={"mi": mi(base.courses["mi"].attended + attended(7, 1, 2), booked)},
    )

    (projection,) = project([TRAINED_MI], locality, TODAY)

    assert not evaluate_one(TRAINED_MI, locality, TODAY).met
    assert projection.on == last_module
    assert not projection.met_now
    assert projection.reachable_by_go_live


def test_a_criterion_met_today_is_projected_met_now_today():
    (projection,) = project([RECRUITED], facts(posts=posts(7, 10)), TODAY)

    assert projection == Projection("adult_specialists_recruited", TODAY, True, GO_LIVE)
    assert projection.reachable_by_go_live


def test_no_future_events_means_no_projected_date_and_not_reachable_by_go_live():
    (projection,) = project([RECRUITED], facts(posts=posts(6, 10)), TODAY)

    assert projection.on is None
    assert not projection.met_now
    assert not projection.reachable_by_go_live


def test_a_projection_after_go_live_is_not_reachable_by_go_live():
    late = date(2027, 2, 1)
    locality = facts(posts=(*posts(6, 9), post(10, "appointed", start=late)))

    (projection,) = project([RECRUITED], locality, TODAY)

    assert projection.on == late
    assert not projection.reachable_by_go_live


def test_a_projection_on_the_go_live_day_itself_is_reachable():
    locality = facts(posts=(*posts(6, 9), post(10, "offered", start=GO_LIVE)))

    (projection,) = project([RECRUITED], locality, TODAY)

    assert projection.on == GO_LIVE
    assert projection.reachable_by_go_live


def test_the_projection_waits_for_enough_offers_to_start():
    locality = facts(
        posts=(
            *posts(5, 8),
            post(9, "offered", start=NEXT_MONTH),
            post(10, "pre_employment_checks", start=GO_LIVE),
        )
    )

    (projection,) = project([RECRUITED], locality, TODAY)

    assert projection.on == GO_LIVE


def test_project_gives_one_projection_per_criterion_in_order():
    locality = replace(team(10, 7), posts=posts(6, 10))

    projections = project([RECRUITED, TRAINED_MI, ICT_CHECK], locality, TODAY)

    assert [p.key for p in projections] == [
        "adult_specialists_recruited",
        "trained_mi",
        "ict_ready",
    ]
    assert [p.met_now for p in projections] == [False, True, False]


def test_expected_starts_every_offer_on_its_start_date_and_attends_every_booking():
    offered = post(1, "offered", start=NEXT_MONTH, history=((EARLIER, "offered"),))
    vacant = post(2, start=NEXT_MONTH)
    withdrawn = post(3, "withdrawn", start=NEXT_MONTH)
    booking = Attended(1, 4, "present", NEXT_MONTH)
    locality = facts(
        posts=(offered, vacant, withdrawn),
        courses={"mi": mi(attended(1, 1, 2, 3), (booking,))},
    )

    future = expected(locality, TODAY)

    assert future.posts[0].history == ((EARLIER, "offered"), (NEXT_MONTH, "in_post"))
    assert future.posts[0].status_on(NEXT_MONTH) == "in_post"
    assert future.posts[1:] == (vacant, withdrawn)
    assert future.courses["mi"].attended == (*attended(1, 1, 2, 3), booking)
    assert locality.posts[0] == offered
    assert locality.courses["mi"].attended == attended(1, 1, 2, 3)


def test_event_days_are_the_known_days_from_today_on_that_change_a_share_in_order():
    locality = facts(
        posts=(post(1, "offered", start=date(2027, 1, 4)), post(2, start=EARLIER)),
        staff=(
            person(1, start=date(2026, 12, 7)),
            person(2, leaving=date(2026, 12, 20)),
            person(3, start=EARLIER, leaving=TODAY),
        ),
        courses={
            "mi": mi(
                attended(1, 1, on=date(2026, 12, 1)),
                (Attended(1, 2, "present", date(2026, 12, 7)), Attended(2, 2, "present", EARLIER)),
            )
        },
    )

    assert event_days(locality, TODAY) == [
        TODAY,  # person 3 leaves today
        date(2026, 12, 7),
        date(2026, 12, 20),
        date(2027, 1, 4),
    ]


# ------------------------------------------------------------------ sparkline


def test_an_empty_trend_draws_only_the_threshold_line():
    line = sparkline([], 70)

    assert line.points == ""
    assert line.first is None
    assert line.last is None
    assert line.threshold_y == 12.0
    assert (line.width, line.height) == (160, 40)


def test_a_single_point_sits_at_the_left_edge():
    point = TrendPoint(TODAY, 50)

    line = sparkline([point], 70)

    assert line.points == "0.0,20.0"
    assert line.first == line.last == point


def test_points_are_spaced_by_days_and_run_from_0_at_the_bottom_to_100_at_the_top():
    trend = [
        TrendPoint(date(2026, 11, 1), 0),
        TrendPoint(date(2026, 11, 11), 100),
        TrendPoint(date(2026, 11, 21), 50),
    ]

    line = sparkline(trend, 70)

    assert line.points == "0.0,40.0 80.0,0.0 160.0,20.0"
    assert line.first == trend[0]
    assert line.last == trend[-1]


def test_uneven_gaps_between_points_show_as_uneven_spacing():
    trend = [
        TrendPoint(date(2026, 11, 1), 10),
        TrendPoint(date(2026, 11, 2), 20),
        TrendPoint(date(2026, 11, 5), 69.6),
    ]

    line = sparkline(trend, 70, width=100, height=50)

    assert line.points == "0.0,45.0 25.0,40.0 100.0,15.2"


@pytest.mark.parametrize(("threshold", "y"), [(0, 40.0), (70, 12.0), (100, 0.0), (33, 26.8)])
def test_the_threshold_line_is_placed_on_the_same_scale(threshold, y):
    assert sparkline([TrendPoint(TODAY, 1)], threshold).threshold_y == y


# ------------------------------------------------------------------ the gate file


def test_the_default_gate_is_the_lancashire_rule_and_the_milestones_this_tracker_adds():
    gate = load_gate(GATE_FILE)

    assert [c.key for c in gate] == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]
    assert [c.threshold for c in gate] == [70, 70, 100]
    assert [c.kind for c in gate] == [
        CriterionKind.RECRUITED,
        CriterionKind.TRAINED,
        CriterionKind.GATE_MILESTONES,
    ]
    assert gate[1].courses == ("mi", "fs_workshops")
    assert [c.removable for c in gate] == [False, False, True]


def test_the_default_gate_parses_the_same_from_its_text():
    assert parse_gate(GATE_FILE.read_text(encoding="utf-8")) == load_gate(GATE_FILE)


def test_the_default_gate_is_ready_for_a_locality_that_meets_every_line():
    base = team(10, 7)
    locality = replace(
        base,
        posts=posts(7, 10),
        courses={
            "mi": base.courses["mi"],
            "fs_workshops": replace(base.courses["mi"], name="FS workshops"),
        },
        milestones=(milestone(1, status="done", gate=True),),
    )

    readiness = evaluate(load_gate(GATE_FILE), locality, TODAY)

    assert readiness.ready
    assert not evaluate(load_gate(GATE_FILE), replace(locality, posts=posts(6, 10)), TODAY).ready


def criteria_text(*entries: tuple[str, str, int]) -> str:
    return "\n".join(
        f'[[criteria]]\nkey = "{key}"\nlabel = "{key}"\nkind = "{kind}"\nthreshold = {threshold}\n'
        'source = "Test paper, 2020"\n'
        for key, kind, threshold in entries
    )


def test_a_gate_with_no_criteria_parses_to_none():
    assert parse_gate("") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (criteria_text(("a", "hope", 70)), "unknown criterion kind 'hope'"),
        (
            criteria_text(("a", "gate_milestones", 70), ("a", "gate_milestones", 50)),
            "two criteria share a key",
        ),
        (criteria_text(("a", "manual_check", 100)), "added in the app"),
        (criteria_text(("a", "gate_milestones", 101)), "a threshold is a whole percentage"),
        (criteria_text(("a", "gate_milestones", -1)), "a threshold is a whole percentage"),
        (criteria_text(("trained_yoga", "trained", 70)), "trained_yoga names no courses"),
        (
            criteria_text(("a", "gate_milestones", 70)).replace("kind", 'courses = ["mi"]\nkind'),
            "only a training criterion names courses",
        ),
    ],
    ids=[
        "unknown-kind",
        "duplicate-keys",
        "addable-kind",
        "threshold-101",
        "threshold-negative",
        "trained-without-courses",
        "courses-on-another-kind",
    ],
)
def test_a_gate_file_that_does_not_make_sense_is_refused(text, message):
    with pytest.raises(SeedError, match=message) as raised:
        parse_gate(text, "test.toml")

    assert str(raised.value).startswith("test.toml: ")


def test_thresholds_of_0_and_100_are_allowed():
    gate = parse_gate(
        criteria_text(("a", "gate_milestones", 0), ("b", "adult_specialists_recruited", 100))
    )

    assert [(c.threshold, c.kind) for c in gate] == [
        (0, CriterionKind.GATE_MILESTONES),
        (100, CriterionKind.RECRUITED),
    ]


# ------------------------------------------------------------------ milestones and checks ahead


def test_gate_milestones_are_projected_to_be_met_when_the_last_open_one_falls_due():
    locality = facts(
        milestones=(
            milestone(1, status="done", gate=True, completed=EARLIER),
            milestone(2, gate=True, due=NEXT_MONTH),
            milestone(3, gate=True, due=date(2026, 12, 20)),
        )
    )

    [projection] = project([GATE_MILESTONES], locality, TODAY)

    assert (projection.on, projection.forecast) == (date(2026, 12, 20), True)
    assert projection.reachable_by_go_live


def test_an_overdue_milestone_has_no_date_left_to_project_it_on():
    locality = facts(
        milestones=(
            milestone(1, gate=True, due=date(2026, 11, 2)),
            milestone(2, gate=True, due=NEXT_MONTH),
        )
    )

    [projection] = project([GATE_MILESTONES], locality, TODAY)

    assert projection.on is None
    assert not projection.reachable_by_go_live


def test_a_milestone_due_after_go_live_is_projected_past_it():
    locality = facts(milestones=(milestone(1, gate=True, due=date(2027, 2, 1)),))

    [projection] = project([GATE_MILESTONES], locality, TODAY)

    assert projection.on == date(2027, 2, 1)
    assert not projection.reachable_by_go_live


def test_a_sign_off_is_not_forecast_at_all():
    [projection] = project([ICT_CHECK], facts(), TODAY)

    assert (projection.on, projection.met_now, projection.forecast) == (None, False, False)


def test_a_waived_criterion_is_met_with_nothing_left_in_its_way():
    locality = facts(
        posts=posts(1, 4),
        exceptions={RECRUITED.key: LocalityException("Shared with the county", waived=True)},
    )

    result = evaluate_one(RECRUITED, locality, TODAY)

    assert (result.met, result.shortfall, result.share) == (True, (), Share(1, 4))
    assert result.note == "Waived: Shared with the county"
