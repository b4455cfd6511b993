"""The gate page: the defaults' labels, one-course training criteria added from the form, and
the offer to use Lancashire's rule as written for a programme made before it."""

from __future__ import annotations

import re

from programme.models import AuditEvent
from programme.services.readiness import gate_criteria
from tests.builders import create_programme, create_user
from tests.pages import page_of, visible_text
from tests.queries import count_rows
from tests.services.test_rule_as_written import old_programme
from tests.views.test_readiness import _criterion_form, _flashes, _gate_url

OFFER = re.compile(r'<section aria-labelledby="rule-as-written">.*?</section>', re.S)


def _keys(programme) -> list[str]:
    return [c.key for c in gate_criteria.criteria(programme)]


def test_a_new_programme_s_gate_names_its_courses_and_the_tracker_s_addition(app, sign_in):
    programme = create_programme(slug="somerset")
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(_gate_url(programme)))

    row = visible_text(re.search(r'<tr id="c-trained_mi_and_fs".*?</tr>', page, re.S)[0])
    assert (
        "completed every one of Motivational Interviewing and FS practice and change workshops"
    ) in row
    milestones = re.search(r'<tr id="c-gate_milestones_done".*?</tr>', page, re.S)[0]
    assert "This tracker's addition to the Lancashire rule" in visible_text(milestones)
    assert "/remove" in milestones  # removable
    assert not OFFER.search(page)


def test_a_one_course_criterion_is_added_from_the_form(app, sign_in):
    programme = create_programme(slug="somerset")
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        _gate_url(programme, "/new"),
        data=_criterion_form(kind="trained", label="Trained in MI", threshold="70", courses=["mi"]),
    )

    assert response.status_code == 302
    assert _keys(programme)[-1] == "trained_mi"


def test_an_existing_programme_is_offered_the_rule_as_written_once(app, sign_in):
    programme = old_programme("somerset")
    viewer = sign_in(create_user("viewer"))
    assert not OFFER.search(page_of(viewer.get(_gate_url(programme))))  # not theirs to change
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(_gate_url(programme)))

    offer = visible_text(OFFER.search(page)[0])
    assert (
        "replace “Relevant staff trained in Motivational Interviewing” and “Relevant staff "
        "trained in the workshops” with “Relevant staff trained in MI and the FS practice and "
        "change workshops” at 70%"
    ) in offer
    assert "let you remove “Gate-critical milestones done”" in offer
    assert 'name="csrf_token"' in OFFER.search(page)[0]

    response = client.post(_gate_url(programme, "/rule-as-written"))

    assert response.status_code == 302
    after = page_of(client.get(response.location))
    assert any("now follows the rule as written" in text for text in _flashes(after))
    assert not OFFER.search(after)
    assert _keys(programme) == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]
    assert count_rows(AuditEvent, AuditEvent.summary.like("Used the rule as written%")) == 1

    again = client.post(_gate_url(programme, "/rule-as-written"))
    assert any("Nothing changed" in text for text in _flashes(page_of(client.get(again.location))))
