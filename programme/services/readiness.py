"""The go-live gate: its criteria and exceptions, each locality's readiness, the board's view,
go-live decisions and daily snapshots.

Readiness is always loaded for a set of localities at once, in a fixed number of queries, and
decided by `programme.domain.readiness`; the locality page, the board, the CLI, the JSON routes and
the snapshot job all go through `readiness_of`, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.readiness import (
    ADDABLE_KINDS,
    CourseFacts,
    Criterion,
    CriterionKind,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    Projection,
    Readiness,
    SignOff,
    Sparkline,
    TrendPoint,
    check_threshold,
    criterion_document,
    evaluate,
    evidence,
    load_gate,
    project,
    sparkline,
)
from programme.domain.recruitment import PostFacts, SeedError
from programme.domain.slugs import slugify
from programme.domain.training import Attended, StaffFacts
from programme.extensions import db
from programme.models import (
    Attendance,
    CheckSignOff,
    CourseModule,
    GateCriterion,
    GateException,
    GoLiveDecision,
    Locality,
    Milestone,
    Post,
    PostStatusChange,
    Programme,
    ReadinessSnapshot,
    Role,
    StaffMember,
    Team,
    TrainingSession,
    User,
    Workstream,
)
from programme.models._columns import utcnow
from programme.seed_files import GATE_FILE
from programme.services import audit, training
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional

# Who may record a go-live decision: the operational board (and administrators).
DECIDERS = frozenset({"board_member", "admin"})
TREND_DAYS = 90

# --- The gate's definition ----------------------------------------------------------------------


@cache
def default_gate() -> tuple[Criterion, ...]:
    return load_gate(GATE_FILE)


def install_gate(programme: Programme) -> None:
    """Give a new programme the default criteria from seed/gate.toml."""
    for position, criterion in enumerate(default_gate()):
        db.session.add(
            GateCriterion(
                programme=programme,
                key=criterion.key,
                label=criterion.label,
                kind=criterion.kind.value,
                threshold=criterion.threshold,
                position=position,
                standard=True,
            )
        )


def gate(programme: Programme) -> list[GateCriterion]:
    return list(
        db.session.scalars(
            select(GateCriterion)
            .where(GateCriterion.programme_id == programme.id)
            .options(joinedload(GateCriterion.workstream), joinedload(GateCriterion.signer))
            .order_by(GateCriterion.position, GateCriterion.id)
        )
    )


def get_criterion(programme: Programme, criterion_id: int) -> GateCriterion:
    return get_within(
        GateCriterion,
        criterion_id,
        "programme_id",
        programme.id,
        f"{programme.name}'s gate has no criterion {criterion_id}.",
    )


def _checked_threshold(threshold: int | None) -> int:
    if threshold is None:
        raise ServiceError("Enter a threshold from 0 to 100.", "threshold")
    try:
        check_threshold(threshold)
    except SeedError:
        raise ServiceError("Enter a threshold from 0 to 100.", "threshold") from None
    return threshold


def _refuse_if_stale(record, expected_version: int | None, what: str) -> None:
    if expected_version is not None and record.version != expected_version:
        raise Conflict(
            f"Someone else changed {what} since you opened this page. Nothing was saved: "
            "check the current values and try again."
        )


@transactional
def set_threshold(
    criterion: GateCriterion, threshold: int | None, actor: User | None, expected_version=None
) -> bool:
    """Change a criterion's threshold; False when it already had that threshold."""
    threshold = _checked_threshold(threshold)
    _refuse_if_stale(criterion, expected_version, f"“{criterion.label}”")
    if threshold == criterion.threshold:
        return False
    before = criterion.threshold
    criterion.threshold = threshold
    audit.record(
        actor,
        "update",
        "gate_criterion",
        criterion.id,
        f"Changed the threshold of “{criterion.label}” from {before}% to {threshold}%",
        programme_id=criterion.programme_id,
        before={"threshold": before},
        after={"threshold": threshold},
    )
    return True


@dataclass
class NewCriterion:
    kind: str
    label: str
    threshold: int | None = None
    milestone_title: str | None = None
    workstream_id: int | None = None
    signer_email: str | None = None


def _new_criterion_fields(programme: Programme, new: NewCriterion) -> dict:
    try:
        kind = CriterionKind(new.kind)
    except ValueError:
        kind = None
    if kind not in ADDABLE_KINDS:
        raise ServiceError("Choose what kind of criterion to add.", "kind")
    label = (new.label or "").strip()
    if not label:
        raise ServiceError("Enter what the criterion checks, for example “ISA signed”.", "label")
    fields = {"kind": kind.value, "label": label, "threshold": 100}
    if kind is CriterionKind.WORKSTREAM:
        fields["threshold"] = _checked_threshold(new.threshold)
        if new.workstream_id is None:
            raise ServiceError("Choose the workstream whose milestones count.", "workstream_id")
        get_within(
            Workstream,
            new.workstream_id,
            "programme_id",
            programme.id,
            "Choose a workstream of this programme.",
        )
        fields["workstream_id"] = new.workstream_id
    elif kind is CriterionKind.MILESTONE:
        title = (new.milestone_title or "").strip()
        if not title:
            raise ServiceError("Enter the milestone's title.", "milestone_title")
        fields["milestone_title"] = title
    else:
        signer = db.session.scalar(
            select(User).where(User.email == (new.signer_email or "").strip().lower())
        )
        if signer is None or not signer.active:
            raise ServiceError(
                "Enter the e-mail address of the user who must sign the check off.",
                "signer_email",
            )
        fields["signer_id"] = signer.id
    return fields


def _unique_key(programme: Programme, label: str) -> str:
    base = slugify(label).replace("-", "_")[:60] or "criterion"
    taken = set(
        db.session.scalars(
            select(GateCriterion.key).where(GateCriterion.programme_id == programme.id)
        )
    )
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


@transactional
def add_criterion(programme: Programme, new: NewCriterion, actor: User | None) -> GateCriterion:
    fields = _new_criterion_fields(programme, new)
    position = len(gate(programme))
    criterion = GateCriterion(
        programme_id=programme.id,
        key=_unique_key(programme, fields["label"]),
        position=position,
        standard=False,
        **fields,
    )
    db.session.add(criterion)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "gate_criterion",
        criterion.id,
        f"Added “{criterion.label}” to the go-live gate",
        programme_id=programme.id,
        after={**fields, "key": criterion.key},
    )
    return criterion


@transactional
def remove_criterion(criterion: GateCriterion, actor: User | None) -> None:
    if criterion.standard:
        raise ServiceError(
            f"“{criterion.label}” is one of the gate's standard criteria: change its threshold, "
            "or set an exception for a locality, instead of removing it."
        )
    audit.record(
        actor,
        "delete",
        "gate_criterion",
        criterion.id,
        f"Removed “{criterion.label}” from the go-live gate",
        programme_id=criterion.programme_id,
        before={"key": criterion.key, "label": criterion.label, "threshold": criterion.threshold},
    )
    db.session.delete(criterion)


# --- Locality exceptions and sign-offs ---------------------------------------------------------


def _exception(locality: Locality, criterion: GateCriterion) -> GateException | None:
    return db.session.scalar(
        select(GateException).where(
            GateException.locality_id == locality.id,
            GateException.criterion_id == criterion.id,
        )
    )


def exceptions(locality: Locality) -> list[GateException]:
    return list(
        db.session.scalars(
            select(GateException)
            .where(GateException.locality_id == locality.id)
            .options(joinedload(GateException.criterion), joinedload(GateException.set_by))
        )
    )


@transactional
def set_exception(
    locality: Locality,
    criterion: GateCriterion,
    reason: str,
    actor: User | None,
    *,
    threshold: int | None = None,
    waived: bool = False,
) -> GateException:
    """Hold one locality to another threshold for a criterion, or excuse it, for a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Give the reason for the exception; the board will read it.", "reason")
    threshold = None if waived else _checked_threshold(threshold)
    exception = _exception(locality, criterion)
    before = (
        {"threshold": exception.threshold, "waived": exception.waived, "reason": exception.reason}
        if exception
        else None
    )
    if exception is None:
        exception = GateException(locality_id=locality.id, criterion_id=criterion.id)
        db.session.add(exception)
    exception.threshold, exception.waived, exception.reason = threshold, waived, reason
    exception.set_by_id, exception.set_at = (actor.id if actor else None), utcnow()
    what = "waived" if waived else f"threshold {threshold}%"
    audit.record(
        actor,
        "exception",
        "gate_criterion",
        criterion.id,
        f"{locality.name}: “{criterion.label}” {what} ({reason})",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before=before,
        after={"threshold": threshold, "waived": waived, "reason": reason},
    )
    return exception


@transactional
def clear_exception(locality: Locality, criterion: GateCriterion, actor: User | None) -> None:
    exception = _exception(locality, criterion)
    if exception is None:
        raise NotFound(f"{locality.name} has no exception for “{criterion.label}”.")
    audit.record(
        actor,
        "exception_cleared",
        "gate_criterion",
        criterion.id,
        f"{locality.name}: “{criterion.label}” back to the programme's threshold",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before={"threshold": exception.threshold, "waived": exception.waived},
    )
    db.session.delete(exception)


def _sign_off(locality: Locality, criterion: GateCriterion) -> CheckSignOff | None:
    return db.session.scalar(
        select(CheckSignOff).where(
            CheckSignOff.locality_id == locality.id, CheckSignOff.criterion_id == criterion.id
        )
    )


def _check_signer(criterion: GateCriterion, actor: User) -> None:
    if criterion.kind != CriterionKind.MANUAL_CHECK:
        raise ServiceError(f"“{criterion.label}” is not a check to sign off.")
    if criterion.signer_id != actor.id:
        signer = criterion.signer.name if criterion.signer else "the person it names"
        raise ServiceError(f"Only {signer} can sign off “{criterion.label}”.")


@transactional
def sign_off(
    locality: Locality, criterion: GateCriterion, actor: User, today: date, note: str = ""
) -> CheckSignOff:
    _check_signer(criterion, actor)
    if _sign_off(locality, criterion) is not None:
        raise Conflict(f"“{criterion.label}” is already signed off for {locality.name}.")
    signed = CheckSignOff(
        locality_id=locality.id,
        criterion_id=criterion.id,
        signed_by_id=actor.id,
        signed_by_name=actor.name,
        signed_on=today,
        note=(note or "").strip(),
    )
    db.session.add(signed)
    audit.record(
        actor,
        "sign_off",
        "gate_criterion",
        criterion.id,
        f"{locality.name}: signed off “{criterion.label}”",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        after={"signed_on": today, "note": signed.note},
    )
    return signed


@transactional
def withdraw_sign_off(locality: Locality, criterion: GateCriterion, actor: User) -> None:
    _check_signer(criterion, actor)
    signed = _sign_off(locality, criterion)
    if signed is None:
        raise NotFound(f"“{criterion.label}” is not signed off for {locality.name}.")
    audit.record(
        actor,
        "sign_off_withdrawn",
        "gate_criterion",
        criterion.id,
        f"{locality.name}: withdrew the sign-off of “{criterion.label}”",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before={"signed_on": signed.signed_on, "by": signed.signed_by_name},
    )
    db.session.delete(signed)


# --- Loading the facts: a fixed number of queries for any number of localities ---------------


def _posts(locality_ids: list[int]) -> dict[int, list[PostFacts]]:
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for post_id, changed_on, status in db.session.execute(
        select(PostStatusChange.post_id, PostStatusChange.changed_on, PostStatusChange.status)
        .join(Post, Post.id == PostStatusChange.post_id)
        .join(Team, Team.id == Post.team_id)
        .where(Team.locality_id.in_(locality_ids))
        .order_by(PostStatusChange.changed_on, PostStatusChange.id)
    ):
        history[post_id].append((changed_on, status))
    posts: dict[int, list[PostFacts]] = defaultdict(list)
    for row in db.session.execute(
        select(
            Post.id,
            Post.reference,
            Post.status,
            Post.start_date,
            Post.frozen,
            Team.locality_id,
            Team.name.label("team"),
            Role.name.label("role"),
            Role.adult_specialist,
        )
        .join(Team, Team.id == Post.team_id)
        .join(Role, Role.id == Post.role_id)
        .where(Team.locality_id.in_(locality_ids))
        .order_by(Team.name, Post.id)
    ):
        label = f"{row.role}, {row.team}" + (f" ({row.reference})" if row.reference else "")
        posts[row.locality_id].append(
            PostFacts(
                row.status,
                row.adult_specialist,
                row.frozen,
                row.start_date,
                tuple(history[row.id]),
                row.id,
                label,
            )
        )
    return posts


def _staff(locality_ids: list[int]) -> dict[int, list[StaffFacts]]:
    staff: dict[int, list[StaffFacts]] = defaultdict(list)
    for row in db.session.execute(
        select(
            StaffMember.id,
            StaffMember.name,
            StaffMember.role_id,
            StaffMember.start_date,
            StaffMember.leaving_date,
            Team.locality_id,
            Team.name.label("team"),
        )
        .join(Team, Team.id == StaffMember.team_id)
        .where(Team.locality_id.in_(locality_ids))
        .order_by(StaffMember.name, StaffMember.id)
    ):
        staff[row.locality_id].append(
            StaffFacts(
                row.id, row.role_id, row.start_date, row.leaving_date, f"{row.name}, {row.team}"
            )
        )
    return staff


def _training(
    programme: Programme, criteria: list[GateCriterion], locality_ids: list[int], today: date
) -> dict[int, dict[str, CourseFacts]]:
    """Per locality and training criterion, its course with the locality's staff's attendance
    and their bookings to come (each locality sees only its own, so the work grows linearly)."""
    keys = {c.key for c in criteria if c.kind == CriterionKind.TRAINED}
    courses = {
        course.criterion: course
        for course in reversed(training.list_courses(programme))  # the first course wins
        if course.criterion in keys
    }
    # (locality id, course id) -> records
    attended: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    booked: dict[tuple[int, int], list[Attended]] = defaultdict(list)
    for locality_id, course_id, staff_id, number, status, on in db.session.execute(
        select(
            Team.locality_id,
            TrainingSession.course_id,
            Attendance.staff_id,
            CourseModule.number,
            Attendance.status,
            TrainingSession.on,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .join(StaffMember, StaffMember.id == Attendance.staff_id)
        .join(Team, Team.id == StaffMember.team_id)
        .where(TrainingSession.programme_id == programme.id, Team.locality_id.in_(locality_ids))
    ):
        if status is not None:
            attended[locality_id, course_id].append(Attended(staff_id, number, status, on))
        elif on >= today:
            booked[locality_id, course_id].append(Attended(staff_id, number, "present", on))
    rules = {
        key: (training.course_rule(course), frozenset(role.id for role in course.roles))
        for key, course in courses.items()
    }
    return {
        locality_id: {
            key: CourseFacts(
                course.name,
                *rules[key],
                tuple(attended[locality_id, course.id]),
                tuple(booked[locality_id, course.id]),
            )
            for key, course in courses.items()
        }
        for locality_id in locality_ids
    }


def _milestones(locality_ids: list[int]) -> dict[int, list[MilestoneFacts]]:
    milestones: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for row in db.session.execute(
        select(
            Milestone.id,
            Milestone.title,
            Milestone.workstream_id,
            Milestone.status,
            Milestone.gate_critical,
            Milestone.completed_on,
            Milestone.due,
            Milestone.locality_id,
        )
        .where(Milestone.locality_id.in_(locality_ids))
        .order_by(Milestone.due, Milestone.id)
    ):
        milestones[row.locality_id].append(
            MilestoneFacts(
                row.id,
                row.title,
                row.workstream_id,
                row.status,
                row.gate_critical,
                row.completed_on,
                row.due,
            )
        )
    return milestones


def _by_locality(model, locality_ids: list[int]) -> dict[int, dict[str, object]]:
    """Exceptions or sign-offs per locality, keyed by their criterion's key."""
    found: dict[int, dict[str, object]] = defaultdict(dict)
    for record, key in db.session.execute(
        select(model, GateCriterion.key)
        .join(GateCriterion, GateCriterion.id == model.criterion_id)
        .where(model.locality_id.in_(locality_ids))
    ):
        found[record.locality_id][key] = record
    return found


def load_facts(
    programme: Programme, localities: list[Locality], criteria: list[GateCriterion], today: date
) -> dict[int, LocalityFacts]:
    """Everything the gate of each locality is decided on, in a fixed number of queries."""
    ids = [locality.id for locality in localities]
    posts, staff, milestones = _posts(ids), _staff(ids), _milestones(ids)
    courses = _training(programme, criteria, ids, today)
    excepted = _by_locality(GateException, ids)
    signed = _by_locality(CheckSignOff, ids)
    return {
        locality.id: LocalityFacts(
            go_live=locality.go_live,
            posts=tuple(posts[locality.id]),
            recruited=programme.recruited,
            staff=tuple(staff[locality.id]),
            courses=courses[locality.id],
            milestones=tuple(milestones[locality.id]),
            sign_offs={
                key: SignOff(signed_off.signed_by_name, signed_off.signed_on)
                for key, signed_off in signed[locality.id].items()
            },
            exceptions={
                key: LocalityException(e.reason, e.threshold, e.waived)
                for key, e in excepted[locality.id].items()
            },
        )
        for locality in localities
    }


def readiness_of(
    programme: Programme, localities: list[Locality], as_of: date, today: date | None = None
) -> tuple[list[GateCriterion], dict[int, Readiness], dict[int, LocalityFacts]]:
    """The gate and each locality's readiness on `as_of` (bookings counted from `today`)."""
    criteria = gate(programme)
    facts = load_facts(programme, localities, criteria, today or as_of)
    definitions = [criterion.definition() for criterion in criteria]
    return (
        criteria,
        {key: evaluate(definitions, found, as_of) for key, found in facts.items()},
        facts,
    )


def evaluate_locality(locality: Locality, as_of: date) -> Readiness:
    _criteria, results, _facts = readiness_of(locality.programme, [locality], as_of)
    return results[locality.id]


def show_document(locality: Locality, readiness: Readiness) -> dict:
    """The `readiness show --json` document (CLI.md), also served as JSON."""
    return {
        "locality": locality.slug,
        "as_of": readiness.as_of.isoformat(),
        "ready": readiness.ready,
        "criteria": [criterion_document(result) for result in readiness.results],
    }


# --- The locality page ---------------------------------------------------------------------------


@dataclass
class LocalityReadiness:
    locality: Locality
    criteria: list[GateCriterion]
    readiness: Readiness
    projections: dict[str, Projection]
    trends: dict[str, Sparkline]
    decision: GoLiveDecision | None
    decisions: list[GoLiveDecision]
    exceptions: dict[str, GateException] = field(default_factory=dict)

    @property
    def rows(self):
        """(criterion, result, projection, trend) per criterion, in the gate's order."""
        return [
            (c, r, self.projections.get(c.key), self.trends.get(c.key))
            for c, r in zip(self.criteria, self.readiness.results, strict=True)
        ]


def locality_readiness(locality: Locality, as_of: date, today: date) -> LocalityReadiness:
    criteria, results, facts = readiness_of(locality.programme, [locality], as_of, today)
    readiness = results[locality.id]
    definitions = [c.definition() for c in criteria]
    projections = {p.key: p for p in project(definitions, facts[locality.id], today)}
    history = decisions(locality)
    return LocalityReadiness(
        locality,
        criteria,
        readiness,
        projections,
        trends(locality, {result.key: result.threshold for result in readiness.results}, today),
        next((d for d in history if d.in_force), None),
        history,
        {e.criterion.key: e for e in exceptions(locality)},
    )


def trends(locality: Locality, thresholds: dict[str, int], today: date) -> dict[str, Sparkline]:
    """Each criterion's readings over the last TREND_DAYS days, against the threshold the
    locality is held to (its exception's, if it has one)."""
    points: dict[str, list[TrendPoint]] = defaultdict(list)
    for taken_on, documents in db.session.execute(
        select(ReadinessSnapshot.taken_on, ReadinessSnapshot.criteria)
        .where(
            ReadinessSnapshot.locality_id == locality.id,
            ReadinessSnapshot.taken_on > today - timedelta(days=TREND_DAYS),
            ReadinessSnapshot.taken_on <= today,
        )
        .order_by(ReadinessSnapshot.taken_on)
    ):
        for document in documents:
            points[document["key"]].append(TrendPoint(taken_on, document["actual"]))
    return {key: sparkline(points[key], threshold) for key, threshold in thresholds.items()}


# --- The board's view ---------------------------------------------------------------------------


@dataclass
class BoardRow:
    locality: Locality
    readiness: Readiness
    days_to_go_live: int
    decision: GoLiveDecision | None

    @property
    def live(self) -> bool:
        return self.locality.state == "live"


@dataclass
class Board:
    criteria: list[GateCriterion]
    waves: list[tuple[int | None, list[BoardRow]]]
    as_of: date

    @property
    def rows(self) -> list[BoardRow]:
        return [row for _wave, rows in self.waves for row in rows]


def board(programme: Programme, today: date) -> Board:
    """Every locality's readiness by wave, in a fixed number of queries."""
    localities = list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
        )
    )
    criteria, results, _facts = readiness_of(programme, localities, today)
    in_force = _decisions_in_force([locality.id for locality in localities])
    waves: dict[int | None, list[BoardRow]] = {}
    for locality in localities:
        waves.setdefault(locality.wave, []).append(
            BoardRow(
                locality,
                results[locality.id],
                (locality.go_live - today).days,
                in_force.get(locality.id),
            )
        )
    return Board(criteria, list(waves.items()), today)


def _decisions_in_force(locality_ids: list[int]) -> dict[int, GoLiveDecision]:
    return {
        decision.locality_id: decision
        for decision in db.session.scalars(
            select(GoLiveDecision).where(
                GoLiveDecision.locality_id.in_(locality_ids), GoLiveDecision.rescinded_at.is_(None)
            )
        )
    }


# --- Go-live decisions ---------------------------------------------------------------------------


class GateNotMet(Conflict):
    """Go-live refused: the readiness that refused it says which criteria are unmet."""

    def __init__(self, locality: Locality, readiness: Readiness):
        unmet = "; ".join(unmet_sentence(result) for result in readiness.unmet)
        super().__init__(f"{locality.name} cannot go live: {unmet}.")
        self.locality = locality
        self.readiness = readiness


def unmet_sentence(result) -> str:
    share = result.share
    if share.denominator == 0:
        return f"{result.label} — {result.note or 'nothing to count'}"
    return (
        f"{result.label} is {result.actual}% ({share.numerator} of {share.denominator}), "
        f"below {result.threshold}%"
    )


def decisions(locality: Locality) -> list[GoLiveDecision]:
    return list(
        db.session.scalars(
            select(GoLiveDecision)
            .where(GoLiveDecision.locality_id == locality.id)
            .order_by(GoLiveDecision.decided_at.desc(), GoLiveDecision.id.desc())
        )
    )


def check_decider(user: User | None) -> User:
    if user is None or not user.active:
        raise NotFound("There is no active user with that e-mail address.", "by")
    if user.role not in DECIDERS:
        raise ServiceError(
            f"{user.name} is a {user.role.replace('_', ' ')}; only board members record go-live "
            "decisions.",
            "by",
        )
    return user


@transactional
def go_live(locality: Locality, actor: User, note: str, today: date) -> GoLiveDecision:
    """Record the board's go-live decision, if every criterion is met today. The evidence of
    every criterion at this moment is kept with it, unchangeable."""
    check_decider(actor)
    # Lock the locality so two board members deciding at once cannot both record a decision.
    db.session.refresh(locality, with_for_update=True)
    if locality.state == "live":
        raise Conflict(f"{locality.name} is already live.")
    readiness = evaluate_locality(locality, today)
    if not readiness.ready:
        raise GateNotMet(locality, readiness)
    decision = GoLiveDecision(
        locality_id=locality.id,
        decided_by_id=actor.id,
        decided_by_name=actor.name,
        note=(note or "").strip(),
        evidence=evidence(readiness),
    )
    db.session.add(decision)
    locality.state = "live"
    db.session.flush()
    audit.record(
        actor,
        "go_live",
        "locality",
        locality.id,
        f"Recorded the go-live decision for {locality.name}",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before={"state": "planning"},
        after={"state": "live", "decision": decision.id, "note": decision.note},
    )
    return decision


@transactional
def rescind(locality: Locality, actor: User, reason: str) -> GoLiveDecision:
    """Withdraw the decision in force; the locality returns to planning. The decision and its
    evidence stay on record, marked rescinded with the reason."""
    check_decider(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Give the reason the decision is rescinded.", "reason")
    db.session.refresh(locality, with_for_update=True)
    decision = _decisions_in_force([locality.id]).get(locality.id)
    if decision is None:
        raise Conflict(f"{locality.name} has no go-live decision in force to rescind.")
    decision.rescinded_at = utcnow()
    decision.rescinded_by_name = actor.name
    decision.rescind_reason = reason
    locality.state = "planning"
    audit.record(
        actor,
        "go_live_rescinded",
        "locality",
        locality.id,
        f"Rescinded the go-live decision for {locality.name}: {reason}",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before={"state": "live", "decision": decision.id},
        after={"state": "planning", "reason": reason},
    )
    return decision


# --- Daily snapshots ----------------------------------------------------------------------------


SNAPSHOT_KEYS = ("key", "actual", "threshold", "met", "numerator", "denominator")


@dataclass
class SnapshotRun:
    taken_on: date
    created: int = 0
    updated: int = 0


def _snapshot_criteria(readiness: Readiness) -> list[dict]:
    return [
        {key: document[key] for key in SNAPSHOT_KEYS}
        for document in map(criterion_document, readiness.results)
    ]


@transactional
def take_snapshots(as_of: date, programmes: Iterable[Programme] | None = None) -> SnapshotRun:
    """Store each locality's readiness on `as_of`; taking them again that day replaces them."""
    if programmes is None:
        programmes = db.session.scalars(select(Programme).order_by(Programme.id)).all()
    run = SnapshotRun(as_of)
    for programme in programmes:
        localities = list(
            db.session.scalars(select(Locality).where(Locality.programme_id == programme.id))
        )
        if not localities:
            continue
        _criteria, results, _facts = readiness_of(programme, localities, as_of)
        existing = {
            snapshot.locality_id: snapshot
            for snapshot in db.session.scalars(
                select(ReadinessSnapshot).where(
                    ReadinessSnapshot.locality_id.in_([loc.id for loc in localities]),
                    ReadinessSnapshot.taken_on == as_of,
                )
            )
        }
        for locality in localities:
            readiness = results[locality.id]
            snapshot = existing.get(locality.id)
            if snapshot is None:
                snapshot = ReadinessSnapshot(locality_id=locality.id, taken_on=as_of)
                db.session.add(snapshot)
                run.created += 1
            else:
                run.updated += 1
            snapshot.ready = readiness.ready
            snapshot.criteria = _snapshot_criteria(readiness)
            snapshot.at = utcnow()
    return run


def snapshots_taken_on(day: date) -> bool:
    return (
        db.session.scalar(
            select(ReadinessSnapshot.id).where(ReadinessSnapshot.taken_on == day).limit(1)
        )
        is not None
    )
