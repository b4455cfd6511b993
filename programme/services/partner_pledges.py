"""Partner organisations' pledged contributions to a programme (issue 20, part 2): money per
financial year and posts seconded, what each has paid, and the posts of theirs now filled."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from programme.domain.financial_years import year_label
from programme.domain.formatting import money
from programme.domain.partner_pledges import (
    STATUS_COLOURS,
    YearStanding,
    overall_status,
    pledge_status,
)
from programme.extensions import db
from programme.models import Organisation, PartnerPledge, Post, Programme, User
from programme.services import audit
from programme.services.errors import NotFound, ServiceError
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional

NOTE_LENGTH = 500
FIELDS = ("organisation_id", "financial_year", "pledged_pence", "posts_pledged", "received_pence")


@dataclass
class PartnerStanding:
    """One partner organisation's pledges, year by year, with its standing overall."""

    organisation: Organisation
    posts_filled: int
    years: list[tuple[PartnerPledge, YearStanding]] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        return overall_status([standing.status for _pledge, standing in self.years])

    @property
    def colour(self) -> str | None:
        return STATUS_COLOURS.get(self.status) if self.status else None


def partner_standings(programme: Programme, today) -> list[PartnerStanding]:
    """Every partner organisation of the programme, by name, with its pledges by year: three
    queries however many organisations and pledges there are."""
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.programme_id == programme.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    filled = dict(
        db.session.execute(
            select(Post.organisation_id, func.count(Post.id))
            .where(Post.programme_id == programme.id, Post.status.in_(programme.recruited))
            .group_by(Post.organisation_id)
        ).all()
    )
    pledges = defaultdict(list)
    for pledge in db.session.scalars(
        select(PartnerPledge)
        .where(PartnerPledge.programme_id == programme.id)
        .order_by(PartnerPledge.financial_year, PartnerPledge.id)
    ):
        pledges[pledge.organisation_id].append(pledge)
    standings = []
    for organisation in organisations:
        posts_filled = filled.get(organisation.id, 0)
        standing = PartnerStanding(organisation, posts_filled)
        for pledge in pledges[organisation.id]:
            status = pledge_status(
                pledge.financial_year,
                pledge.pledged_pence,
                pledge.received_pence,
                pledge.posts_pledged,
                posts_filled,
                today,
            )
            standing.years.append(
                (
                    pledge,
                    YearStanding(
                        pledge.financial_year,
                        pledge.pledged_pence,
                        pledge.received_pence,
                        pledge.posts_pledged,
                        posts_filled,
                        status,
                    ),
                )
            )
        standings.append(standing)
    return standings


def get_pledge(programme: Programme, pledge_id: int) -> PartnerPledge:
    pledge = db.session.get(PartnerPledge, pledge_id)
    if pledge is None or pledge.programme_id != programme.id:
        raise NotFound("There is no such pledge.")
    return pledge


def describe(pledge: PartnerPledge) -> str:
    """ "Avon and Somerset Police, 2025/26"."""
    return f"{pledge.organisation.name}, {year_label(pledge.financial_year)}"


def _organisation(programme: Programme, organisation_id: int | None) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or organisation.programme_id != programme.id:
        raise ServiceError("Choose the partner organisation.", "organisation_id")
    return organisation


def _checked(
    programme: Programme,
    *,
    organisation_id: int | None,
    financial_year: int | None,
    pledged_pence: int | None,
    posts_pledged: int | None,
    received_pence: int | None,
    note: str,
    exclude: PartnerPledge | None = None,
) -> dict:
    organisation = _organisation(programme, organisation_id)
    if financial_year is None:
        raise ServiceError("Enter the financial year, such as 2025/26.", "financial_year")
    if pledged_pence is not None and pledged_pence < 0:
        raise ServiceError("The money pledged cannot be negative.", "pledged")
    if posts_pledged is not None and posts_pledged < 0:
        raise ServiceError("The posts pledged cannot be negative.", "posts_pledged")
    if received_pence is not None and received_pence < 0:
        raise ServiceError("The money received cannot be negative.", "received")
    if pledged_pence is None and posts_pledged is None:
        raise ServiceError("Enter the money pledged, the posts pledged, or both.", "pledged")
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ServiceError(f"The note must be {NOTE_LENGTH} characters or fewer.", "note")
    clash = db.session.scalar(
        select(PartnerPledge.id).where(
            PartnerPledge.organisation_id == organisation.id,
            PartnerPledge.financial_year == financial_year,
        )
    )
    if clash is not None and (exclude is None or clash != exclude.id):
        raise ServiceError(
            f"{organisation.name} already has a pledge for {year_label(financial_year)}: "
            "change that one.",
            "financial_year",
        )
    return {
        "organisation_id": organisation.id,
        "financial_year": financial_year,
        "pledged_pence": pledged_pence,
        "posts_pledged": posts_pledged,
        "received_pence": received_pence or 0,
        "note": note,
    }


def _values(pledge: PartnerPledge) -> dict:
    return {name: getattr(pledge, name) for name in (*FIELDS, "note")}


def _audited(values: dict) -> dict:
    return {
        **values,
        "financial_year": year_label(values["financial_year"]),
        "pledged_pence": money(values["pledged_pence"])
        if values["pledged_pence"] is not None
        else None,
        "received_pence": money(values["received_pence"]),
    }


@transactional
def create_pledge(programme: Programme, actor: User | None, **values) -> PartnerPledge:
    checked = _checked(programme, **values)
    pledge = PartnerPledge(programme_id=programme.id, **checked)
    db.session.add(pledge)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "partner_pledge",
        pledge.id,
        f"Recorded the pledge of {describe(pledge)}",
        programme_id=programme.id,
        after=_audited(checked),
    )
    return pledge


def _changed_since_opened(pledge: PartnerPledge) -> str:
    return (
        f"Someone else changed the pledge of {describe(pledge)} after you opened it. Your "
        "changes were not saved: review the current values and make your change again."
    )


@transactional
def update_pledge(
    pledge: PartnerPledge, actor: User | None, *, expected_version: int | None = None, **values
) -> list[str]:
    """Change a pledge; returns the fields that changed (none: nothing written)."""
    message = _changed_since_opened(pledge)
    refuse_if_stale(pledge, expected_version, message)
    programme = db.session.get(Programme, pledge.programme_id)
    checked = _checked(programme, exclude=pledge, **values)
    before = _values(pledge)
    changed = [name for name, value in checked.items() if before[name] != value]
    if not changed:
        return []
    for name in changed:
        setattr(pledge, name, checked[name])
    flush_or_refuse(message)
    audit.record(
        actor,
        "update",
        "partner_pledge",
        pledge.id,
        f"Changed the pledge of {describe(pledge)}",
        programme_id=pledge.programme_id,
        before={k: v for k, v in _audited(before).items() if k in changed},
        after={k: v for k, v in _audited(checked).items() if k in changed},
    )
    return changed


@transactional
def delete_pledge(
    pledge: PartnerPledge, actor: User | None, *, expected_version: int | None
) -> None:
    message = _changed_since_opened(pledge)
    refuse_if_stale(pledge, expected_version, message)
    label, values, programme_id = describe(pledge), _values(pledge), pledge.programme_id
    db.session.delete(pledge)
    flush_or_refuse(message)
    audit.record(
        actor,
        "delete",
        "partner_pledge",
        pledge.id,
        f"Removed the pledge of {label}",
        programme_id=programme_id,
        before=_audited(values),
    )
