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

from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.formatting import percent, share_text
from programme.domain.permissions import permits, role_label
from programme.domain.readiness import (
    CourseFacts,
    CriterionKind,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    Projection,
    Readiness,
    SignOff,
    Sparkline,
    TrendPoint,
    criterion_document,
    evaluate,
    evidence,
    project,
    sparkline,
)
from programme.domain.recruitment import PostFacts
from programme.domain.training import Attended, StaffFacts
from programme.extensions import db
from programme.models import (
    Attendance,
    CheckSignOff,
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
    User,
)
from programme.services import audit, gates, training
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional

# Who may record a go-live decision: the operational board (and administrators).
TREND_DAYS = 90

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
    for course_id, staff_id, number, status, on, locality_id in db.session.execute(
        training.places(programme)
        .add_columns(Team.locality_id)
        .join(StaffMember, StaffMember.id == Attendance.staff_id)
        .join(Team, Team.id == StaffMember.team_id)
        .where(Team.locality_id.in_(locality_ids))
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
    criteria = gates.criteria(programme)
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
    days_to_go_live: int = 0  # from today: the page says "in 12 days" without arithmetic

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
        trends(locality, criteria, readiness, today),
        next((d for d in history if d.in_force), None),
        history,
        {e.criterion.key: e for e in gates.exceptions(locality)},
        (locality.go_live - today).days,
    )


def trends(
    locality: Locality, criteria: list[GateCriterion], readiness: Readiness, today: date
) -> dict[str, Sparkline]:
    """Each criterion's readings over the last TREND_DAYS days, against the threshold the
    locality is held to (its exception's, if it has one). An added criterion's trend starts
    the day it was added, so it never shows readings of a removed one that had its key."""
    since = {c.key: c.created_at.date() for c in criteria if not c.standard}
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
            key = document["key"]
            if taken_on >= since.get(key, taken_on):
                points[key].append(TrendPoint(taken_on, document["actual"]))
    return {
        result.key: sparkline(points[result.key], result.threshold) for result in readiness.results
    }


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
    if result.share.denominator == 0:
        return f"{result.label} — {result.note or 'nothing to count'}"
    return f"{result.label} is {share_text(result.share, 1)}, below {percent(result.threshold)}"


def get_decision(locality: Locality, decision_id: int) -> GoLiveDecision:
    return get_within(
        GoLiveDecision,
        decision_id,
        "locality_id",
        locality.id,
        f"{locality.name} has no go-live decision {decision_id}.",
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
    if not permits(user.role, "decide_go_live"):
        raise ServiceError(
            f"{user.name} is a {role_label(user.role).lower()}; only board members record go-live "
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
    decision.rescinded_at = utc_now()
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
            snapshot.at = utc_now()
    return run


def snapshots_taken_on(day: date) -> bool:
    return (
        db.session.scalar(
            select(ReadinessSnapshot.id).where(ReadinessSnapshot.taken_on == day).limit(1)
        )
        is not None
    )
