"""The finance spreadsheet import through the import pages: upload, preview, apply, undo; and
who may use it (importing spreadsheets and managing finance)."""

from __future__ import annotations

import io

from sqlalchemy import select

from programme.extensions import db
from programme.models import BudgetLine, ImportRecord, Spend
from tests.builders import create_programme, create_user
from tests.files import csv_bytes
from tests.pages import page_of, visible_text

CSV = "text/csv"


def _setting():
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    db.session.add(
        BudgetLine(
            programme_id=programme.id,
            financial_year=2025,
            category="training",
            funding_source="Council",
            amount_pence=50_000_00,
        )
    )
    db.session.commit()
    return programme


def _upload(client, programme, data: bytes, filename: str = "actuals.csv"):
    return client.post(
        f"/programmes/{programme.slug}/imports/spend/new",
        data={"file": (io.BytesIO(data), filename, CSV)},
        content_type="multipart/form-data",
    )


GOOD = csv_bytes(
    [
        ["Spend category", "Qtr", "Financial Year", "Amount (£)", "Narrative"],
        ["Training and development", "Q1", "2025/26", "£1,234.56", "MI course"],
        ["Training", "Q2", "2025/26", "(100.00)", "Refund of a place"],
        ["Total", None, None, "£1,134.56", None],
    ]
)


def test_a_programme_manager_previews_applies_and_undoes_a_finance_spreadsheet(app, sign_in):
    programme = _setting()
    client = sign_in(create_user("programme_manager"))
    index = page_of(client.get(f"/programmes/{programme.slug}/imports"))
    assert "Import a finance spreadsheet of actual spend" in index

    uploaded = _upload(client, programme, GOOD)
    assert uploaded.status_code == 302
    record = db.session.scalars(select(ImportRecord)).one()
    preview = visible_text(page_of(client.get(uploaded.headers["Location"])))
    assert "Q1 2025/26 · Training · Council · £1,234.56" in preview
    assert "Q2 2025/26 · Training · Council · −£100 (refund)" in preview
    assert db.session.scalars(select(Spend)).all() == []  # a preview writes nothing

    applied = client.post(
        f"/programmes/{programme.slug}/imports/{record.id}/apply", follow_redirects=True
    )
    assert applied.status_code == 200
    assert "Imported actuals.csv: 2 created" in page_of(applied)
    assert sorted(s.amount_pence for s in db.session.scalars(select(Spend))) == [-10000, 123456]

    confirm = visible_text(
        page_of(client.get(f"/programmes/{programme.slug}/imports/{record.id}/undo"))
    )
    assert "the 2 spend rows it recorded will be deleted" in confirm
    assert "2 spend rows created by the import will be deleted" in confirm  # not "posts"
    assert "post" not in confirm.lower()
    undone = client.post(
        f"/programmes/{programme.slug}/imports/{record.id}/undo", follow_redirects=True
    )
    assert "Undid the import of actuals.csv: 2 rows put back." in page_of(undone)
    db.session.expire_all()
    assert db.session.scalars(select(Spend)).all() == []


def test_a_bad_row_is_named_and_nothing_can_be_applied(app, sign_in):
    programme = _setting()
    client = sign_in(create_user("programme_manager"))
    data = csv_bytes(
        [
            ["Year", "Quarter", "Category", "Amount"],
            ["2025/26", "Q1", "Training", "100"],
            ["2027/28", "Q1", "Training", "100"],
        ]
    )
    location = _upload(client, programme, data).headers["Location"]
    preview = visible_text(page_of(client.get(location)))
    assert "There is no training budget line for 2027/28: add one first." in preview
    record = db.session.scalars(select(ImportRecord)).one()
    forced = client.post(f"/programmes/{programme.slug}/imports/{record.id}/apply")
    assert forced.status_code == 409
    assert db.session.scalars(select(Spend)).all() == []


def test_a_wrong_file_type_is_refused_on_the_upload_page(app, sign_in):
    programme = _setting()
    client = sign_in(create_user("programme_manager"))
    response = _upload(client, programme, b"%PDF-1.4", "actuals.pdf")
    assert response.status_code == 400
    assert "There is a problem" in page_of(response)
    assert db.session.scalars(select(ImportRecord)).all() == []


def test_importing_spend_needs_the_finance_permission_too(app, sign_in):
    programme = _setting()
    client = sign_in(create_user("trainer"))  # imports spreadsheets, does not manage finance
    assert client.get(f"/programmes/{programme.slug}/imports/spend/new").status_code == 403
    index = page_of(client.get(f"/programmes/{programme.slug}/imports"))
    assert "finance spreadsheet" not in index
