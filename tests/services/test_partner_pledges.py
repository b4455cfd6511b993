"""Partner pledges: recording, changing and removing them, and each partner's standing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, PartnerPledge
from programme.services import organisations, partner_pledges
from programme.services.errors import ServiceError, StaleEdit
from tests.builders import create_locality, create_post, create_programme, create_team
from tests.conftest import TODAY


@pytest.fixture
def setting(app):
    programme = create_programme()
    police = organisations.create_organisation(programme, "Avon Police", "police", None)
    health = organisations.create_organisation(
        programme, "Westshire NHS", "mental_health_trust", None
    )
    return programme, police, health


def pledge(programme, organisation, year=2025, **values):
    return partner_pledges.create_pledge(
        programme,
        None,
        organisation_id=organisation.id,
        financial_year=year,
        pledged_pence=values.get("pledged", 85_000_00),
        posts_pledged=values.get("posts"),
        received_pence=values.get("received", 0),
        note=values.get("note", ""),
    )


def test_standings_per_year_with_posts_filled(setting):
    programme, police, health = setting
    team = create_team(create_locality(programme))
    create_post(team, organisation=police, status="in_post")
    create_post(team, organisation=police, status="appointed")
    create_post(team, organisation=police, status="advertised")  # not recruited
    pledge(programme, police, 2025, pledged=85_000_00, received=85_000_00, posts=2)
    pledge(programme, police, 2026, pledged=85_000_00, received=10_000_00, posts=2)
    pledge(programme, health, 2025, pledged=50_000_00, received=20_000_00)

    standings = {
        s.organisation.name: s for s in partner_pledges.partner_standings(programme, TODAY)
    }

    police_years = [
        (y.financial_year, y.posts_filled, y.status) for _p, y in standings["Avon Police"].years
    ]
    assert police_years == [(2025, 2, "Delivered"), (2026, 2, "On track")]
    assert standings["Avon Police"].status == "On track"
    assert [y.status for _p, y in standings["Westshire NHS"].years] == ["Behind"]
    assert standings["Westshire NHS"].status == "Behind"


def test_a_partner_without_pledges_is_listed_with_no_status(setting):
    programme, police, _health = setting
    [first, second] = partner_pledges.partner_standings(programme, TODAY)
    assert first.organisation == police and first.years == [] and first.status is None


def test_recording_is_audited_and_refuses_bad_values(setting):
    programme, police, health = setting
    made = pledge(programme, police, 2025, note="Section 75 agreement")
    assert made.version == 1 and made.received_pence == 0
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "partner_pledge")
    ).one()
    assert (
        event.action == "create" and event.summary == "Recorded the pledge of Avon Police, 2025/26"
    )

    with pytest.raises(ServiceError) as again:
        pledge(programme, police, 2025)
    assert again.value.field == "financial_year"
    assert "Avon Police already has a pledge for 2025/26" in again.value.message
    with pytest.raises(ServiceError) as nothing:
        pledge(programme, health, 2025, pledged=None)
    assert nothing.value.message == "Enter the money pledged, the posts pledged, or both."
    with pytest.raises(ServiceError) as negative:
        pledge(programme, health, 2025, received=-1)
    assert negative.value.field == "received"
    other = create_programme("Elsewhere", "elsewhere")
    stranger = organisations.create_organisation(other, "Stranger", "police", None)
    with pytest.raises(ServiceError) as foreign:
        pledge(programme, stranger, 2025)
    assert foreign.value.field == "organisation_id"
    assert (
        db.session.scalar(
            select(PartnerPledge.id).where(PartnerPledge.organisation_id == health.id)
        )
        is None
    )


def test_changing_checks_the_version_and_audits_the_change(setting):
    programme, police, _health = setting
    made = pledge(programme, police, 2025)
    values = dict(
        organisation_id=police.id,
        financial_year=2025,
        pledged_pence=85_000_00,
        posts_pledged=None,
        received_pence=40_000_00,
        note="",
    )
    assert partner_pledges.update_pledge(made, None, expected_version=1, **values) == [
        "received_pence"
    ]
    assert made.version == 2
    assert partner_pledges.update_pledge(made, None, expected_version=2, **values) == []
    with pytest.raises(StaleEdit):
        partner_pledges.update_pledge(made, None, expected_version=1, **values)
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "update", AuditEvent.entity_type == "partner_pledge"
        )
    ).one()
    assert event.before == {"received_pence": "£0"} and event.after == {"received_pence": "£40,000"}


def test_removing_checks_the_version(setting):
    programme, police, _health = setting
    made = pledge(programme, police, 2025)
    with pytest.raises(StaleEdit):
        partner_pledges.delete_pledge(made, None, expected_version=7)
    partner_pledges.delete_pledge(made, None, expected_version=1)
    assert db.session.scalars(select(PartnerPledge)).all() == []
