"""The partner contributions page: each partner's pledges by year with its standing, and the
forms that record, change and remove a pledge."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import PartnerPledge
from programme.services import organisations, partner_pledges
from tests.builders import create_locality, create_post, create_programme, create_team, create_user
from tests.pages import page_of, visible_text


@pytest.fixture
def programme(app):
    return create_programme("Somerset Family Safeguarding", "somerset")


def _url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/finance/partners{suffix}"


def _organisation(programme, name: str, type_: str = "police"):
    return organisations.create_organisation(programme, name, type_, None)


def _pledge(programme, organisation, year=2025, pledged=85_000_00, received=0, posts=None):
    return partner_pledges.create_pledge(
        programme,
        None,
        organisation_id=organisation.id,
        financial_year=year,
        pledged_pence=pledged,
        posts_pledged=posts,
        received_pence=received,
        note="",
    )


def _row(page: str, pledge_id: int) -> str:
    match = re.search(rf'<tr id="pledge-{pledge_id}">(.*?)</tr>', page, re.S)
    assert match, f"no row for pledge {pledge_id}"
    return visible_text(match.group(1))


def test_the_board_sees_which_partners_are_behind(programme, sign_in):
    police = _organisation(programme, "Avon and Somerset Police")
    health = _organisation(programme, "Somerset NHS", "mental_health_trust")
    team = create_team(create_locality(programme))
    create_post(team, organisation=police, status="in_post")
    paid = _pledge(programme, police, 2025, received=85_000_00, posts=1)
    short = _pledge(programme, health, 2025, pledged=50_000_00, received=20_000_00)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_url(programme)))

    assert _row(page, paid.id) == "2025/26 £85,000 £85,000 1 1 Delivered"
    assert _row(page, short.id) == "2025/26 £50,000 £20,000 — 0 Behind"
    assert 'data-status="Behind"' in page
    assert "Record a pledge" not in page  # a viewer only reads


def test_a_programme_manager_records_changes_and_removes_a_pledge(programme, sign_in):
    police = _organisation(programme, "Avon and Somerset Police")
    client = sign_in(create_user("programme_manager"))

    added = client.post(
        _url(programme, "/new"),
        data={
            "organisation_id": police.id,
            "financial_year": "FY25/26",
            "pledged": "£85,000",
            "posts_pledged": "2",
            "received": "",
            "note": "Section 75",
        },
    )
    assert added.status_code == 302
    pledge = db.session.scalars(select(PartnerPledge)).one()
    assert (pledge.financial_year, pledge.pledged_pence, pledge.posts_pledged) == (
        2025,
        8_500_000,
        2,
    )
    assert "Recorded the pledge of Avon and Somerset Police, 2025/26." in page_of(
        client.get(added.headers["Location"])
    )

    form = page_of(client.get(_url(programme, f"/{pledge.id}/edit")))
    assert 'value="£85,000"' in form and 'value="2025/26"' in form
    changed = client.post(
        _url(programme, f"/{pledge.id}/edit"),
        data={
            "organisation_id": police.id,
            "financial_year": "2025/26",
            "pledged": "85,000",
            "posts_pledged": "2",
            "received": "40,000.50",
            "version": "1",
        },
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert db.session.get(PartnerPledge, pledge.id).received_pence == 4_000_050

    confirm = page_of(client.get(_url(programme, f"/{pledge.id}/delete")))
    assert "Remove the pledge of Avon and Somerset Police for 2025/26?" in confirm
    assert db.session.get(PartnerPledge, pledge.id) is not None  # asking removes nothing
    removed = client.post(_url(programme, f"/{pledge.id}/delete"), data={"version": "2"})
    assert removed.status_code == 302
    assert db.session.scalars(select(PartnerPledge)).all() == []


def test_bad_values_are_refused_field_by_field(programme, sign_in):
    police = _organisation(programme, "Avon and Somerset Police")
    _pledge(programme, police, 2025)
    client = sign_in(create_user("programme_manager"))

    def post(**values):
        data = {"organisation_id": police.id, "financial_year": "2026/27", "pledged": "100"}
        return client.post(_url(programme, "/new"), data={**data, **values})

    for values, message in [
        ({"financial_year": "2026/28"}, "Enter the financial year, such as 2025/26."),
        ({"pledged": "12%"}, "Enter the money pledged in pounds, such as 85,000 or 1,500.50."),
        ({"pledged": "-5"}, "The money pledged cannot be negative."),
        ({"pledged": ""}, "Enter the money pledged, the posts pledged, or both."),
        (
            {"financial_year": "2025/26"},
            "Avon and Somerset Police already has a pledge for 2025/26",
        ),
    ]:
        response = post(**values)
        assert response.status_code == 400, values
        assert message in page_of(response)
    assert db.session.scalars(select(PartnerPledge)).all()[1:] == []


def test_a_stale_change_or_removal_answers_409(programme, sign_in):
    police = _organisation(programme, "Avon and Somerset Police")
    pledge = _pledge(programme, police, 2025)
    client = sign_in(create_user("programme_manager"))
    data = {
        "organisation_id": police.id,
        "financial_year": "2025/26",
        "pledged": "1",
        "version": "0",
    }
    stale = client.post(_url(programme, f"/{pledge.id}/edit"), data=data)
    assert stale.status_code == 409
    assert "Someone else changed the pledge" in page_of(stale)
    gone = client.post(_url(programme, f"/{pledge.id}/delete"), data={"version": "0"})
    assert gone.status_code == 409
    assert db.session.get(PartnerPledge, pledge.id) is not None


def test_the_page_runs_as_many_queries_for_six_partners_as_for_one(
    programme, sign_in, count_queries
):
    team = create_team(create_locality(programme))
    client = sign_in(create_user("viewer"))

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(_url(programme)).status_code == 200
        return counter.count

    first = _organisation(programme, "Partner 0")
    _pledge(programme, first, 2025)
    few = queries()
    for number in range(1, 6):
        organisation = _organisation(programme, f"Partner {number}", "other")
        create_post(team, "social_worker", organisation=organisation, status="in_post")
        _pledge(programme, organisation, 2025, posts=1)
        _pledge(programme, organisation, 2026)
    assert queries() == few
