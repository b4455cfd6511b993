"""Signing a locality's manual checks off, by the person each check names, and withdrawing a
sign-off. Every change is in the locality's audit trail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.domain.gate_criteria import CriterionKind
from programme.extensions import db
from programme.models import CheckSignOff, GateCriterion, Locality, User
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.readiness.gate_criteria import audit_locality
from programme.services.transaction import transactional


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
    audit_locality(
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
    audit_locality(
        actor,
        "sign_off_withdrawn",
        locality,
        criterion,
        f"{locality.name}: withdrew the sign-off of “{criterion.label}”",
        before={"signed_on": signed.signed_on, "by": signed.signed_by_name},
    )
    db.session.delete(signed)
