"""Trackers other councils keep, imported as a new user would: employers named as organisations,
roles and stages in their own words, titles and footers around the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from programme.domain.employers import NewOrganisation
from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Organisation, Post
from programme.services import localities, value_mappings
from programme.services.recruitment_import import RECRUITMENT
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY

SAMPLES = Path(__file__).parent.parent / "samples"
LIMITS = ReadLimits(max_bytes=10 * 1024 * 1024, max_rows=50_000)


def a_programme(slug: str, places: dict[str, str]):
    programme = create_programme(slug=slug)
    for locality_name, team_name in places.items():
        locality = create_locality(programme, name=locality_name)
        localities.create_team(locality, team_name, None, today=TODAY)
    return programme


@pytest.fixture
def anyshire(app):
    return a_programme("anyshire", {"Westvale": "Westvale FS Team", "Eastvale": "Eastvale FS Team"})


@pytest.fixture
def anytown(app):
    return a_programme(
        "anytown",
        {
            "Anytown North": "Family Safeguarding Team 1",
            "Anytown South": "Family Safeguarding Team 2",
        },
    )


def preview(programme, name: str):
    data = (SAMPLES / name).read_bytes()
    return RECRUITMENT.upload(programme, data, name, None, LIMITS, today=TODAY)


def organisations() -> set[tuple[str, str]]:
    return {(o.name, o.type) for o in db.session.scalars(select(Organisation))}


def test_the_anyshire_export_imports_with_five_partner_organisations_proposed(anyshire):
    record, shown = preview(anyshire, "anyshire-vacancies.csv")
    plan = shown.plan

    assert plan.count("rejected") == 0, [error.sentence() for error in plan.errors]
    assert set(plan.organisations_added) == {
        NewOrganisation("Anyshire Women’s Aid", "da_charity"),
        NewOrganisation("Humankind", "substance_misuse_provider"),
        NewOrganisation("Anyshire Partnership NHS Trust", "mental_health_trust"),
        NewOrganisation("Anyshire County Council", "council"),
        NewOrganisation("HMPPS Probation Service", "probation"),
    }

    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)

    assert {
        ("Anyshire Women’s Aid", "da_charity"),
        ("Humankind", "substance_misuse_provider"),
        ("Anyshire Partnership NHS Trust", "mental_health_trust"),
        ("Anyshire County Council", "council"),
        ("HMPPS Probation Service", "probation"),
    } <= organisations()
    holders = set(db.session.scalars(select(Post.holder_name).where(Post.holder_name != "")))
    assert holders == {"Zoë Clarke", "Seán Byrne"}  # accents intact from Windows-1252

    _, again = preview(anyshire, "anyshire-vacancies.csv")
    assert again.plan.counts == {"created": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert again.plan.organisations_added == []


def test_the_anytown_tracker_needs_its_own_words_mapped_once(anytown):
    record, shown = preview(anytown, "anytown-recruitment.xlsx")
    unknown = {(u.field, u.written) for u in shown.plan.unknown_values()}
    # Everything else matches by itself: the rules reach these two no further.
    assert unknown <= {
        ("role", "Social Worker (Level 2)"),
        ("role", "Drug & Alcohol Recovery Worker"),
        ("status", "Interviews arranged"),
    }
    assert {new.name for new in shown.plan.organisations_added} >= {
        "Anytown Borough Council",
        "Change Grow Live",
        "Safe Homes Domestic Abuse Service",
        "Anyshire Health and Care NHS Foundation Trust",
    }

    lookups = RECRUITMENT.lookups_of(record)
    keys = {"role": {}, "status": {"Interviews arranged": "interviewed"}}
    for title, role in (
        ("Social Worker (Level 2)", "Social worker"),
        ("Drug & Alcohol Recovery Worker", "Substance misuse worker"),
    ):
        keys["role"][title] = value_mappings.key_of(lookups, "role", role)
    value_mappings.choose(record, lookups, keys)
    plan = RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)

    assert plan.counts["rejected"] == 0
    assert plan.counts["created"] == 8
    assert {
        ("Anytown Borough Council", "council"),
        ("Change Grow Live", "substance_misuse_provider"),
        ("National Probation Service", "probation"),
        ("Safe Homes Domestic Abuse Service", "da_charity"),
        ("Anyshire Health and Care NHS Foundation Trust", "mental_health_trust"),
    } <= organisations()

    _, again = preview(anytown, "anytown-recruitment.xlsx")
    assert again.plan.counts["rejected"] == 0
    assert again.plan.counts["created"] + again.plan.counts["updated"] == 0


def test_a_chosen_type_for_a_new_organisation_is_used_when_applied(anyshire):
    record, _ = preview(anyshire, "anyshire-vacancies.csv")
    value_mappings.choose(
        record, RECRUITMENT.lookups_of(record), {"organisation": {"Humankind": "type:other"}}
    )
    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)
    assert ("Humankind", "other") in organisations()


def test_a_new_employer_said_to_be_a_known_one_joins_it_and_is_remembered(anyshire):
    record, _ = preview(anyshire, "anyshire-vacancies.csv")
    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)
    trust = db.session.scalar(
        select(Organisation).where(Organisation.name == "Anyshire Partnership NHS Trust")
    )
    rows = [
        ["Vacancy No", "Area", "Team", "Post", "Organisation", "Stage"],
        ["V2050", "Eastvale", "Eastvale FS Team", "MH Practitioner", "APNT", "Out to advert"],
    ]
    from tests.files import csv_bytes

    second, shown = RECRUITMENT.upload(
        anyshire, csv_bytes(rows), "more.csv", None, LIMITS, today=TODAY
    )
    assert [new.name for new in shown.plan.organisations_added] == ["APNT"]
    value_mappings.choose(
        second, RECRUITMENT.lookups_of(second), {"organisation": {"APNT": str(trust.id)}}
    )
    RECRUITMENT.apply_import(second, None, today=TODAY, limits=LIMITS)

    db.session.refresh(trust)
    assert "APNT" in trust.names
    assert ("APNT", "mental_health_trust") not in organisations()
    post = db.session.scalar(select(Post).where(Post.reference == "V2050"))
    assert post.organisation_id == trust.id


def test_the_preview_offers_each_new_organisation_with_its_type_chosen(anyshire):
    record, shown = preview(anyshire, "anyshire-vacancies.csv")

    offered = value_mappings.choices_for(RECRUITMENT, record, shown.plan).organisations

    chosen = {choice.written: choice.chosen for choice in offered}
    assert chosen["Humankind"] == "type:substance_misuse_provider"
    assert chosen["Anyshire County Council"] == "type:council"
    labels = [label for _key, label in offered[0].options]
    assert "New organisation: Domestic abuse charity" in labels
    assert offered[0].column == "Organisation"
