"""Where issue 11's parts meet: undo and the organisations an import added, expired previews
and undo, close names, "In post" from a later day with a blank start, and the imports list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Organisation, Post
from programme.services import imports, organisations, retention
from programme.services.errors import Conflict
from programme.services.recruitment_import import RECRUITMENT, undo_import
from programme.services.recruitment_undo import describe_undo
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import count_rows, reread
from tests.services.test_organisations_import import HEADER, _import, _programme

FULL = [
    "Post ref",
    "Service area",
    "Team",
    "Job title",
    "Employer",
    "Current status",
    "Start date",
    "Holder",
]


def _employer(reference):
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.reference == reference)).organisation


def test_undo_of_an_import_that_moved_a_post_to_a_new_organisation_removes_that_organisation(app):
    programme = _programme()
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"]])
    orgs_before = count_rows(Organisation)
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "Safe Homes", "In post"]])
    assert _employer("BW-1").name == "Safe Homes"
    record = reread(imports.last_applied(programme))

    summary = describe_undo(record)
    assert summary.organisations == ["Safe Homes"]

    undo_import(record, None)

    assert _employer("BW-1").name == "Westshire Probation Delivery Unit"
    assert count_rows(Organisation) == orgs_before, "the organisation the import added is left"


def test_undo_page_names_the_employer_not_its_id(app):
    programme = _programme()
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"]])
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "WCC", "In post"]])
    summary = describe_undo(reread(imports.last_applied(programme)))
    [item] = summary.reverted
    assert (
        "Employing organisation",
        "Westshire County Council",
        "Westshire Probation Delivery Unit",
    ) in item.changes, item.changes


def test_a_neighbouring_council_is_not_taken_for_the_known_one(app):
    programme = _programme()
    plan = _import(
        programme,
        [["BW-1", "Bridgwater", "FS Team", "Team manager", "Eastshire County Council", "In post"]],
        dry_run=True,
    )
    assert plan.organisations_matched == [], plan.organisations_matched


def test_in_post_with_a_blank_start_keeps_a_future_stored_start_and_is_warned(app):
    programme = _programme()

    def run(status: str, start: str):
        row = ["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", status, start, "Al"]
        return RECRUITMENT.import_file(
            programme, csv_bytes([FULL, row]), "t.csv", None, today=TODAY, limits=ReadLimits()
        )

    run("Appointed", "01/02/2027")
    plan = run("In post", "")

    post = reread(db.session.scalar(select(Post).where(Post.reference == "BW-1")))
    assert post.status == "appointed"
    assert [warning.message.split(";")[0] for warning in plan.warnings] == [
        "In post from 1 Feb 2027, which is after today"
    ]


def test_an_expired_preview_does_not_hide_the_import_to_undo(app):
    programme = _programme()
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"]])
    applied = imports.last_applied(programme)
    record, _ = RECRUITMENT.upload(
        programme,
        csv_bytes([HEADER, ["BW-2", "Bridgwater", "FS Team", "IDVA", "WCC", "Vacant"]]),
        "later.csv",
        None,
        ReadLimits(),
        today=TODAY,
    )
    assert record.created + record.updated > 0
    uploaded = reread(record).uploaded_at
    retention.purge(uploaded + timedelta(days=30), 14)
    assert reread(record).state == "expired"
    assert imports.last_applied(programme).id == applied.id


def test_what_the_preview_says_it_adds_is_what_applying_adds(app):
    programme = _programme(partners=False)  # no domestic abuse charity yet
    rows = [
        ["BW-1", "Bridgwater", "FS Team", "IDVA", "Safe Homes Domestic Abuse Service", "Vacant"],
        ["BW-2", "Bridgwater", "FS Team", "IDVA", "Domestic abuse charity", "Vacant"],
    ]
    plan = _import(programme, rows)

    reported = {(new.name, new.type) for new in plan.organisations_added}
    made = {
        (o.name, o.type)
        for o in db.session.scalars(select(Organisation).where(Organisation.type == "da_charity"))
    }
    assert reported == made
    assert _employer("BW-2").name == "Domestic abuse charity"


def test_no_two_organisations_have_names_an_import_cannot_tell_apart(app):
    programme = _programme()
    organisations.create_organisation(programme, "Safe Homes DA Service", "da_charity", None)
    with pytest.raises(Conflict, match="already"):
        organisations.create_organisation(
            programme, "Safe Homes Domestic Abuse Service", "da_charity", None
        )
    rows = [
        ["BW-1", "Bridgwater", "FS Team", "IDVA", "Safe Homes Domestic Abuse Service", "Vacant"]
    ]
    plan = _import(programme, rows)
    assert plan.counts["rejected"] == 0
    assert _employer("BW-1").name == "Safe Homes DA Service"


def test_imports_list_with_a_preview_that_skipped_rows(app, client, sign_in):
    from tests.builders import create_user
    from tests.files import xlsx_bytes

    programme = _programme()
    RECRUITMENT.upload(
        programme,
        xlsx_bytes(
            [
                HEADER,
                ["BW-1", "Bridgwater", "FS Team", "IDVA", "WCC", "Vacant"],
                ["TOTAL", None, None, None, None, 1],
            ]
        ),
        "t.xlsx",
        None,
        ReadLimits(),
        today=TODAY,
    )
    sign_in(create_user("hr_lead"))
    response = client.get(f"/programmes/{programme.slug}/imports")
    assert response.status_code == 200
    assert "1 row not data" in response.get_data(as_text=True)
