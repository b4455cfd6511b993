"""Go-live decisions: the board's decision recorded with its evidence when every criterion is
met, a decision rescinded for a reason, and each locality's history of them.

A decision completes the locality's launch milestone that stands for it (done on the decision's
date) and rescinding it reopens that milestone (back to in progress: the board is to decide
again); nobody changes that milestone's status by hand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.formatting import percent, share_text
from programme.domain.go_live import GO_LIVE_DECISION, evidence_fingerprint
from programme.domain.permissions import permits, role_label
from programme.domain.readiness import Readiness
from programme.extensions import db
from programme.models import GoLiveDecision, Locality, Milestone, MilestoneStatus, User
from programme.serialisers import evidence
from programme.services import audit, memberships, milestones
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.readiness.evaluation import evaluate_locality
from programme.services.transaction import transactional


class GateNotMet(Conflict):
    """Go-live refused: the readiness that refused it says which criteria are unmet."""

    def __init__(self, locality: Locality, readiness: Readiness):
        unmet = "; ".join(unmet_sentence(result) for result in readiness.unmet)
        super().__init__(f"{locality.name} cannot go live: {unmet}.")
        self.locality = locality
        self.readiness = readiness


class EvidenceChanged(Conflict):
    """Go-live refused: the evidence differs from what the board confirmed (an import landed
    since the confirmation was shown). `readiness` is the evidence now."""

    def __init__(self, locality: Locality, readiness: Readiness):
        super().__init__(
            f"The evidence for {locality.name} changed after the confirmation was shown. "
            "Nothing was recorded: check the evidence as it is now and confirm again."
        )
        self.locality = locality
        self.readiness = readiness


def unmet_sentence(result) -> str:
    if result.share.denominator == 0:
        return f"{result.label} — {result.note or 'nothing to count'}"
    return f"{result.label} is {share_text(result.share)}, below {percent(result.threshold)}"


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


def check_decider(user: User | None, programme_id: int | None = None) -> User:
    """The user, if they may record go-live decisions: by their role in the programme when one
    is given (a non-member may not), else by their account's role."""
    if user is None or not user.active:
        raise NotFound("There is no active user with that e-mail address.", "by")
    role = user.role if programme_id is None else memberships.role_in(user, programme_id)
    if role is None:
        raise ServiceError(f"{user.name} is not a member of this programme.", "by")
    if not permits(role, "decide_go_live"):
        raise ServiceError(
            f"{user.name} is a {role_label(role).lower()}; only board members record go-live "
            "decisions.",
            "by",
        )
    return user


def proposal(locality: Locality, today: date) -> Readiness:
    """The readiness a decision recorded today would keep as its evidence. Refused (Conflict)
    when a decision is in force already, GateNotMet while any criterion is unmet."""
    if locality.state == "live":
        raise Conflict(f"{locality.name} is already live.")
    readiness = evaluate_locality(locality, today)
    if not readiness.ready:
        raise GateNotMet(locality, readiness)
    return readiness


def fingerprint(readiness: Readiness) -> str:
    """The fingerprint of the evidence a decision on `readiness` keeps."""
    return evidence_fingerprint(evidence(readiness))


@transactional
def go_live(
    locality: Locality,
    actor: User,
    note: str,
    today: date,
    *,
    evidence_seen: str | None = None,
) -> GoLiveDecision:
    """Record the board's go-live decision, if every criterion is met today. The evidence of
    every criterion at this moment is kept with it, unchangeable. `evidence_seen` is the
    fingerprint of the evidence the board confirmed (None: not checked, as for scripts); when
    the evidence now differs, EvidenceChanged refuses it."""
    check_decider(actor, locality.programme_id)
    # Lock the locality so two board members deciding at once cannot both record a decision.
    db.session.refresh(locality, with_for_update=True)
    readiness = proposal(locality, today)
    if evidence_seen is not None and evidence_seen != fingerprint(readiness):
        raise EvidenceChanged(locality, readiness)
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
    for milestone in _decision_milestones(locality):
        _set_milestone(
            milestone, actor, MilestoneStatus.DONE.value, today, "the go-live decision recorded"
        )
    return decision


@transactional
def rescind(locality: Locality, actor: User, reason: str) -> GoLiveDecision:
    """Withdraw the decision in force; the locality returns to planning. The decision and its
    evidence stay on record, marked rescinded with the reason."""
    check_decider(actor, locality.programme_id)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Give the reason the decision is rescinded.", "reason")
    db.session.refresh(locality, with_for_update=True)
    decision = decisions_in_force([locality.id]).get(locality.id)
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
    for milestone in _decision_milestones(locality):
        _set_milestone(
            milestone, actor, MilestoneStatus.IN_PROGRESS.value, None, "the decision rescinded"
        )
    return decision


def _decision_milestones(locality: Locality) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone).where(
                Milestone.locality_id == locality.id, Milestone.stands_for == GO_LIVE_DECISION
            )
        )
    )


def _set_milestone(
    milestone: Milestone, actor: User, status: str, completed_on: date | None, why: str
) -> None:
    """The launch milestone follows the decision: its status and completion date, audited."""
    before = {"status": milestone.status, "completed_on": milestone.completed_on}
    after = {"status": status, "completed_on": completed_on}
    old, new = audit.changed_fields(before, after)
    if not new:
        return
    milestone.status, milestone.completed_on = status, completed_on
    milestones.record_change(milestone, actor, old, new, why)


def decisions_in_force(locality_ids: list[int]) -> dict[int, GoLiveDecision]:
    return {
        decision.locality_id: decision
        for decision in db.session.scalars(
            select(GoLiveDecision).where(
                GoLiveDecision.locality_id.in_(locality_ids), GoLiveDecision.rescinded_at.is_(None)
            )
        )
    }
