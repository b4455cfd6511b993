"""Issue 11's rows and columns, across the three imports: rows that are not data are skipped and
listed (never rejected), every column the app recognises is used, and blank cells leave stored
values alone unless the user chooses otherwise for one import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from programme.domain.imports import header_signature
from programme.domain.spreadsheet import ReadLimits, SkippedRow
from programme.extensions import db
from programme.models import ColumnMapping, ImportRecord, Post, StaffMember
from programme.services import localities
from programme.services.attendance_import import ATTENDANCE
from programme.services.errors import Conflict
from programme.services.import_flow import PreviewChanged
from programme.services.recruitment_import import RECRUITMENT
from programme.services.staff_import import STAFF
from programme.services.training import catalogue
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
)
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import reread

LIMITS = ReadLimits()
# An HR business partner's tracker: its own words, its own column order, a column we do not read.
ANYTOWN_HEADER = [
    "Post No.",
    "Area",
    "Team",
    "Post Title",
    "Recruitment Stage",
    "Post Holder",
    "Start Date",
    "WTE",
    "Grade",
]
NORTH = ["Anytown North", "FS Team 1"]
SOUTH = ["Anytown South", "FS Team 2"]
ANYTOWN_ROWS = [
    ["AT/FS/01", *NORTH, "IDVA", "In post", "Rhys Owen", date(2026, 9, 1), 1, "NJC 9"],
    ["AT/FS/02", *NORTH, "DA officer", "Offer made", "Nadia Ali", date(2027, 1, 11), 1, None],
    ["AT/FS/03", *NORTH, "IDVA", "Advertised", None, None, 1, "NJC 9"],
    ["AT/FS/04", *NORTH, "Mental health practitioner", "Shortlisted", None, None, 0.8, None],
    ["AT/FS/05", *NORTH, "Social worker", "In post", "Tom Briggs", date(2024, 4, 8), 1, None],
    ["AT/FS/06", *NORTH, "Social worker", "In post", "Lucy Hart", date(2023, 11, 6), 1, None],
    ["AT/FS/07", *SOUTH, "IDVA", "Interviewed", None, None, 1, None],
    ["AT/FS/08", *SOUTH, "IDVA", "Vacant", None, None, 0.5, None],
]


def anytown_tracker() -> bytes:
    return xlsx_bytes(
        [
            ANYTOWN_HEADER,
            *ANYTOWN_ROWS,
            [],
            ["TOTAL", None, None, None, None, None, None, "=SUM(H5:H12)"],
            ["Key: In post = started; Offer made = conditional offer accepted"],
            [],
        ],
        title_rows=[
            ["Anytown Borough Council — Family Safeguarding establishment and recruitment"],
            ["Owner: HR Business Partner · refreshed weekly"],
            [],
        ],
        merge=["A1:I1"],
        sheet_title="FS posts",
    )


@pytest.fixture
def anytown(app):
    programme = create_programme("Anytown Family Safeguarding", "anytown")
    for place, team in (NORTH, SOUTH):
        locality = create_locality(programme, name=place, slug=place.lower().replace(" ", "-"))
        localities.create_team(locality, team, None)
    return programme


def upload(importer, programme, data: bytes, filename: str):
    return importer.upload(programme, data, filename, None, LIMITS, today=TODAY)


def apply(importer, record: ImportRecord, confirmed: str | None = None):
    return importer.apply_import(record, None, today=TODAY, limits=LIMITS, confirmed=confirmed)


def import_(importer, programme, data: bytes, filename: str, **options):
    return importer.import_file(
        programme, data, filename, None, today=TODAY, limits=LIMITS, **options
    )


def skipped(plan_or_table) -> list[tuple[int, str]]:
    return [(entry.number, entry.reason) for entry in plan_or_table.skipped]


def post_with(reference: str) -> Post:
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.reference == reference))


# ------------------------------------------------------------------ rows that are not data


def test_an_hr_tracker_with_a_total_and_a_key_imports_and_lists_three_rows_not_data(anytown):
    record, preview = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")

    # Every column the app recognised is used: nothing to map by hand, "Post No." included.
    assert preview.missing == []
    assert preview.mapping == {
        "reference": 0,
        "locality": 1,
        "team": 2,
        "role": 3,
        "fte": 7,
        "status": 4,
        "holder_name": 5,
        "start_date": 6,
    }
    assert preview.unused == ["Grade"]
    assert preview.plan.counts == {"created": 8, "updated": 0, "unchanged": 0, "rejected": 0}
    assert skipped(preview.plan) == [(13, "a blank row"), (14, "a total row"), (15, "a key")]
    assert record.skipped == [
        {"row": 13, "last": None, "reason": "a blank row"},
        {"row": 14, "last": None, "reason": "a total row"},
        {"row": 15, "last": None, "reason": "a key"},
    ]
    assert record.skipped_count == 3

    plan = apply(RECRUITMENT, reread(record))

    assert plan.count("created") == 8
    assert post_with("AT/FS/04").fte == 0.8
    assert reread(record).skipped_count == 3
    again = import_(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 8, "rejected": 0}
    assert skipped(again) == [(13, "a blank row"), (14, "a total row"), (15, "a key")]


def test_a_csv_export_with_a_repeated_header_and_a_grand_total_imports(anytown):
    header = ["Vacancy No", "Area", "Team", "Post", "Stage", "Name", "Start"]
    data = csv_bytes(
        [
            header,
            ["V2041", *NORTH, "IDVA", "Advertised", "", ""],
            ["V2042", *NORTH, "DA officer", "Shortlisted", "", ""],
            header,
            ["V2043", *SOUTH, "IDVA", "In post", "Seán Byrne", "14/09/2026"],
            ["Grand Total", "", "", "", "", "", "3"],
            ["Report run 27/11/2026 by ATS"],
        ],
        encoding="cp1252",
        delimiter=";",
    )

    plan = import_(RECRUITMENT, anytown, data, "vacancies.csv")

    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert skipped(plan) == [(4, "the header row again"), (6, "a total row"), (7, "a note")]
    assert post_with("V2043").holder_name == "Seán Byrne"


def test_a_row_short_of_values_is_still_rejected_not_skipped(anytown):
    data = xlsx_bytes(
        [ANYTOWN_HEADER[:5], ["AT/FS/01", *NORTH, "IDVA", "Vacant"], ["AT/FS/02", "Anytown North"]]
    )

    plan = import_(RECRUITMENT, anytown, data, "short.xlsx")

    assert [(row.row, row.action) for row in plan.rows] == [(2, "created"), (3, "rejected")]
    assert plan.skipped == []


def test_a_staff_list_with_a_repeated_header_and_footers_imports(app):
    programme = create_programme("Somerset", "somerset")
    create_team(create_locality(programme, name="Bridgwater"), name="FS Team 1")
    header = ["Staff member", "Work e-mail", "District", "Team", "Designation", "Date joined"]
    data = csv_bytes(
        [
            header,
            [
                "Ann Lee",
                "ann@example.org",
                "Bridgwater",
                "FS Team 1",
                "Social worker",
                "04/03/2024",
            ],
            [],
            header,
            ["Bo Day", "bo@example.org", "Bridgwater", "FS Team 1", "IDVA", "01/02/2025"],
            ["Total staff", "", "", "", "", ""],
            ["Source: iTrent, 27/11/2026"],
        ]
    )

    plan = import_(STAFF, programme, data, "staff.csv")

    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert skipped(plan) == [
        (3, "a blank row"),
        (4, "the header row again"),
        (6, "a total row"),
        (7, "a note"),
    ]


def test_a_sign_in_sheet_with_a_total_and_a_key_imports(app):
    programme = create_programme("Somerset", "somerset")
    team = create_team(create_locality(programme, name="Bridgwater"), name="FS Team 1")
    ann = create_staff(team, name="Ann Lee", email="ann@example.org")
    bo = create_staff(team, name="Bo Day", email="bo@example.org")
    create_session(catalogue.get_course(programme, "mi"), 1, date(2026, 11, 2))
    data = xlsx_bytes(
        [
            ["Event", "Module No.", "Event Date", "E-mail", "Learner name", "Attendance (Y/N)"],
            ["MI", 1, date(2026, 11, 2), ann.email, "Ann Lee", "Y"],
            ["MI", 1, date(2026, 11, 2), bo.email, "Bo Day", "N"],
            ["Total attended", None, None, None, None, '=COUNTIF(F2:F3,"Y")'],
            ["Key: Y = attended, N = did not attend"],
        ],
        sheet_title="Sign-in",
    )

    plan = import_(ATTENDANCE, programme, data, "register.xlsx")

    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert skipped(plan) == [(4, "a total row"), (5, "a key")]


def test_rows_not_data_are_not_counted_in_the_row_limit_and_are_listed_once_per_run(anytown):
    data = csv_bytes(
        [
            ANYTOWN_HEADER[:5],
            ["AT/1", *NORTH, "IDVA", "Vacant"],
            *[[""] * 5] * 40,
            ["AT/2", *NORTH, "IDVA", "Vacant"],
        ]
    )

    plan = import_(RECRUITMENT, anytown, data, "gaps.csv", dry_run=True)

    assert plan.skipped == [SkippedRow(3, "a blank row", last=42)]
    assert plan.skipped[0].count == 40


# ------------------------------------------------------------------ columns


def test_a_remembered_not_in_this_file_from_before_never_hides_a_recognised_column(anytown):
    """Before the fix the form offered "Not in this file" for "Post No.", and saving the form
    remembered that for every file with these headers."""
    record, _preview = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")
    db.session.add(
        ColumnMapping(
            programme_id=anytown.id,
            kind="recruitment",
            signature=header_signature(record.headers),
            mapping={"reference": None, "locality": 1, "team": 2, "role": 3, "status": 4},
        )
    )
    db.session.commit()

    _record, preview = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")

    assert preview.mapping["reference"] == 0


def test_a_column_the_user_leaves_out_on_purpose_stays_out(anytown):
    record, preview = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")

    RECRUITMENT.set_mapping(record, {**preview.mapping, "holder_name": None})

    [remembered] = db.session.scalars(select(ColumnMapping)).all()
    assert remembered.mapping == {"holder_name": None, "_choices_only": True}
    _next, again = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")
    assert "holder_name" not in again.mapping and again.mapping["reference"] == 0
    assert again.unused == ["Post Holder", "Grade"]


# ------------------------------------------------------------------ blank cells


STAGE_HEADER = ["Post No.", "Area", "Team", "Post Title", "Recruitment Stage", "Post Holder"]
STAGE_HEADER += ["Start Date", "Notes"]


def a_stored_post(programme) -> Post:
    record, _ = upload(
        RECRUITMENT,
        programme,
        xlsx_bytes(
            [
                STAGE_HEADER,
                ["AT/1", *NORTH, "IDVA", "In post", "Rhys Owen", date(2026, 9, 1), "Chasing DBS"],
            ]
        ),
        "first.xlsx",
    )
    apply(RECRUITMENT, record)
    return post_with("AT/1")


def blank_row(status: str = "In post") -> bytes:
    return xlsx_bytes([STAGE_HEADER, ["AT/1", *NORTH, "IDVA", status, None, None, None]])


def test_blank_cells_leave_the_stored_notes_holder_and_start_date_alone(anytown):
    a_stored_post(anytown)

    record, preview = upload(RECRUITMENT, anytown, blank_row(), "second.xlsx")

    assert preview.plan.counts["unchanged"] == 1
    assert (preview.plan.kept, preview.plan.blank_cells_clear) == (3, False)
    apply(RECRUITMENT, record)
    post = post_with("AT/1")
    assert (post.holder_name, post.start_date, post.notes) == (
        "Rhys Owen",
        date(2026, 9, 1),
        "Chasing DBS",
    )


def test_a_changed_value_beside_blank_cells_updates_only_that_value(anytown):
    a_stored_post(anytown)

    plan = import_(RECRUITMENT, anytown, blank_row("Withdrawn"), "second.xlsx")

    [row] = plan.rows
    assert (row.action, row.changes) == ("updated", {"status": ("in_post", "withdrawn")})
    assert post_with("AT/1").notes == "Chasing DBS"


def test_blank_cells_clear_the_stored_values_when_chosen_for_the_import(anytown):
    a_stored_post(anytown)
    record, _ = upload(RECRUITMENT, anytown, blank_row(), "second.xlsx")

    RECRUITMENT.set_blank_cells(record, True)
    preview = RECRUITMENT.preview_record(reread(record), LIMITS, today=TODAY)

    assert reread(record).blank_cells_clear is True
    [row] = preview.plan.rows
    assert row.changes == {
        "holder_name": ("Rhys Owen", ""),
        "start_date": (date(2026, 9, 1), None),
        "notes": ("Chasing DBS", ""),
    }
    apply(RECRUITMENT, reread(record), confirmed=preview.plan.fingerprint())
    post = post_with("AT/1")
    assert (post.holder_name, post.start_date, post.notes) == ("", None, "")


def test_new_posts_still_get_their_defaults_from_blank_cells(anytown):
    plan = import_(RECRUITMENT, anytown, blank_row(), "first.xlsx")

    assert plan.count("created") == 1 and plan.kept == 0
    post = post_with("AT/1")
    assert (post.holder_name, post.start_date, post.notes, post.fte) == ("", None, "", 1.0)


def test_a_preview_confirmed_under_one_choice_is_not_applied_under_the_other(anytown):
    a_stored_post(anytown)
    record, preview = upload(RECRUITMENT, anytown, blank_row(), "second.xlsx")
    kept = preview.plan.fingerprint()

    RECRUITMENT.set_blank_cells(record, True)
    cleared = RECRUITMENT.preview_record(reread(record), LIMITS, today=TODAY).plan.fingerprint()

    assert cleared != kept
    with pytest.raises(PreviewChanged):
        apply(RECRUITMENT, reread(record), confirmed=kept)
    assert post_with("AT/1").notes == "Chasing DBS"


def test_the_choice_alone_changes_the_fingerprint_even_with_no_blank_cells(anytown):
    record, preview = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")

    RECRUITMENT.set_blank_cells(record, True)

    again = RECRUITMENT.preview_record(reread(record), LIMITS, today=TODAY)
    assert again.plan.counts == preview.plan.counts
    assert again.plan.fingerprint() != preview.plan.fingerprint()


def test_the_choice_cannot_change_once_the_import_is_applied(anytown):
    record, _ = upload(RECRUITMENT, anytown, anytown_tracker(), "anytown.xlsx")
    apply(RECRUITMENT, record)

    with pytest.raises(Conflict):
        RECRUITMENT.set_blank_cells(reread(record), True)


def test_a_blank_leaving_date_keeps_the_stored_one_in_a_staff_list_unless_chosen(app):
    programme = create_programme("Somerset", "somerset")
    team = create_team(create_locality(programme, name="Bridgwater"), name="FS Team 1")
    create_staff(
        team,
        name="Ann Lee",
        email="ann@example.org",
        start_date=date(2024, 3, 4),
        leaving_date=date(2026, 12, 31),
    )
    header = ["Name", "Email", "Locality", "Team", "Role", "Start date", "Leaving date"]
    data = csv_bytes(
        [header, ["Ann Lee", "ann@example.org", "Bridgwater", "FS Team 1", "SW", "", ""]]
    )

    record, preview = upload(STAFF, programme, data, "staff.csv")

    assert preview.plan.counts["unchanged"] == 1 and preview.plan.kept == 2
    STAFF.set_blank_cells(record, True)
    plan = apply(STAFF, reread(record))
    assert plan.count("updated") == 1
    db.session.expire_all()
    ann = db.session.scalar(select(StaffMember).where(StaffMember.email == "ann@example.org"))
    assert (ann.start_date, ann.leaving_date) == (None, None)


def test_attendance_has_no_blank_cell_choice(app):
    assert ATTENDANCE.blank_cells == ()
