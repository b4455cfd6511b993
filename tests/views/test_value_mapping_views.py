"""Mapping a tracker's own words in the web preview, and the page of remembered names."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import ImportRecord, Role, ValueAlias
from programme.services import localities
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.pages import page_of

HEADER = ["Vacancy ref", "Area", "Team", "Post Title", "Stage"]
ROWS = [
    ["V-1", "Westvale", "Westvale FS Team", "Social Worker (Level 2)", "Interviews arranged"],
    ["V-2", "Westvale", "Westvale FS Team", "IDVA", "Advertised"],
]


@pytest.fixture
def programme(app, sign_in):
    programme = create_programme(slug="anyshire")
    locality = create_locality(programme, name="Westvale")
    localities.create_team(locality, "Westvale FS Team", None, today=TODAY)
    sign_in(create_user("hr_lead"))
    return programme


def url(suffix: str = "") -> str:
    return f"/programmes/anyshire/imports{suffix}"


def upload(client):
    return client.post(
        url("/recruitment/new"),
        data={"file": (io.BytesIO(csv_bytes([HEADER, *ROWS])), "tracker.csv", "text/csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def selected(page: str, label_text: str) -> str:
    """The option selected in the select labelled with `label_text`."""
    number = re.search(rf'for="choice-(\w+)">{re.escape(label_text)}<', page).group(1)
    select_html = re.search(rf'<select[^>]*id="choice-{number}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="[^"]*" selected>([^<]*)<', select_html).group(1)


def test_the_preview_offers_each_unknown_word_with_its_suggestion_chosen(client, programme):
    page = page_of(upload(client))

    assert "Words this programme does not know yet" in page
    assert selected(page, "“Social Worker (Level 2)” in Post Title") == "Treat as Social worker"
    assert 'id="choice-v1-hint">Row 2<' in page
    assert selected(page, "“Interviews arranged” in Stage") in {
        "Leave the rows rejected",
        "Treat as Interviewed",
    }


def test_choosing_values_replans_then_applying_remembers_them(client, programme):
    upload(client)
    record = db.session.scalar(select(ImportRecord))
    role_id = db.session.scalar(select(Role.id).filter_by(key="social_worker"))
    form = {
        "value-1": "Social Worker (Level 2)",
        "field-1": "role",
        "choice-1": str(role_id),
        "value-2": "Interviews arranged",
        "field-2": "status",
        "choice-2": "interviewed",
    }

    page = page_of(client.post(url(f"/{record.id}/values"), data=form, follow_redirects=True))

    assert 'data-count="rejected">0<' in page
    assert "Treated in this preview as Interviewed" in page
    client.post(url(f"/{record.id}/apply"), follow_redirects=True)
    names = page_of(client.get(url("/names")))
    assert "“Interviews arranged”" in names
    assert "Interviewed" in names
    second = page_of(upload(client))
    assert 'data-count="rejected">0<' in second
    assert "Words this programme does not know yet" not in second


def test_a_choice_of_no_known_value_is_refused_on_the_preview(client, programme):
    upload(client)
    record = db.session.scalar(select(ImportRecord))
    form = {"value-1": "Interviews arranged", "field-1": "status", "choice-1": "hired"}

    response = client.post(url(f"/{record.id}/values"), data=form)

    assert response.status_code == 400
    assert "Choose a known value for “Interviews arranged”" in page_of(response)


def test_a_remembered_name_can_be_forgotten_from_its_page(client, programme):
    alias = ValueAlias(
        programme_id=programme.id, field="status", name="Interviews arranged", target="interviewed"
    )
    db.session.add(alias)
    db.session.commit()

    response = client.post(url(f"/names/{alias.id}/forget"), follow_redirects=True)

    assert "Forgot “Interviews arranged”" in page_of(response)
    assert db.session.scalars(select(ValueAlias)).all() == []
