"""Creating a programme with the default Family Safeguarding configuration."""

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Programme, TimelineTemplate, TimelineTemplateItem
from programme.services import programmes
from programme.services.errors import Conflict, ServiceError
from programme.services.outcomes.catalogue import default_indicators, indicators_of
from tests.builders import create_user
from tests.queries import count_rows


def test_a_new_programme_gets_the_lancashire_timeline_and_is_audited(app):
    admin = create_user("admin")

    programme = programmes.create_programme("Somerset Family Safeguarding", None, admin)

    assert programme.slug == "somerset-family-safeguarding"
    [template] = programme.timeline_templates
    assert template.key == "lancashire"
    assert len(template.items) == 20
    assert [w.name for w in programme.workstreams][0] == "Governance and partnership"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "programme"))
    assert (event.action, event.actor_id) == ("create", admin.id)
    assert event.after == {
        "name": "Somerset Family Safeguarding",
        "slug": "somerset-family-safeguarding",
    }


def test_a_second_programme_with_the_same_slug_is_a_conflict_and_adds_nothing(app):
    programmes.create_programme("Somerset", "somerset", None)
    templates_before = count_rows(TimelineTemplate)

    with pytest.raises(Conflict) as refused:
        programmes.create_programme("Somerset again", "somerset", None)

    assert refused.value.field == "slug"
    assert count_rows(Programme) == 1
    assert count_rows(TimelineTemplate) == templates_before


@pytest.mark.parametrize(
    ("name", "slug", "field"),
    [("  ", None, "name"), ("Somerset", "Somerset County", "slug"), ("Somerset", "-x-", "slug")],
)
def test_an_invalid_programme_is_refused_naming_the_field_and_writes_nothing(
    app, name, slug, field
):
    with pytest.raises(ServiceError) as refused:
        programmes.create_programme(name, slug, None)

    assert refused.value.field == field
    assert count_rows(Programme) == 0
    assert count_rows(TimelineTemplateItem) == 0
    assert count_rows(AuditEvent) == 0


def test_a_new_programme_starts_with_the_outcome_indicators_of_the_seed(app):
    programme = programmes.create_programme("Indicators programme", None, None)

    indicators = {indicator.key: indicator for indicator in indicators_of(programme)}
    assert set(indicators) == {spec.key for spec in default_indicators()}
    assert indicators["permanent-share"].lower_is_better is False
    assert indicators["average-caseload"].unit == "average"
    assert indicators["re-referrals"].frequency == "quarterly"
    assert indicators["children-looked-after"].source == "Bury cabinet report, 2022"
