"""The projection sweeps each criterion's share over the coming event days (`share_timeline`)
instead of evaluating the criterion afresh on each day. On random programmes (a fixed seed, so
the run is repeatable) it must give exactly what the day-by-day evaluation gave: the same share
on every day and the same projected dates. The day-by-day projection is kept here as the oracle.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from programme.domain.gate_criteria import NOT_FORECAST, Criterion, CriterionKind
from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    SignOff,
    evaluate,
    evaluate_one,
)
from programme.domain.readiness_outlook import Projection, event_days, expected, project
from programme.domain.recruitment import PostFacts, PostStatus
from programme.domain.share_timeline import shares_on
from programme.domain.timeline import MilestoneStatus
from programme.domain.training import ATTENDANCE_STATUSES, Attended, CourseRule, StaffFacts

TODAY = date(2026, 11, 30)
ROLES = (1, 2, 3)
TITLES = ("Agreement signed", "Case system ready", "Launch event")

CRITERIA = (
    Criterion("recruited", "Recruited", CriterionKind.RECRUITED, 70),
    Criterion("trained_mi", "MI", CriterionKind.TRAINED, 60, courses=("mi",)),
    Criterion("trained_both", "Both", CriterionKind.TRAINED, 50, courses=("mi", "fs", "gone")),
    Criterion("trained_none", "None", CriterionKind.TRAINED, 50, courses=("gone",)),
    Criterion("gate", "Gate milestones", CriterionKind.GATE_MILESTONES, 100),
    Criterion("gate_most", "Most gate milestones", CriterionKind.GATE_MILESTONES, 60),
    Criterion("agreement", "Agreement", CriterionKind.MILESTONE, 100, TITLES[0]),
    Criterion("absent", "Absent", CriterionKind.MILESTONE, 100, "No such milestone"),
    Criterion("workstream", "Workstream", CriterionKind.WORKSTREAM, 75, workstream_id=1),
    Criterion("check", "Check", CriterionKind.MANUAL_CHECK, 100, signer="Chair"),
)


def project_by_evaluation(criteria, facts: LocalityFacts, today: date) -> list[Projection]:
    """The projection as it was: every criterion evaluated in full on each event day in turn."""
    future = expected(facts, today)
    days = event_days(facts, today)
    projections = []
    for criterion in criteria:
        if evaluate_one(criterion, facts, today).met:
            projections.append(Projection(criterion.key, today, True, facts.go_live))
        elif criterion.kind in NOT_FORECAST:
            projections.append(Projection(criterion.key, None, False, facts.go_live, False))
        else:
            on = next((day for day in days if evaluate_one(criterion, future, day).met), None)
            projections.append(Projection(criterion.key, on, False, facts.go_live))
    return projections


def _day(rng: random.Random, spread: int = 90) -> date:
    return TODAY + timedelta(days=rng.randint(-spread, spread))


def _maybe_day(rng: random.Random, chance: float = 0.5) -> date | None:
    return _day(rng) if rng.random() < chance else None


def _post(rng: random.Random, number: int) -> PostFacts:
    # History steps in any order (as `expected` leaves them), sometimes none at all.
    history = tuple(
        (_day(rng), rng.choice(list(PostStatus)).value) for _ in range(rng.randint(0, 3))
    )
    return PostFacts(
        status=rng.choice(list(PostStatus)).value,
        adult_specialist=rng.random() < 0.8,
        frozen=rng.random() < 0.1,
        start_date=_maybe_day(rng, 0.6),
        history=history,
        id=number,
        label=f"Post {number}",
    )


def _attended(rng: random.Random, staff: list[StaffFacts], future: bool) -> tuple[Attended, ...]:
    records = []
    for person in staff:
        for module in range(1, 5):
            for _ in range(rng.choice((0, 1, 1, 2))):
                day = TODAY + timedelta(days=rng.randint(1, 60) if future else -rng.randint(0, 90))
                status = "present" if future else rng.choice(ATTENDANCE_STATUSES).value
                records.append(Attended(person.id, module, status, day))
    rng.shuffle(records)
    return tuple(records)


def _course(rng: random.Random, name: str, staff: list[StaffFacts]) -> CourseFacts:
    required = frozenset(rng.sample(range(1, 5), rng.choice((0, 1, 2, 3, 4))))
    return CourseFacts(
        name,
        CourseRule(required),
        frozenset(rng.sample(ROLES, rng.randint(1, 3))),
        attended=_attended(rng, staff, future=False),
        booked=_attended(rng, staff, future=True),
    )


def _milestone(rng: random.Random, number: int) -> MilestoneFacts:
    status = rng.choice(list(MilestoneStatus)).value
    return MilestoneFacts(
        id=number,
        title=rng.choice(TITLES),
        workstream_id=rng.choice((1, 2)),
        status=status,
        gate_critical=rng.random() < 0.6,
        completed_on=_maybe_day(rng),
        due=_maybe_day(rng, 0.8),
    )


def _exceptions(rng: random.Random) -> dict[str, LocalityException]:
    exceptions = {}
    for criterion in CRITERIA:
        draw = rng.random()
        if draw < 0.1:
            exceptions[criterion.key] = LocalityException("Waived", waived=True)
        elif draw < 0.25:
            exceptions[criterion.key] = LocalityException("Lower", threshold=rng.randint(0, 100))
    return exceptions


def random_locality(seed: int) -> LocalityFacts:
    rng = random.Random(seed)
    staff = [
        StaffFacts(
            number, rng.choice(ROLES), _maybe_day(rng, 0.7), _maybe_day(rng, 0.3), f"P{number}"
        )
        for number in range(rng.randint(0, 25))
    ]
    return LocalityFacts(
        go_live=TODAY + timedelta(days=45),
        posts=tuple(_post(rng, number) for number in range(rng.randint(0, 15))),
        staff=tuple(staff),
        courses={"mi": _course(rng, "MI", staff), "fs": _course(rng, "FS", staff)},
        milestones=tuple(_milestone(rng, number) for number in range(rng.randint(0, 8))),
        sign_offs={"check": SignOff("Chair", _day(rng))} if rng.random() < 0.5 else {},
        exceptions=_exceptions(rng),
    )


SEEDS = range(300)


@pytest.mark.parametrize("seed", SEEDS[::10])
def test_each_share_swept_over_the_days_is_the_share_evaluated_on_each_day(seed):
    for offset in range(10):
        facts = expected(random_locality(seed + offset), TODAY)
        days = event_days(facts, TODAY - timedelta(days=30))
        for criterion in CRITERIA:
            if criterion.kind in NOT_FORECAST:
                continue
            swept = shares_on(criterion, facts, days)
            assert swept == [evaluate_one(criterion, facts, day).share for day in days], (
                seed + offset,
                criterion.key,
            )


@pytest.mark.parametrize("seed", SEEDS[::10])
def test_the_swept_projection_gives_the_dates_the_day_by_day_one_gave(seed):
    for offset in range(10):
        facts = random_locality(seed + offset)
        oracle = project_by_evaluation(CRITERIA, facts, TODAY)
        assert project(CRITERIA, facts, TODAY) == oracle, seed + offset
        # Given today's readiness (as the locality page does), the same projections.
        assert project(CRITERIA, facts, TODAY, evaluate(CRITERIA, facts, TODAY)) == oracle


def test_random_programmes_project_met_and_unmet_criteria_of_every_kind():
    """The random programmes are varied enough to test anything: some criteria met today, some
    projected to a later day, some not reached by the events known."""
    outcomes = set()
    for seed in SEEDS:
        for projection in project(CRITERIA, random_locality(seed), TODAY):
            met_later = projection.on is not None and not projection.met_now
            outcomes.add((projection.key, projection.met_now, met_later))
    kinds_met_later = {key for key, _now, later in outcomes if later}
    assert {"recruited", "trained_mi", "trained_both", "gate", "workstream"} <= kinds_met_later
    assert {key for key, now, _later in outcomes if now} >= {"recruited", "trained_mi", "check"}


def test_a_readiness_of_another_day_is_not_taken_for_todays():
    facts = random_locality(7)
    yesterday = evaluate(CRITERIA, facts, TODAY - timedelta(days=1))
    oracle = project_by_evaluation(CRITERIA, facts, TODAY)
    assert project(CRITERIA, facts, TODAY, yesterday) == oracle
