"""The completion rule, the trained share of relevant staff, course cost and the courses file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from programme.domain.recruitment import SeedError, Share
from programme.domain.training import (
    REGISTER_WORDS,
    Attended,
    Completion,
    CourseRule,
    SessionCost,
    StaffFacts,
    completion,
    completions,
    course_cost,
    is_relevant,
    load_courses,
    parse_courses,
    register_state,
    trained_share,
)
from programme.seed_files import COURSES_FILE

TODAY = date(2026, 11, 30)
EARLIER = date(2026, 9, 1)
MI = CourseRule(frozenset({1, 2, 3, 4}))  # four required days
SOCIAL_WORKER, CO_ORDINATOR = 3, 5
MI_ROLES = frozenset({SOCIAL_WORKER})


def attended(staff_id: int, *modules: int, status: str = "present", on: date = EARLIER):
    return [Attended(staff_id, module, status, on) for module in modules]


def person(staff_id: int, role_id: int = SOCIAL_WORKER, **dates) -> StaffFacts:
    return StaffFacts(staff_id, role_id, dates.get("start"), dates.get("leaving"))


# ------------------------------------------------------------------ completion


def test_every_required_module_attended_completes_a_multi_module_course():
    assert completion(attended(1, 1, 2, 3, 4), MI) == Completion.COMPLETE


def test_some_modules_attended_is_in_progress_and_none_is_not_started():
    assert completion(attended(1, 1, 2, 3), MI) == Completion.IN_PROGRESS
    assert completion([], MI) == Completion.NOT_STARTED


def test_the_order_modules_were_attended_in_does_not_matter():
    assert completion(attended(1, 4, 2, 3, 1), MI) == Completion.COMPLETE


def test_late_counts_but_absent_and_left_early_do_not():
    late = attended(1, 1, 2, 3) + attended(1, 4, status="late")
    absent = attended(1, 1, 2, 3) + attended(1, 4, status="absent")
    left_early = attended(1, 1, 2, 3) + attended(1, 4, status="left_early")

    assert completion(late, MI) == Completion.COMPLETE
    assert completion(absent, MI) == Completion.IN_PROGRESS
    assert completion(left_early, MI) == Completion.IN_PROGRESS


def test_only_absences_is_not_started():
    assert completion(attended(1, 1, 2, status="absent"), MI) == Completion.NOT_STARTED


def test_the_counted_statuses_are_configurable():
    strict = CourseRule(frozenset({1, 2}), frozenset({"present"}))
    lenient = CourseRule(frozenset({1, 2}), frozenset({"present", "late", "left_early"}))
    records = attended(1, 1) + attended(1, 2, status="late")
    left = attended(1, 1) + attended(1, 2, status="left_early")

    assert completion(records, strict) == Completion.IN_PROGRESS
    assert completion(left, lenient) == Completion.COMPLETE


def test_an_optional_module_is_not_needed_and_attending_only_it_is_in_progress():
    workshops = CourseRule(frozenset({1, 2, 3}))  # module 4 is optional

    assert completion(attended(1, 1, 2, 3), workshops) == Completion.COMPLETE
    assert completion(attended(1, 4), workshops) == Completion.IN_PROGRESS


def test_a_person_logged_twice_for_the_same_module_is_counted_once():
    twice = attended(1, 1, 1, 2, 2, 3, 3)

    assert completion(twice, MI) == Completion.IN_PROGRESS  # module 4 still missing
    assert completion(twice + attended(1, 4), MI) == Completion.COMPLETE


def test_a_second_record_of_absent_does_not_undo_a_present():
    records = attended(1, 1, 2, 3, 4) + attended(1, 4, status="absent", on=TODAY)

    assert completion(records, MI) == Completion.COMPLETE


def test_a_walk_in_counts_like_anyone_enrolled():
    """A walk-in's attendance is an Attended like any other: the rule does not ask how the
    person came to be on the register."""
    walk_in = attended(7, 1, 2, 3, 4)

    assert completions(walk_in + attended(8, 1), MI) == {
        7: Completion.COMPLETE,
        8: Completion.IN_PROGRESS,
    }


def test_sessions_after_the_as_of_date_do_not_count_yet():
    records = attended(1, 1, 2, 3) + attended(1, 4, on=TODAY)

    assert completion(records, MI, as_of=date(2026, 11, 29)) == Completion.IN_PROGRESS
    assert completion(records, MI, as_of=TODAY) == Completion.COMPLETE
    assert completion(records, MI) == Completion.COMPLETE
    assert completion(records, MI, as_of=date(2026, 8, 31)) == Completion.NOT_STARTED


def test_completions_keys_each_person_and_leaves_out_people_never_recorded():
    records = attended(1, 1, 2, 3, 4) + attended(2, 1) + attended(3, 1, status="absent")

    assert completions(records, MI) == {
        1: Completion.COMPLETE,
        2: Completion.IN_PROGRESS,
        3: Completion.NOT_STARTED,
    }


# ------------------------------------------------------------------ relevant staff and shares


def test_a_role_the_course_is_not_required_for_is_not_in_the_denominator():
    staff = [person(1), person(2), person(3, CO_ORDINATOR)]
    done = {1: Completion.COMPLETE, 3: Completion.COMPLETE}

    assert not is_relevant(staff[2], MI_ROLES, TODAY)
    assert trained_share(staff, done, MI_ROLES, TODAY) == Share(1, 2)


def test_a_leaver_stops_counting_from_their_leaving_date():
    leaver = person(1, leaving=TODAY)
    done = {1: Completion.COMPLETE}
    staff = [leaver, person(2)]

    assert is_relevant(leaver, MI_ROLES, date(2026, 11, 29))
    assert not is_relevant(leaver, MI_ROLES, TODAY)
    assert trained_share(staff, done, MI_ROLES, date(2026, 11, 29)) == Share(1, 2)
    assert trained_share(staff, done, MI_ROLES, TODAY) == Share(0, 1)


def test_a_new_starter_counts_as_untrained_from_their_start_date_and_not_before():
    starter = person(2, start=date(2026, 12, 7))
    staff = [person(1), starter]
    done = {1: Completion.COMPLETE}

    assert trained_share(staff, done, MI_ROLES, TODAY) == Share(1, 1)
    assert trained_share(staff, done, MI_ROLES, date(2026, 12, 7)) == Share(1, 2)


def test_people_with_no_dates_are_in_post():
    assert person(1).in_post(TODAY)
    assert is_relevant(person(1), MI_ROLES, TODAY)


def test_in_progress_is_not_trained_and_nobody_relevant_is_an_empty_share():
    staff = [person(1), person(2)]
    done = {1: Completion.IN_PROGRESS, 2: Completion.COMPLETE}

    assert trained_share(staff, done, MI_ROLES, TODAY) == Share(1, 2)
    empty = trained_share([person(3, CO_ORDINATOR)], done, MI_ROLES, TODAY)
    assert empty == Share(0, 0)
    assert empty.percent is None
    assert not empty.meets(70)


def test_seven_of_ten_trained_meets_the_70_percent_line_and_six_does_not():
    staff = [person(n) for n in range(10)]

    seven = trained_share(staff, {n: Completion.COMPLETE for n in range(7)}, MI_ROLES, TODAY)
    six = trained_share(staff, {n: Completion.COMPLETE for n in range(6)}, MI_ROLES, TODAY)

    assert seven.meets(70)
    assert not six.meets(70)


# ------------------------------------------------------------------ cost


def test_cohorts_are_the_first_module_sessions_held_by_today():
    sessions = [
        SessionCost(1, date(2026, 9, 1), 150_000),
        SessionCost(2, date(2026, 9, 8), 150_000),
        SessionCost(1, date(2026, 10, 1), 150_000),
        SessionCost(1, date(2026, 12, 1), 150_000),  # not held yet
    ]

    cost = course_cost(sessions, first_module=1, trained=3, today=TODAY)

    assert (cost.cohorts, cost.total_pence, cost.trained) == (2, 450_000, 3)
    assert cost.per_cohort_pence == 225_000
    assert cost.per_person_pence == 150_000


def test_a_session_held_today_is_counted():
    cost = course_cost([SessionCost(1, TODAY, 100)], first_module=1, trained=1, today=TODAY)

    assert (cost.cohorts, cost.total_pence) == (1, 100)


def test_no_cohorts_or_nobody_trained_gives_no_unit_cost_rather_than_dividing_by_zero():
    nothing = course_cost([], first_module=1, trained=0, today=TODAY)
    untrained = course_cost([SessionCost(1, EARLIER, 500)], 1, trained=0, today=TODAY)

    assert (nothing.cohorts, nothing.total_pence) == (0, 0)
    assert nothing.per_cohort_pence is None
    assert nothing.per_person_pence is None
    assert untrained.per_cohort_pence == 500
    assert untrained.per_person_pence is None


# ------------------------------------------------------------------ the courses file


def test_the_default_courses_are_mi_and_the_fs_workshops():
    courses = {course.key: course for course in load_courses(COURSES_FILE)}

    assert set(courses) == {"mi", "fs_workshops"}
    assert courses["mi"].criterion == "trained_mi_and_fs"
    assert courses["fs_workshops"].criterion == "trained_mi_and_fs"
    assert [m.number for m in courses["mi"].modules] == [1, 2, 3, 4]
    assert all(m.required for m in courses["mi"].modules)
    assert [m.required for m in courses["fs_workshops"].modules] == [True, True, True, False]
    assert courses["mi"].cost_per_cohort_pence == 600_000
    assert courses["mi"].capacity == 16
    assert courses["mi"].counted == ("present", "late")
    for course in courses.values():
        assert "team_coordinator" not in course.roles
        assert "social_worker" in course.roles


COURSE = """
[[courses]]
key = "mi"
name = "Motivational Interviewing"
source = "Test paper, 2020"
cost_source = "assumption"
cost_reason = "A test."
{extra}
modules = [{modules}]
"""


def parse(extra: str = "", modules: str = '{ number = 1, title = "Day 1" }'):
    return parse_courses(COURSE.format(extra=extra, modules=modules), "test.toml")


def test_a_course_takes_its_defaults():
    (course,) = parse()

    assert course.criterion is None
    assert course.capacity == 16
    assert course.counted == ("present", "late")
    assert course.roles == ()
    assert course.cost_per_cohort_pence == 0


def test_a_course_s_cost_is_read_in_pounds_and_kept_in_pence():
    (course,) = parse("cost_per_cohort = 1234.5")

    assert course.cost_per_cohort_pence == 123_450


@pytest.mark.parametrize(
    ("extra", "modules", "message"),
    [
        (
            "",
            '{ number = 1, title = "Day 1" }, { number = 1, title = "Day 1 again" }',
            "mi needs modules with distinct numbers",
        ),
        ("", "", "mi needs modules with distinct numbers"),
        ('criterion = "trained_yoga"', '{ number = 1, title = "Day 1" }', "unknown criterion"),
        ('counted = ["present", "asleep"]', '{ number = 1, title = "Day 1" }', "asleep"),
    ],
    ids=["duplicate-modules", "no-modules", "unknown-criterion", "unknown-status"],
)
def test_a_courses_file_that_does_not_make_sense_is_refused(extra, modules, message):
    with pytest.raises(SeedError, match=message) as raised:
        parse(extra, modules)

    assert str(raised.value).startswith("test.toml: ")


@pytest.mark.parametrize(
    ("saved", "offset", "words"),
    [
        (True, -3, "Register saved"),
        (True, 5, "Register saved"),
        (False, -1, "No register"),
        (False, 0, "Register open today"),
        (False, 1, "Opens on the day"),
    ],
)
def test_a_sessions_register_state_reads_the_same_on_the_page_and_in_downloads(
    saved, offset, words
):
    today = date(2026, 11, 30)
    state = register_state(today + timedelta(days=offset), saved, today)
    assert REGISTER_WORDS[state] == words
