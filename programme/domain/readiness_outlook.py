"""Where a locality's readiness is heading: the day each criterion's threshold is projected to be
met from events already known, and the trend of its daily snapshots as a small chart's geometry.

Plain Python, like the evaluation it builds on (`domain/readiness.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from programme.domain.gate_criteria import NOT_FORECAST, OFFER_MADE, Criterion
from programme.domain.readiness import LocalityFacts, Readiness, evaluate_one, threshold_of
from programme.domain.recruitment import PostStatus
from programme.domain.share_timeline import shares_on
from programme.domain.timeline import MilestoneStatus

# --- Projection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """When a criterion's threshold is expected to be met, from what is already known: offers
    with start dates, booked training and milestones' due dates. A projection, not a promise."""

    key: str
    on: date | None  # None: not reached by the events known
    met_now: bool
    go_live: date
    forecast: bool = True  # False for criteria nothing dated can foresee (a sign-off)

    @property
    def reachable_by_go_live(self) -> bool:
        return self.on is not None and self.on <= self.go_live


def expected(facts: LocalityFacts, today: date) -> LocalityFacts:
    """The facts as they will be if every offer starts on its start date, everyone booked on a
    training session attends it, and every open milestone not yet overdue is done on its due
    date (an overdue one has no date left to expect it on)."""
    posts = tuple(
        replace(post, history=(*post.history, (post.start_date, PostStatus.IN_POST.value)))
        if post.start_date is not None and post.status in OFFER_MADE
        else post
        for post in facts.posts
    )
    courses = {
        key: replace(course, attended=course.attended + course.booked)
        for key, course in facts.courses.items()
    }
    milestones = tuple(
        replace(m, status=MilestoneStatus.DONE.value, completed_on=m.due)
        if not m.done_on(today) and m.due is not None and m.due >= today
        else m
        for m in facts.milestones
    )
    return replace(facts, posts=posts, courses=courses, milestones=milestones)


def event_days(facts: LocalityFacts, since: date) -> list[date]:
    """The days from `since` on (inclusive) on which something known will change a share."""
    days = {post.start_date for post in facts.posts if post.start_date}
    days |= {person.start_date for person in facts.staff if person.start_date}
    days |= {person.leaving_date for person in facts.staff if person.leaving_date}
    days |= {a.on for course in facts.courses.values() for a in course.booked}
    days |= {m.due for m in facts.milestones if m.due}
    return sorted(day for day in days if day >= since)


def project(
    criteria: Iterable[Criterion],
    facts: LocalityFacts,
    today: date,
    readiness: Readiness | None = None,
) -> list[Projection]:
    """For each criterion, the first known day on which it will be met. `readiness`, the
    locality's evaluated on `today` when the caller has it, says what is met now; the days to
    come are swept once per criterion (`share_timeline`), never evaluated one by one."""
    criteria = list(criteria)
    met_today = _met_today(criteria, facts, today, readiness)
    future = expected(facts, today)
    days = event_days(facts, today)
    projections = []
    for criterion in criteria:
        if met_today[criterion.key]:
            projections.append(Projection(criterion.key, today, True, facts.go_live))
        elif criterion.kind in NOT_FORECAST:
            projections.append(Projection(criterion.key, None, False, facts.go_live, False))
        else:
            threshold = threshold_of(criterion, facts)
            shares = zip(days, shares_on(criterion, future, days), strict=True)
            on = next((day for day, share in shares if share.meets(threshold)), None)
            projections.append(Projection(criterion.key, on, False, facts.go_live))
    return projections


def _met_today(
    criteria: list[Criterion], facts: LocalityFacts, today: date, readiness: Readiness | None
) -> dict[str, bool]:
    if readiness is not None and readiness.as_of == today:
        known = {result.key: result.met for result in readiness.results}
        if all(criterion.key in known for criterion in criteria):
            return known
    return {criterion.key: evaluate_one(criterion, facts, today).met for criterion in criteria}


# --- Trend -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    on: date
    actual: float


@dataclass(frozen=True)
class Sparkline:
    """A small line chart's geometry, in SVG user units."""

    width: int
    height: int
    points: str  # for <polyline points="...">
    threshold_y: float
    first: TrendPoint | None
    last: TrendPoint | None


def sparkline(
    trend: list[TrendPoint], threshold: int, width: int = 160, height: int = 40
) -> Sparkline:
    """Percentages over time on a 0-100 scale, oldest on the left; days spaced by date."""

    def y(percent: float) -> float:
        return round(height - percent * height / 100, 1)

    if not trend:
        return Sparkline(width, height, "", y(threshold), None, None)
    start, end = trend[0].on, trend[-1].on
    span = max((end - start).days, 1)
    points = " ".join(
        f"{round((point.on - start).days * width / span, 1)},{y(point.actual)}" for point in trend
    )
    return Sparkline(width, height, points, y(threshold), trend[0], trend[-1])


def days_to(day: date, today: date) -> int:
    return (day - today).days
