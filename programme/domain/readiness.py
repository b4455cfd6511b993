"""The go-live gate: each criterion evaluated for a locality on a day, with the items behind any
shortfall. What a criterion is (its kinds and definition) is in `gate_criteria.py`; where the
gate is heading (projections, trends) in `readiness_outlook.py`; the default gate's seed file is
read by `gate_seed.py`.

Plain Python: the services load plain facts (posts, staff, attendance, milestones, sign-offs) and
this module decides. Percentages compare in whole numbers (`Share.meets`), never floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from programme.domain.formatting import long_date, share_text
from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.recruited_count import count_recruited, explain_recruited
from programme.domain.recruitment import (
    PostFacts,
    PostStatus,
    Share,
    counted_posts,
)
from programme.domain.timeline import MilestoneStatus, RagStatus
from programme.domain.training import (
    Attended,
    Completion,
    CourseRule,
    StaffFacts,
    completions,
    is_relevant,
    trained_share,
)

AMBER_POINTS = 10  # within this many points of its threshold, a criterion is amber


# --- The facts one locality's gate is decided on -----------------------------------------------


@dataclass(frozen=True)
class CourseFacts:
    """A course a training criterion names, with who attended and who is booked."""

    name: str
    rule: CourseRule
    roles: frozenset[int]
    attended: tuple[Attended, ...] = ()
    booked: tuple[Attended, ...] = ()  # enrolments on sessions still to come, as if attended


@dataclass(frozen=True, slots=True)
class MilestoneFacts:
    id: int
    title: str
    workstream_id: int
    status: str
    gate_critical: bool = False
    completed_on: date | None = None
    due: date | None = None

    def done_on(self, as_of: date) -> bool:
        """Done by a day: marked done, and completed then (or with no completion date kept)."""
        return self.status == MilestoneStatus.DONE and (
            self.completed_on is None or self.completed_on <= as_of
        )


@dataclass(frozen=True)
class SignOff:
    by: str
    on: date


@dataclass(frozen=True)
class LocalityException:
    """A locality excused from a criterion, or held to another threshold, for a stated reason."""

    reason: str
    threshold: int | None = None  # None with waived: the criterion does not apply here
    waived: bool = False


@dataclass(frozen=True)
class LocalityFacts:
    go_live: date
    posts: tuple[PostFacts, ...] = ()
    recruited: tuple[str, ...] = (PostStatus.APPOINTED.value, PostStatus.IN_POST.value)
    staff: tuple[StaffFacts, ...] = ()
    courses: Mapping[str, CourseFacts] = field(default_factory=dict)  # by course key
    milestones: tuple[MilestoneFacts, ...] = ()
    sign_offs: Mapping[str, SignOff] = field(default_factory=dict)  # by criterion key
    exceptions: Mapping[str, LocalityException] = field(default_factory=dict)


# --- Evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One item standing between a criterion and its threshold: a post, a person, a milestone."""

    kind: str  # "post", "staff", "milestone", "check"
    id: int | None
    label: str
    detail: str


def rag_of(share: Share, threshold: int, met: bool) -> RagStatus:
    """Green when met; amber within AMBER_POINTS of the threshold; red otherwise (and when there
    is nothing to count). Serves a result worked out today and a reading kept in a snapshot."""
    if met:
        return "green"
    if share.denominator and threshold - share.percent <= AMBER_POINTS:
        return "amber"
    return "red"


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    share: Share
    threshold: int  # after any locality exception
    met: bool
    shortfall: tuple[Shortfall, ...] = ()
    note: str | None = None  # why there is nothing to count, or what is excused
    exception: LocalityException | None = None
    parts: tuple[CoursePart, ...] = ()  # per course, beneath a criterion naming several
    # What the count leaves out, in words ("1 appointed, starts 11 Jan 2027, counts from then").
    explanation: str | None = None

    @property
    def parts_text(self) -> str:
        """The per-course shares in one line: "MI 80% (8 of 10) · FS workshops 75% (6 of 8)"."""
        return " · ".join(part.text for part in self.parts)

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def label(self) -> str:
        return self.criterion.label

    @property
    def actual(self) -> float:
        """The percentage rounded down to one decimal place, so it never shows a threshold
        reached that is not; 0 when there is nothing to count."""
        if self.share.denominator == 0:
            return 0
        tenths = 1000 * self.share.numerator // self.share.denominator
        return tenths // 10 if tenths % 10 == 0 else tenths / 10

    @property
    def rag(self) -> RagStatus:
        return rag_of(self.share, self.threshold, self.met)

    @property
    def gap(self) -> int:
        """How many more items the threshold needs (0 when met or when nothing is counted)."""
        if self.met or self.share.denominator == 0:
            return 0
        needed = -(-self.threshold * self.share.denominator // 100)  # ceiling
        return max(needed - self.share.numerator, 0)


@dataclass(frozen=True)
class Readiness:
    as_of: date
    results: tuple[CriterionResult, ...]

    @property
    def ready(self) -> bool:
        """Every criterion met (a gate with no criteria is not a gate passed)."""
        return bool(self.results) and all(result.met for result in self.results)

    @property
    def unmet(self) -> tuple[CriterionResult, ...]:
        return tuple(result for result in self.results if not result.met)


def evaluate(criteria: Iterable[Criterion], facts: LocalityFacts, as_of: date) -> Readiness:
    """Every criterion of the gate for one locality on one day."""
    return Readiness(as_of, tuple(evaluate_one(c, facts, as_of) for c in criteria))


def evaluate_one(criterion: Criterion, facts: LocalityFacts, as_of: date) -> CriterionResult:
    if criterion.kind is CriterionKind.TRAINED:
        # Each named course's completions worked out once, for the share and for its parts.
        named = _named_courses(criterion, facts)
        done = [completions(course.attended, course.rule, as_of) for course in named]
        share, shortfall, note = _trained_of(named, done, facts, as_of)
        parts = _parts(named, done, facts, as_of)
    else:
        share, shortfall, note = _MEASURES[criterion.kind](criterion, facts, as_of)
        parts = ()
    explanation = None
    if criterion.kind is CriterionKind.RECRUITED:
        explanation = explain_recruited(count_recruited(facts.posts, facts.recruited, as_of))
    exception = facts.exceptions.get(criterion.key)
    threshold = threshold_of(criterion, facts)
    if exception is not None and exception.waived:
        met, note = True, f"Waived: {exception.reason}"
    else:
        met = share.meets(threshold)
        if share.denominator == 0 and note is None:
            note = "Nothing to count yet."
    shortfall = () if met else shortfall
    return CriterionResult(
        criterion, share, threshold, met, shortfall, note, exception, parts, explanation
    )


def threshold_of(criterion: Criterion, facts: LocalityFacts) -> int:
    """The criterion's threshold here, after any exception (a waiver keeps the gate's: a waived
    criterion is met whatever its share)."""
    exception = facts.exceptions.get(criterion.key)
    if exception is not None and not exception.waived and exception.threshold is not None:
        return exception.threshold
    return criterion.threshold


Measured = tuple[Share, tuple[Shortfall, ...], str | None]


def _recruited(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    share = count_recruited(facts.posts, facts.recruited, as_of).share
    unfilled = tuple(
        Shortfall("post", post.id, post.label, _post_detail(post, as_of))
        for post in counted_posts(facts.posts)
        if not post.recruited_on(facts.recruited, as_of)
    )
    note = None if share.denominator else "No adult specialist posts are defined for this locality."
    return share, unfilled, note


def _post_detail(post: PostFacts, as_of: date) -> str:
    status = PostStatus(post.status_on(as_of))
    if post.start_date and post.start_date > as_of:
        return f"{status.label}, starts {long_date(post.start_date)}"
    return status.label


def _trained(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    """Relevant staff who completed every course the criterion names. A person is relevant when
    in post and in a role at least one of the courses is required for; they must complete each
    course required for their role (a course their role is not required for is not owed)."""
    named = _named_courses(criterion, facts)
    done = [completions(course.attended, course.rule, as_of) for course in named]
    return _trained_of(named, done, facts, as_of)


def _trained_of(
    named: list[CourseFacts], done: list[Mapping[int, Completion]], facts: LocalityFacts, as_of
) -> Measured:
    if not named:
        return Share(0, 0), (), "No course counts toward this criterion."
    trained = 0
    untrained = []
    for person in facts.staff:
        owed = [i for i, course in enumerate(named) if is_relevant(person, course.roles, as_of)]
        if not owed:
            continue
        missing = [i for i in owed if done[i].get(person.id) != Completion.COMPLETE]
        if not missing:
            trained += 1
            continue
        untrained.append(
            Shortfall("staff", person.id, person.label, _untrained(named, done, missing, person))
        )
    share = Share(trained, trained + len(untrained))
    names = " or ".join(course.name for course in named)
    note = None if share.denominator else f"No staff in this locality need {names}."
    return share, tuple(untrained), note


def _named_courses(criterion: Criterion, facts: LocalityFacts) -> list[CourseFacts]:
    return [facts.courses[key] for key in criterion.courses if key in facts.courses]


def _untrained(named, done, missing, person: StaffFacts) -> str:
    """How far a person is from trained: "In progress", or per course when there are several."""
    if len(named) == 1:
        return done[0].get(person.id, Completion.NOT_STARTED).label
    return "; ".join(
        f"{named[i].name}: {done[i].get(person.id, Completion.NOT_STARTED).label.lower()}"
        for i in missing
    )


@dataclass(frozen=True)
class CoursePart:
    """One course's own share beneath a training criterion that names several."""

    name: str
    share: Share

    @property
    def text(self) -> str:
        return f"{self.name} {share_text(self.share, nothing='nobody to train')}"


def course_parts(criterion: Criterion, facts: LocalityFacts, as_of: date) -> tuple[CoursePart, ...]:
    """Each named course's share of the staff it is required for, when there are several."""
    named = _named_courses(criterion, facts) if criterion.kind is CriterionKind.TRAINED else []
    if len(named) < 2:
        return ()
    done = [completions(course.attended, course.rule, as_of) for course in named]
    return _parts(named, done, facts, as_of)


def _parts(
    named: list[CourseFacts], done: list[Mapping[int, Completion]], facts: LocalityFacts, as_of
) -> tuple[CoursePart, ...]:
    if len(named) < 2:
        return ()
    return tuple(
        CoursePart(course.name, trained_share(facts.staff, found, course.roles, as_of))
        for course, found in zip(named, done, strict=True)
    )


def _milestones_done(milestones: Iterable[MilestoneFacts], as_of: date) -> Measured:
    milestones = list(milestones)
    open_ones = tuple(
        Shortfall("milestone", m.id, m.title, _milestone_detail(m))
        for m in milestones
        if not m.done_on(as_of)
    )
    return Share(len(milestones) - len(open_ones), len(milestones)), open_ones, None


def _milestone_detail(milestone: MilestoneFacts) -> str:
    if milestone.status == MilestoneStatus.DONE and milestone.completed_on:
        return f"Done later, on {long_date(milestone.completed_on)}"
    status = MilestoneStatus(milestone.status).label
    if milestone.due is None:
        return status
    return f"{status}, due {long_date(milestone.due)}"


def _gate_milestones(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    share, open_ones, _ = _milestones_done((m for m in facts.milestones if m.gate_critical), as_of)
    note = None if share.denominator else "No gate-critical milestones: apply a timeline template."
    return share, open_ones, note


def _named_milestone(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    wanted = (criterion.milestone_title or "").casefold().strip()
    named = [m for m in facts.milestones if m.title.casefold().strip() == wanted]
    share, open_ones, _ = _milestones_done(named, as_of)
    if not named:
        return share, (), f"This locality has no milestone called “{criterion.milestone_title}”."
    # Several milestones of one name count as one: done when all are.
    return Share(int(not open_ones), 1), open_ones, None


def _workstream(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    share, open_ones, _ = _milestones_done(
        (m for m in facts.milestones if m.workstream_id == criterion.workstream_id), as_of
    )
    note = None
    if not share.denominator:
        workstream = criterion.workstream_name or "the workstream"
        note = f"This locality has no milestones in {workstream}."
    return share, open_ones, note


def _manual_check(criterion: Criterion, facts: LocalityFacts, as_of: date) -> Measured:
    sign_off = facts.sign_offs.get(criterion.key)
    if sign_off is not None and sign_off.on <= as_of:
        signed = f"Signed off by {sign_off.by} on {long_date(sign_off.on)}."
        return Share(1, 1), (), signed
    waiting = Shortfall("check", None, criterion.label, f"Awaiting sign-off by {criterion.signer}")
    return Share(0, 1), (waiting,), None


_MEASURES = {
    CriterionKind.RECRUITED: _recruited,
    CriterionKind.TRAINED: _trained,
    CriterionKind.GATE_MILESTONES: _gate_milestones,
    CriterionKind.MILESTONE: _named_milestone,
    CriterionKind.WORKSTREAM: _workstream,
    CriterionKind.MANUAL_CHECK: _manual_check,
}
