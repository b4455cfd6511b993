"""The go-live gate's definition: its criteria and thresholds, locality exceptions and the
sign-offs of manual checks. Every change is audited. How a locality measures up against the gate
is `services/readiness.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.clock import utc_now
from programme.domain.formatting import percent
from programme.domain.readiness import (
    ADDABLE_KINDS,
    ALL_OR_NOTHING,
    Criterion,
    CriterionKind,
    check_threshold,
    load_gate,
)
from programme.domain.recruitment import SeedError
from programme.domain.slugs import slugify
from programme.extensions import db
from programme.models import (
    CheckSignOff,
    GateCriterion,
    GateException,
    Locality,
    Programme,
    User,
    Workstream,
)
from programme.seed_files import GATE_FILE
from programme.services import audit
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.transaction import transactional


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


def _refuse_if_all_or_nothing(criterion: GateCriterion, field: str) -> None:
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
    _refuse_if_all_or_nothing(criterion, "threshold")
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
        fields["signer_id"] = _active_user(new.signer_email).id
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
    position = len(criteria(programme))
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
    # Its exceptions and sign-offs go with it: say so in each locality's own trail.
    for model, what in ((GateException, "exception"), (CheckSignOff, "sign-off")):
        for record in db.session.scalars(select(model).where(model.criterion_id == criterion.id)):
            locality = db.session.get(Locality, record.locality_id)
            _audit_locality(
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


# --- Locality exceptions and sign-offs ---------------------------------------------------------


def _audit_locality(
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
    if not waived:
        _refuse_if_all_or_nothing(criterion, "waived")
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
    exception.set_by_id, exception.set_at = (actor.id if actor else None), utc_now()
    what = "waived" if waived else f"threshold {percent(threshold)}"
    _audit_locality(
        actor,
        "exception",
        locality,
        criterion,
        f"{locality.name}: “{criterion.label}” {what} ({reason})",
        before=before,
        after={"threshold": threshold, "waived": waived, "reason": reason},
    )
    return exception


@transactional
def clear_exception(locality: Locality, criterion: GateCriterion, actor: User | None) -> None:
    exception = _exception(locality, criterion)
    if exception is None:
        raise NotFound(f"{locality.name} has no exception for “{criterion.label}”.")
    _audit_locality(
        actor,
        "exception_cleared",
        locality,
        criterion,
        f"{locality.name}: “{criterion.label}” back to the programme's threshold",
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
    _audit_locality(
        actor,
        "sign_off",
        locality,
        criterion,
        f"{locality.name}: signed off “{criterion.label}”",
        after={"signed_on": today, "note": signed.note},
    )
    return signed


@transactional
def withdraw_sign_off(locality: Locality, criterion: GateCriterion, actor: User) -> None:
    _check_signer(criterion, actor)
    signed = _sign_off(locality, criterion)
    if signed is None:
        raise NotFound(f"“{criterion.label}” is not signed off for {locality.name}.")
    _audit_locality(
        actor,
        "sign_off_withdrawn",
        locality,
        criterion,
        f"{locality.name}: withdrew the sign-off of “{criterion.label}”",
        before={"signed_on": signed.signed_on, "by": signed.signed_by_name},
    )
    db.session.delete(signed)
