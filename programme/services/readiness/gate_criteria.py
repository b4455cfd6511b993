"""The go-live gate's criteria: the defaults a programme starts with, thresholds, criteria added
and removed, and who signs a manual check off. Every change is audited. A locality's exceptions
are `gate_exceptions.py`, its sign-offs `sign_offs.py`, and how it measures up `evaluation.py`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import percent
from programme.domain.gate_criteria import (
    ADDABLE_KINDS,
    ALL_OR_NOTHING,
    Criterion,
    CriterionKind,
    check_threshold,
    trained_key,
)
from programme.domain.gate_seed import load_gate
from programme.domain.provenance import set_by
from programme.domain.recruitment import SeedError
from programme.domain.slugs import name_key
from programme.extensions import db
from programme.models import (
    CheckSignOff,
    Course,
    GateCriterion,
    GateException,
    Locality,
    Programme,
    User,
    Workstream,
)
from programme.seed_files import GATE_FILE
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.keys import free_key
from programme.services.lookup import get_within
from programme.services.stale import refuse_if_stale
from programme.services.transaction import transactional


@cache
def default_gate() -> tuple[Criterion, ...]:
    return load_gate(GATE_FILE)


def install_gate(programme: Programme) -> None:
    """Give a new programme the default criteria from seed/gate.toml. Lancashire's rule is
    standard (kept, its thresholds changed); this tracker's additions can be removed."""
    for position, criterion in enumerate(default_gate()):
        db.session.add(
            GateCriterion(
                programme=programme,
                key=criterion.key,
                label=criterion.label,
                kind=criterion.kind.value,
                threshold=criterion.threshold,
                position=position,
                standard=not criterion.removable,
                courses=list(criterion.courses),
                source=criterion.provenance.source if criterion.provenance else None,
                source_reason=criterion.provenance.reason if criterion.provenance else None,
            )
        )


def criteria(programme: Programme) -> list[GateCriterion]:
    """The programme's criteria in order."""
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


def checked_threshold(threshold: int | None) -> int:
    if threshold is None:
        raise ServiceError("Enter a threshold from 0 to 100.", "threshold")
    try:
        check_threshold(threshold)
    except SeedError:
        raise ServiceError("Enter a threshold from 0 to 100.", "threshold") from None
    return threshold


def refuse_if_all_or_nothing(criterion: GateCriterion, field: str) -> None:
    if CriterionKind(criterion.kind) in ALL_OR_NOTHING:
        raise ServiceError(
            f"“{criterion.label}” is done or not: it has no threshold to change (a locality can "
            "only be excused from it).",
            field,
        )


@transactional
def set_threshold(
    criterion: GateCriterion, threshold: int | None, actor: User | None, expected_version=None
) -> bool:
    """Change a criterion's threshold; False when it already had that threshold."""
    refuse_if_all_or_nothing(criterion, "threshold")
    threshold = checked_threshold(threshold)
    refuse_if_stale(
        criterion,
        expected_version,
        f"Someone else changed “{criterion.label}” since you opened this page. Nothing was "
        "saved: check the current values and try again.",
    )
    if threshold == criterion.threshold:
        return False
    before = criterion.threshold
    criterion.threshold = threshold
    criterion.source, criterion.source_reason = set_by(criterion.programme.name), None
    audit.record(
        actor,
        "update",
        "gate_criterion",
        criterion.id,
        f"Changed the threshold of “{criterion.label}” from {percent(before)} "
        f"to {percent(threshold)}",
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
    courses: list[str] | None = None  # a training criterion: the keys of its courses


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
    if kind is CriterionKind.TRAINED:
        fields["threshold"] = checked_threshold(new.threshold)
        fields["courses"] = checked_courses(programme, new.courses)
    elif kind is CriterionKind.WORKSTREAM:
        fields["threshold"] = checked_threshold(new.threshold)
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
        fields["signer_id"] = _active_user(new.signer_email).id
    return fields


def checked_courses(programme: Programme, keys: list[str] | None) -> list[str]:
    """The programme's courses a training criterion names, in the catalogue's order; at least
    one, or there is nothing to be trained in."""
    wanted = set(keys or ())
    found = list(
        db.session.scalars(
            select(Course.key)
            .where(Course.programme_id == programme.id, Course.key.in_(wanted))
            .order_by(Course.position, Course.id)
        )
    )
    if not wanted or len(found) != len(wanted):
        raise ServiceError(
            "Choose the courses a person must complete to count as trained.", "courses"
        )
    return found


def _key_for(fields: dict) -> str:
    """A training criterion is keyed by its courses (`trained_mi`); the others by their name."""
    if fields["kind"] == CriterionKind.TRAINED:
        return trained_key(fields["courses"])
    return name_key(fields["label"], "criterion", 60)


@transactional
def add_criterion(programme: Programme, new: NewCriterion, actor: User | None) -> GateCriterion:
    fields = _new_criterion_fields(programme, new)
    position = len(criteria(programme))
    criterion = GateCriterion(
        programme_id=programme.id,
        key=free_key(programme, GateCriterion.key, _key_for(fields)),
        position=position,
        standard=False,
        source=set_by(programme.name),
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
    # Its exceptions and sign-offs go with it: say so in each locality's own trail.
    for model, what in ((GateException, "exception"), (CheckSignOff, "sign-off")):
        for record in db.session.scalars(select(model).where(model.criterion_id == criterion.id)):
            locality = db.session.get(Locality, record.locality_id)
            audit_locality(
                actor,
                "delete",
                locality,
                criterion,
                f"{locality.name}: its {what} of “{criterion.label}” went with the criterion",
            )
    db.session.delete(criterion)


@transactional
def set_signer(criterion: GateCriterion, email: str, actor: User | None) -> bool:
    """Name another person to sign a manual check off; False when it is the same person.
    Sign-offs already given stand."""
    if criterion.kind != CriterionKind.MANUAL_CHECK:
        raise ServiceError(f"“{criterion.label}” is not a check to sign off.", "signer_email")
    signer = _active_user(email)
    if signer.id == criterion.signer_id:
        return False
    before = criterion.signer.email if criterion.signer else None
    criterion.signer = signer
    audit.record(
        actor,
        "update",
        "gate_criterion",
        criterion.id,
        f"{signer.name} now signs off “{criterion.label}”",
        programme_id=criterion.programme_id,
        before={"signer": before},
        after={"signer": signer.email},
    )
    return True


def _active_user(email: str | None) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active:
        raise ServiceError(
            "Enter the e-mail address of the user who must sign the check off.", "signer_email"
        )
    return user


def audit_locality(
    actor: User | None,
    action: str,
    locality: Locality,
    criterion: GateCriterion,
    summary: str,
    **values,
) -> None:
    """A change to how one locality meets one criterion, in the locality's audit trail."""
    audit.record(
        actor,
        action,
        "gate_criterion",
        criterion.id,
        summary,
        programme_id=locality.programme_id,
        locality_id=locality.id,
        **values,
    )
