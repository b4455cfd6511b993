"""A recruited figure says what it leaves out, and the parts add up to the count behind it."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.readiness import LocalityFacts, evaluate_one
from programme.domain.recruited_count import count_recruited, explain_recruited
from programme.domain.recruitment import PostFacts, PostStatus, Share, adult_specialists_recruited

TODAY = date(2026, 11, 30)
JANUARY = date(2027, 1, 11)
FEBRUARY = date(2027, 2, 1)
RECRUITED = ("appointed", "in_post")
CRITERION = Criterion(
    "adult_specialists_recruited", "Adult specialist workers recruited", CriterionKind.RECRUITED, 70
)


def post(status: str = "in_post", *, adult: bool = True, frozen: bool = False, start=None):
    return PostFacts(status, adult, frozen, start)


def test_five_of_six_with_one_starting_later_and_one_frozen_says_so():
    posts = [post() for _ in range(5)] + [
        post("appointed", start=JANUARY),
        post("in_post", frozen=True),
        post("vacant", adult=False),  # a social worker: not an adult specialist post at all
    ]

    counted = count_recruited(posts, RECRUITED, TODAY)

    assert counted.share == Share(5, 6)
    assert explain_recruited(counted) == (
        "5 of 6 recruited; 1 appointed, starts 11 Jan 2027, counts from then; "
        "1 frozen post not counted"
    )


def test_posts_still_to_recruit_are_counted_by_status():
    posts = [
        post(),
        post("vacant"),
        post("advertised"),
        post("vacant"),
        post("appointed", start=FEBRUARY),
        post("appointed", start=JANUARY),
    ]

    counted = count_recruited(posts, RECRUITED, TODAY)

    assert explain_recruited(counted) == (
        "1 of 6 recruited; 2 appointed, start 11 Jan 2027 and 1 Feb 2027, count from then; "
        "3 not recruited yet (2 vacant and 1 advertised)"
    )
    assert counted.not_started == 2
    assert counted.to_recruit == 3


def test_many_start_dates_are_given_as_a_range():
    starts = [date(2027, 1, day) for day in (4, 11, 18, 25)]
    posts = [post("appointed", start=day) for day in starts]

    text = explain_recruited(count_recruited(posts, RECRUITED, TODAY))

    assert text == (
        "0 of 4 recruited; 4 appointed, start between 4 Jan 2027 and 25 Jan 2027, count from then"
    )


def test_a_figure_with_nothing_left_out_needs_no_sentence():
    assert explain_recruited(count_recruited([post(), post()], RECRUITED, TODAY)) is None
    assert explain_recruited(count_recruited([post(adult=False)], RECRUITED, TODAY)) is None


def test_only_frozen_posts_says_none_is_counted():
    counted = count_recruited([post(frozen=True), post(frozen=True)], RECRUITED, TODAY)

    assert counted.share == Share(0, 0)
    assert (
        explain_recruited(counted)
        == "No adult specialist posts counted; 2 frozen posts not counted"
    )


def test_a_programme_counting_only_in_post_lists_appointed_posts_as_not_recruited():
    posts = [post(), post("appointed", start=JANUARY), post("appointed")]

    counted = count_recruited(posts, ("in_post",), TODAY)

    assert explain_recruited(counted) == "1 of 3 recruited; 2 not recruited yet (2 appointed)"


def test_as_of_a_day_the_posts_are_counted_by_their_status_then():
    history = ((date(2026, 9, 1), "advertised"), (date(2026, 11, 1), "in_post"))
    moved = PostFacts("in_post", True, False, None, history)

    assert explain_recruited(count_recruited([moved, post()], RECRUITED, date(2026, 10, 1))) == (
        "1 of 2 recruited; 1 not recruited yet (1 advertised)"
    )


STATUSES = [status.value for status in PostStatus]


@pytest.mark.parametrize("recruited", [RECRUITED, ("in_post",), ("offered", "appointed")])
def test_the_parts_always_add_up_to_the_count_and_match_the_share_the_gate_uses(recruited):
    starts = [None, date(2026, 6, 1), TODAY, JANUARY]
    posts = [
        PostFacts(status, adult, frozen, start)
        for status, adult, frozen, start in product(STATUSES, (True, False), (True, False), starts)
    ]
    for as_of in (None, date(2026, 7, 1), TODAY, date(2027, 6, 1)):
        counted = count_recruited(posts, recruited, as_of)

        assert counted.adds_up
        assert counted.share == adult_specialists_recruited(posts, recruited, as_of)
        assert counted.frozen == sum(1 for p in posts if p.adult_specialist and p.frozen)


def test_the_gate_s_recruited_criterion_carries_the_sentence_and_others_do_not():
    facts = LocalityFacts(
        go_live=date(2027, 1, 4),
        posts=(post(), post("appointed", start=JANUARY), post("vacant", frozen=True)),
    )

    result = evaluate_one(CRITERION, facts, TODAY)
    milestones = evaluate_one(
        Criterion("gate", "Gate milestones", CriterionKind.GATE_MILESTONES, 100), facts, TODAY
    )

    assert result.share == Share(1, 2)
    assert result.explanation == (
        "1 of 2 recruited; 1 appointed, starts 11 Jan 2027, counts from then; "
        "1 frozen post not counted"
    )
    assert milestones.explanation is None
