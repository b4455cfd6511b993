"""Each criterion's share on a run of days, worked out in one sweep rather than day by day.

The projection (`readiness_outlook.project`) asks on which of the coming event days a criterion
is first met. Evaluating the whole criterion afresh for each day (every attendance record read
again, every shortfall line written again) costs days × staff × attendance. Here each item a
share counts (a post, a person, a milestone) is looked at once: its contribution is read at the
first day and again only at the days it can change (a history step, a start or leaving date, the
day a course is completed, a completion date), and the changes are summed along the sorted days.

Each contribution is read with the same rule the evaluation uses (`PostFacts.recruited_on`,
`StaffFacts.in_post`, `MilestoneFacts.done_on`, the completion rule of `training.py`), so a share
here is the share `readiness.evaluate_one` gives on that day: tests compare the two on random
programmes. Shares only; the shortfall lists are the evaluation's, written once, for today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.readiness import CourseFacts, LocalityFacts
from programme.domain.recruitment import Share, counted_posts
from programme.domain.training import Attended, CourseRule

# One item's contribution to a share on a day: (counted as done, counted at all), each 0 or 1.
Contribution = Callable[[date], tuple[int, int]]


def shares_on(criterion: Criterion, facts: LocalityFacts, days: Sequence[date]) -> list[Share]:
    """The criterion's share on each of `days` (sorted, ascending) for a criterion whose share
    facts can foresee: every kind but a manual check."""
    if not days:
        return []
    items = _ITEMS[criterion.kind](criterion, facts)
    if items is None:  # counted as one item whatever it holds (a named milestone)
        return [Share(0, 0)] * len(days)
    return _sweep(items, days)


def _sweep(items: Iterable[tuple[Contribution, Iterable[date | None]]], days: Sequence[date]):
    """Sum each item's contribution on the first day, then add its changes as the days pass."""
    first = days[0]
    done = counted = 0
    changes: dict[date, list[int]] = {}
    for contribution, turns in items:
        was_done, was_counted = contribution(first)
        done, counted = done + was_done, counted + was_counted
        for turn in sorted({day for day in turns if day is not None and day > first}):
            now_done, now_counted = contribution(turn)
            if (now_done, now_counted) != (was_done, was_counted):
                change = changes.setdefault(turn, [0, 0])
                change[0] += now_done - was_done
                change[1] += now_counted - was_counted
                was_done, was_counted = now_done, now_counted
    pending = sorted(changes)
    shares, next_change = [], 0
    for day in days:
        while next_change < len(pending) and pending[next_change] <= day:
            change = changes[pending[next_change]]
            done, counted = done + change[0], counted + change[1]
            next_change += 1
        shares.append(Share(done, counted))
    return shares


# --- What each kind of criterion counts --------------------------------------------------------


def _recruited_posts(criterion: Criterion, facts: LocalityFacts):
    """Counted adult specialist posts; recruited when `recruited_on` says so, which changes only
    on a step of the post's history or its start date."""
    recruited = set(facts.recruited)
    for post in counted_posts(facts.posts):
        turns = [changed_on for changed_on, _status in post.history]
        turns.append(post.start_date)
        yield (lambda day, post=post: (int(post.recruited_on(recruited, day)), 1)), turns


def _trained_staff(criterion: Criterion, facts: LocalityFacts):
    """Staff in a role one of the named courses is required for, counted while in post; trained
    from the day they have completed every named course their role needs."""
    named = [facts.courses[key] for key in criterion.courses if key in facts.courses]
    if not named:
        return
    completed = [_completed_on(course) for course in named]
    for person in facts.staff:
        owed = [i for i, course in enumerate(named) if person.role_id in course.roles]
        if not owed:
            continue
        days = [completed[i].get(person.id) for i in owed]
        trained_from = None if None in days else max(days)

        def contribution(day, person=person, trained_from=trained_from):
            if not person.in_post(day):
                return 0, 0
            return int(trained_from is not None and trained_from <= day), 1

        yield contribution, (person.start_date, person.leaving_date, trained_from)


def _completed_on(course: CourseFacts) -> dict[int, date]:
    """The day each person completed the course (`training.completion_of`): the day the last of
    its required modules was first attended with a counted status. People who have not are
    left out; a course with no required module is never completed."""
    return completed_on(course.attended, course.rule)


def completed_on(attended: Iterable[Attended], rule: CourseRule) -> dict[int, date]:
    if not rule.required_modules:
        return {}
    required, counted = rule.required_modules, rule.counted
    first: dict[int, dict[int, date]] = {}  # staff id -> module -> first counted day
    for record in attended:
        if record.module in required and record.status in counted:
            modules = first.setdefault(record.staff_id, {})
            known = modules.get(record.module)
            if known is None or record.on < known:
                modules[record.module] = record.on
    return {
        staff_id: max(modules.values())
        for staff_id, modules in first.items()
        if len(modules) == len(required)
    }


def _milestone_items(milestones):
    for milestone in milestones:
        yield (
            (lambda day, m=milestone: (int(m.done_on(day)), 1)),
            (milestone.completed_on,),
        )


def _gate_milestones(criterion: Criterion, facts: LocalityFacts):
    return _milestone_items(m for m in facts.milestones if m.gate_critical)


def _workstream(criterion: Criterion, facts: LocalityFacts):
    wanted = criterion.workstream_id
    return _milestone_items(m for m in facts.milestones if m.workstream_id == wanted)


def _named_milestone(criterion: Criterion, facts: LocalityFacts):
    """Several milestones of one name count as one item, done when all are."""
    wanted = (criterion.milestone_title or "").casefold().strip()
    named = [m for m in facts.milestones if m.title.casefold().strip() == wanted]
    if not named:
        return None

    def contribution(day):
        return int(all(m.done_on(day) for m in named)), 1

    return [(contribution, [m.completed_on for m in named])]


_ITEMS = {
    CriterionKind.RECRUITED: _recruited_posts,
    CriterionKind.TRAINED: _trained_staff,
    CriterionKind.GATE_MILESTONES: _gate_milestones,
    CriterionKind.MILESTONE: _named_milestone,
    CriterionKind.WORKSTREAM: _workstream,
}
