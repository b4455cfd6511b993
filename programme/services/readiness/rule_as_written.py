"""Lancashire's launch rule as written, for a programme made before the tracker followed it.

Such a programme counts MI and the FS workshops as two independent 70% shares (`trained_mi`,
`trained_fs_workshops`), so a locality where 80% did MI and 75% did the workshops but only 60%
did both passes. Its gate is its own and is never rewritten behind its back: the gate page
offers the change, says what it will do, and applies it in one audited step.

Exceptions: a locality excused from both old criteria in the same way (both waived, or both held
to one threshold) keeps that exception on the new criterion; any other exception to an old
criterion is dropped, because an exception to one course says nothing about being trained in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import percent
from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.extensions import db
from programme.models import Course, GateCriterion, GateException, Locality, Programme, User
from programme.services import audit
from programme.services.readiness.gate_criteria import audit_locality, criteria, default_gate
from programme.services.transaction import transactional

# The one-course training criteria programmes were given before the rule as written.
REPLACED_KEYS = ("trained_mi", "trained_fs_workshops")


@dataclass
class CarriedException:
    locality: Locality
    waived: bool
    threshold: int | None
    reason: str

    @property
    def text(self) -> str:
        held = "excused" if self.waived else f"held to {percent(self.threshold)}"
        return f"{self.locality.name} stays {held}: {self.reason}"


@dataclass
class DroppedException:
    locality: Locality
    exception: GateException

    @property
    def text(self) -> str:
        return f"{self.locality.name}'s exception to “{self.exception.criterion.label}”"


@dataclass
class RuleOffer:
    """What using the rule as written will do to one programme's gate."""

    replaced: list[GateCriterion]
    new: Criterion
    made_removable: list[GateCriterion]
    carried: list[CarriedException] = field(default_factory=list)
    dropped: list[DroppedException] = field(default_factory=list)

    @property
    def replaced_labels(self) -> str:
        return " and ".join(f"“{c.label}”" for c in self.replaced)


def _default_trained() -> Criterion:
    return next(c for c in default_gate() if c.kind is CriterionKind.TRAINED)


def offer(programme: Programme) -> RuleOffer | None:
    """The change, or None when the programme already has the rule as written (or lacks the
    one-course criteria or the courses it would replace)."""
    gate = criteria(programme)
    new = _default_trained()
    replaced = [c for c in gate if c.standard and c.key in REPLACED_KEYS]
    if not replaced or any(c.key == new.key for c in gate):
        return None
    courses = set(db.session.scalars(select(Course.key).where(Course.programme_id == programme.id)))
    if not set(new.courses) <= courses:
        return None
    removable = {c.key for c in default_gate() if c.removable}
    made_removable = [c for c in gate if c.standard and c.key in removable]
    rule = RuleOffer(replaced, new, made_removable)
    _sort_exceptions(rule)
    return rule


def _sort_exceptions(rule: RuleOffer) -> None:
    """Which localities' exceptions carry over to the new criterion and which are dropped."""
    by_locality: dict[int, list[GateException]] = {}
    for exception in db.session.scalars(
        select(GateException)
        .where(GateException.criterion_id.in_([c.id for c in rule.replaced]))
        .options(joinedload(GateException.criterion))
        .order_by(GateException.id)
    ):
        by_locality.setdefault(exception.locality_id, []).append(exception)
    for locality_id, found in by_locality.items():
        locality = db.session.get(Locality, locality_id)
        settings = {(e.waived, None if e.waived else e.threshold) for e in found}
        if len(found) == len(rule.replaced) and len(settings) == 1:
            waived, threshold = settings.pop()
            reasons = list(dict.fromkeys(e.reason for e in found))
            rule.carried.append(CarriedException(locality, waived, threshold, "; ".join(reasons)))
        else:
            rule.dropped.extend(DroppedException(locality, e) for e in found)


@transactional
def use_rule_as_written(programme: Programme, actor: User | None) -> RuleOffer | None:
    """Replace the one-course training criteria with the rule as written; None when there is
    nothing to change (already applied, say by someone else a moment ago)."""
    rule = offer(programme)
    if rule is None:
        return None
    position = min(c.position for c in rule.replaced)
    for dropped in rule.dropped:
        exception = dropped.exception
        audit_locality(
            actor,
            "delete",
            dropped.locality,
            exception.criterion,
            f"{dropped.text} was dropped with the rule as written (it said nothing about being "
            "trained in both)",
            before={"reason": exception.reason, "threshold": exception.threshold},
        )
    for criterion in rule.replaced:
        db.session.delete(criterion)  # its exceptions go with it
    db.session.flush()
    new = GateCriterion(
        programme_id=programme.id,
        key=rule.new.key,
        label=rule.new.label,
        kind=rule.new.kind.value,
        threshold=rule.new.threshold,
        position=position,
        standard=True,
        courses=list(rule.new.courses),
        **_sources(rule.new),
    )
    db.session.add(new)
    db.session.flush()
    for carried in rule.carried:
        db.session.add(
            GateException(
                locality_id=carried.locality.id,
                criterion_id=new.id,
                waived=carried.waived,
                threshold=carried.threshold,
                reason=carried.reason,
                set_by_id=actor.id if actor else None,
            )
        )
        audit_locality(actor, "create", carried.locality, new, f"{carried.text} (carried over)")
    defaults = {criterion.key: criterion for criterion in default_gate()}
    for criterion in rule.made_removable:
        criterion.standard = False
        if criterion.key in defaults and criterion.source is None:
            criterion.source, criterion.source_reason = _sources(defaults[criterion.key]).values()
    for course in db.session.scalars(
        select(Course).where(Course.programme_id == programme.id, Course.key.in_(new.courses))
    ):
        course.criterion = new.key
    audit.record(
        actor,
        "update",
        "gate_criterion",
        new.id,
        f"Used the rule as written: {rule.replaced_labels} replaced by “{new.label}” "
        f"({percent(new.threshold)} of relevant staff trained in every one of its courses)",
        programme_id=programme.id,
        before={"criteria": [c.key for c in rule.replaced]},
        after={
            "criteria": [new.key],
            "courses": new.courses,
            "removable": [c.key for c in rule.made_removable],
            "exceptions_carried": [e.locality.name for e in rule.carried],
            "exceptions_dropped": len(rule.dropped),
        },
    )
    return rule


def _sources(default: Criterion) -> dict:
    """Where a default criterion comes from, as the gate page shows it."""
    provenance = default.provenance
    return {
        "source": provenance.source if provenance else None,
        "source_reason": provenance.reason if provenance else None,
    }
