"""The gate and training pages show where each default comes from, beside the value."""

import re

from tests.builders import create_programme, create_user
from tests.pages import page_of, visible_text


def _row(page: str, criterion_key: str) -> str:
    return visible_text(re.search(rf'<tr id="c-{criterion_key}".*?</tr>', page, re.S)[0])


def test_the_gate_page_shows_each_threshold_s_source(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("board_member"))

    page = page_of(client.get(f"/programmes/{programme.slug}/readiness/gate"))

    assert "70% Lancashire scrutiny update, March 2021" in _row(page, "adult_specialists_recruited")
    assert "100% assumption: this tracker's addition to the Lancashire rule" in _row(
        page, "gate_milestones_done"
    )


def test_the_training_overview_shows_where_each_course_and_its_cost_come_from(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("viewer"))

    text = visible_text(page_of(client.get(f"/programmes/{programme.slug}/training")))

    assert (
        "16 places, £2,500 per cohort assumption: no source gives the workshops' cost; "
        "change it to your own." in text
    )
    assert "Source Lancashire scrutiny update, March 2021" in text


def test_the_training_overview_says_the_module_titles_are_an_assumption(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("viewer"))

    text = visible_text(page_of(client.get(f"/programmes/{programme.slug}/training")))

    assert (
        "Module titles assumption: four days are a common shape for MI training, not one "
        "council's; change the days to your provider's programme." in text
    )
