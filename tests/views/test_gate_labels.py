"""The gate pages speak in labels: no criterion key (`adult_specialists_recruited`) and no ISO
date in what a reader sees."""

import re

import pytest

from programme.services.readiness import gate_criteria
from tests.builders import create_locality, create_user
from tests.pages import page_of, visible_text
from tests.services.test_rule_as_written import old_programme

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _keys_shown(text: str, programme) -> list[str]:
    return [c.key for c in gate_criteria.criteria(programme) if c.key in text]


@pytest.mark.parametrize("role", ["programme_manager", "viewer"])
def test_the_gate_page_shows_labels_not_keys_or_iso_dates(app, sign_in, role):
    locality = create_locality()
    programme = locality.programme
    client = sign_in(create_user(role))

    text = visible_text(page_of(client.get(f"/programmes/{programme.slug}/readiness/gate")))

    assert _keys_shown(text, programme) == []
    assert not ISO_DATE.search(text)
    for criterion in gate_criteria.criteria(programme):
        assert criterion.label in text


def test_the_rule_as_written_offer_names_criteria_by_label(app, sign_in):
    programme = old_programme("somerset")
    client = sign_in(create_user("programme_manager"))

    text = visible_text(page_of(client.get(f"/programmes/{programme.slug}/readiness/gate")))

    assert "Use the rule as written" in text
    assert _keys_shown(text, programme) == []
    assert not ISO_DATE.search(text)


def test_the_criterion_pages_show_labels_not_keys(app, sign_in):
    locality = create_locality()
    programme = locality.programme
    client = sign_in(create_user("programme_manager"))
    criterion = gate_criteria.criteria(programme)[0]

    pages = [
        f"/programmes/{programme.slug}/readiness/gate/new",
        f"/programmes/{programme.slug}/localities/{locality.slug}/exceptions/{criterion.id}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(page_of(response))
        assert _keys_shown(text, programme) == [], url
        assert not ISO_DATE.search(text), url
