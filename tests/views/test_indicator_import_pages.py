"""The indicator import through the shared import pages: preview (a changed value shown as a
change), apply, and who may import it."""

from __future__ import annotations

import io

from sqlalchemy import delete, select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import ImportRecord, Indicator, IndicatorValue
from programme.services.indicator_import import INDICATORS
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.pages import page_of, visible_text

HEADER = ["Area", "Measure", "Month", "Figure"]


def _world():
    programme = create_programme(slug="westshire")
    create_locality(programme, name="Bridgwater", slug="bridgwater")
    # A programme starts with the seeded catalogue; these tests use one indicator of their own.
    db.session.execute(delete(Indicator).where(Indicator.programme_id == programme.id))
    db.session.add(
        Indicator(
            programme_id=programme.id,
            key="children-looked-after",
            name="Children looked after, per 10,000",
            unit="per_10000",
            frequency="monthly",
            version=1,
        )
    )
    db.session.commit()
    return programme


def _upload(client, programme, data: bytes):
    return client.post(
        f"/programmes/{programme.slug}/imports/indicators/new",
        data={"file": (io.BytesIO(data), "return.csv", "text/csv")},
        content_type="multipart/form-data",
    )


def test_a_programme_manager_previews_a_change_and_applies_the_return(app, sign_in):
    programme = _world()
    INDICATORS.import_file(
        programme,
        csv_bytes([HEADER, ["Bridgwater", "CLA rate", "Oct 2026", "60"]]),
        "october.csv",
        None,
        today=TODAY,
        limits=ReadLimits(),
    )
    client = sign_in(create_user("programme_manager"))

    uploaded = _upload(
        client,
        programme,
        csv_bytes(
            [
                HEADER,
                ["Bridgwater", "CLA rate", "Oct 2026", "57.5"],
                ["Bridgwater", "CLA rate", "Nov 2026", "55"],
            ]
        ),
    )
    preview = page_of(client.get(uploaded.headers["Location"]))
    applied = client.post(uploaded.headers["Location"] + "/apply", follow_redirects=True)

    text = visible_text(preview)
    assert "New value" in text
    assert "60 → 57.5" in text
    assert applied.status_code == 200
    assert "Imported return.csv" in page_of(applied)

    record = db.session.scalars(
        select(ImportRecord).where(ImportRecord.original_name == "return.csv")
    ).one()
    undo_url = f"/programmes/{programme.slug}/imports/{record.id}/undo"
    confirm = visible_text(page_of(client.get(undo_url)))
    assert "1 indicator value created by the import will be deleted" in confirm
    assert "Bridgwater · Children looked after, per 10,000 · Nov 2026: 55" in confirm
    assert "57.5 per 10,000 children → 60 per 10,000 children" in confirm
    assert "post" not in confirm.lower()
    undone = client.post(undo_url, follow_redirects=True)
    assert "Undid the import of return.csv: 2 rows put back." in page_of(undone)
    assert [value.value for value in db.session.scalars(select(IndicatorValue))] == [60.0]


def test_an_hr_lead_may_import_spreadsheets_but_not_outcomes(app, sign_in):
    programme = _world()
    client = sign_in(create_user("hr_lead"))
    assert client.get(f"/programmes/{programme.slug}/imports/indicators/new").status_code == 403
    page = page_of(client.get(f"/programmes/{programme.slug}/imports"))
    assert "/imports/indicators/new" not in page
