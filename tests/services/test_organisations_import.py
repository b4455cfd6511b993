"""The recruitment import and partner organisations: a tracker's employer column names them by
name, another name or (old-style files) their type; an employer the programme does not know is
refused for now; the organisations a file needs and the programme lacks are added on apply, and
an undo takes them away again."""

from __future__ import annotations

from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Organisation, Post
from programme.services import imports, localities, organisations
from programme.services.recruitment_import import RECRUITMENT, undo_import
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import count_rows, reread

HEADER = ["Post ref", "Service area", "Team", "Job title", "Employer", "Current status"]


def _programme(partners: bool = True):
    """Bridgwater with one team of 11 Lancashire posts; with named partners, made first, the
    posts go to them."""
    programme = create_programme(slug="westshire")
    if partners:
        for name, kind, names in (
            ("Westshire County Council", "council", ["WCC"]),
            ("Westshire Probation Delivery Unit", "probation", ["HMPPS"]),
            ("Westshire Partnership NHS Trust", "mental_health_trust", []),
        ):
            organisations.create_organisation(programme, name, kind, None, names=names)
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    localities.create_team(locality, "FS Team", None, establishment="lancashire", today=TODAY)
    return programme


def _import(programme, rows, **options):
    return RECRUITMENT.import_file(
        programme,
        csv_bytes([HEADER, *rows]),
        "tracker.csv",
        None,
        today=TODAY,
        limits=ReadLimits(),
        **options,
    )


def _employer_of(reference: str) -> Organisation:
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.reference == reference)).organisation


def test_a_tracker_names_employers_by_name_other_name_or_type_and_reimports_unchanged(app):
    programme = _programme()
    rows = [
        ["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"],
        ["BW-2", "Bridgwater", "FS Team", "MH practitioner", "NHS trust", "Advertised"],
        ["BW-3", "Bridgwater", "FS Team", "Team manager", "westshire county council", "In post"],
        ["BW-4", "Bridgwater", "FS Team", "Social worker", "", "Vacant"],
    ]

    plan = _import(programme, rows)

    assert plan.counts == {"created": 0, "updated": 4, "unchanged": 0, "rejected": 0}
    assert {ref: _employer_of(ref).name for ref in ("BW-1", "BW-2", "BW-3", "BW-4")} == {
        "BW-1": "Westshire Probation Delivery Unit",
        "BW-2": "Westshire Partnership NHS Trust",
        "BW-3": "Westshire County Council",
        "BW-4": "Westshire County Council",  # the post's own employer is left alone
    }
    again = _import(programme, rows)
    assert again.counts["unchanged"] == 4


def test_a_row_moving_a_post_to_another_employer_changes_it(app):
    programme = _programme()
    charity = organisations.create_organisation(
        programme, "Westshire Women's Aid", "da_charity", None
    )
    _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"]])

    plan = _import(
        programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "Women's Aid", "In post"]]
    )

    [row] = plan.rows
    assert row.action == "updated"
    assert [
        plan.describe("organisation_id", value) for value in row.changes["organisation_id"]
    ] == [
        "Westshire Probation Delivery Unit",
        "Westshire Women's Aid",
    ]
    assert _employer_of("BW-1") == charity


def test_an_employer_close_to_one_the_programme_knows_is_taken_for_it(app):
    programme = _programme()
    before = count_rows(Organisation)

    plan = _import(
        programme,
        [
            [
                "BW-1",
                "Bridgwater",
                "FS Team",
                "DA officer",
                "Westshire Probation Delivry Unit",
                "In post",
            ]
        ],
    )

    assert plan.counts["rejected"] == 0
    [match] = plan.organisations_matched
    assert match.organisation.name == "Westshire Probation Delivery Unit"
    assert count_rows(Organisation) == before
    assert _employer_of("BW-1").name == "Westshire Probation Delivery Unit"


def test_a_post_needing_a_type_the_programme_lacks_adds_it_on_apply_and_undo_removes_it(app):
    programme = _programme()
    rows = [
        ["BW-9", "Bridgwater", "FS Team", "IDVA", "", "Advertised"],
        ["BW-10", "Bridgwater", "FS Team", "IDVA", "DA charity", "Advertised"],
    ]

    preview = _import(programme, rows, dry_run=True)
    assert preview.counts["created"] == 2
    assert [
        preview.describe("organisation_id", r.values["organisation_id"]) for r in preview.rows
    ] == [
        # The post naming no employer goes to the one of its type that the file adds.
        "DA charity (a new organisation)",
        "DA charity (a new organisation)",
    ]
    assert count_rows(Organisation) == 3  # a dry run adds nothing

    _import(programme, rows)

    added = _employer_of("BW-9")
    assert (added.name, added.type) == ("DA charity", "da_charity")
    assert _employer_of("BW-10") == added  # one organisation, however many rows need it
    assert added.import_id is not None
    assert _import(programme, rows).counts["unchanged"] == 2

    undo_import(reread(imports.last_applied(programme)), None)

    assert count_rows(Organisation) == 3
    assert count_rows(Post, Post.reference.is_not(None)) == 0


def test_a_programme_without_partners_gets_one_per_type_named_after_it(app):
    programme = _programme(partners=False)

    assert sorted((o.name, o.type) for o in organisations.organisations_of(programme)) == [
        ("Council", "council"),
        ("Mental health trust", "mental_health_trust"),
        ("Probation", "probation"),
    ]
    plan = _import(programme, [["BW-1", "Bridgwater", "FS Team", "DA officer", "HMPPS", "In post"]])
    assert plan.counts["updated"] == 1
    assert _employer_of("BW-1").name == "Probation"
