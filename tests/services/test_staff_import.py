"""The staff import: team lists matched by e-mail, every row or none, messy files included."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Post, StaffMember
from programme.services import import_flow, organisations, staff_import
from programme.services.errors import ServiceError
from tests.builders import create_locality, create_programme, create_staff, create_team
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import count_rows

HEADER = ["Name", "Email", "Service Area", "Team", "Job Title", "Start Date", "Leaving date"]
LIMITS = ReadLimits()


@pytest.fixture
def programme(app):
    programme = create_programme()
    for place in ("Bridgwater", "Taunton"):
        locality = create_locality(programme, name=place, slug=place.lower())
        create_team(locality, name=f"{place} FS Team")
    return programme


def import_(programme, data: bytes, filename: str = "staff.xlsx", **options):
    return staff_import.STAFF.import_file(
        programme, data, filename, None, today=TODAY, limits=LIMITS, **options
    )


def table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def person(email: str) -> StaffMember | None:
    db.session.expire_all()
    return db.session.scalar(select(StaffMember).where(StaffMember.email == email))


def test_a_team_list_below_title_rows_creates_people_with_their_dates(programme):
    data = xlsx_bytes(
        [
            HEADER,
            [
                "Ann Lee",
                "Ann.Lee@Somerset.example.org",
                "Bridgwater",
                "Bridgwater FS Team",
                "SW",
                date(2024, 3, 4),
                None,
            ],
            [
                "Bo Day",
                "bo@somerset.example.org",
                "Taunton",
                "Taunton FS Team",
                "IDVA",
                "01/02/2025",
                "31/12/2026",
            ],
        ],
        title_rows=[["Somerset FS teams"], []],
    )

    plan = import_(programme, data)

    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    ann = person("ann.lee@somerset.example.org")
    assert (ann.name, ann.role.key, ann.start_date) == (
        "Ann Lee",
        "social_worker",
        date(2024, 3, 4),
    )
    bo = person("bo@somerset.example.org")
    assert (bo.role.key, bo.leaving_date) == ("da_victims", date(2026, 12, 31))


def test_importing_the_same_list_twice_changes_nothing_the_second_time(programme):
    data = csv_bytes(
        [HEADER, ["Ann Lee", "ann@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "", ""]]
    )
    import_(programme, data, "staff.csv")
    before = table_counts()

    plan = import_(programme, data, "staff.csv")

    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    grown = {k: v - before[k] for k, v in table_counts().items() if v != before[k]}
    assert grown == {"import_record": 1, "audit_event": 1}


def test_a_leaving_date_updates_the_person_matched_by_e_mail(programme):
    create_staff(programme.localities[0].teams[0], name="Ann Lee", email="ann@x.org")
    data = csv_bytes(
        [
            HEADER,
            ["Ann Lee", "ANN@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "", "30/11/2026"],
        ]
    )

    plan = import_(programme, data, "staff.csv")

    assert plan.counts["updated"] == 1
    assert plan.rows[0].changes["leaving_date"] == (None, date(2026, 11, 30))
    assert person("ann@x.org").leaving_date == date(2026, 11, 30)


def test_a_rejected_row_writes_nothing_and_each_error_names_the_row_and_suggests(programme):
    data = csv_bytes(
        [
            HEADER,
            ["Ann Lee", "ann@x.org", "Bridgewater", "Bridgwater FS Team", "SW", "", ""],
            ["Bo Day", "bo@x.org", "Taunton", "Taunton FS Team", "Juggler", "", ""],
            ["Cy Fox", "not-an-email", "Taunton", "Taunton FS Team", "SW", "31/02/2026", ""],
            ["Di Ng", "di@x.org", "Taunton", "Bridgwater FS Team", "SW", "", ""],
        ]
    )
    before = table_counts()

    plan = import_(programme, data, "staff.csv")

    assert table_counts() == before
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert messages[(2, "Service Area")].endswith("Did you mean “Bridgwater”?")
    assert messages[(3, "Job Title")].startswith("There is no role “Juggler”")
    assert messages[(4, "Email")] == "“not-an-email” is not an e-mail address."
    assert "31/02/2026" in messages[(4, "Start Date")]
    assert messages[(5, "Team")].endswith("a team of that name is in Bridgwater.")


def test_two_rows_with_one_e_mail_are_both_rejected(programme):
    row = ["Ann Lee", "ann@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "", ""]
    data = csv_bytes([HEADER, row, [*row[:1], "ANN@x.org", *row[2:]]])

    plan = import_(programme, data, "staff.csv")

    assert [r.action for r in plan.rows] == ["rejected", "rejected"]
    assert "is on rows 2, 3" in plan.rows[0].errors[0].message


def test_a_leaving_date_before_the_start_date_is_refused(programme):
    data = csv_bytes(
        [
            HEADER,
            [
                "Ann Lee",
                "ann@x.org",
                "Bridgwater",
                "Bridgwater FS Team",
                "SW",
                "01/06/2026",
                "01/01/2026",
            ],
        ]
    )

    plan = import_(programme, data, "staff.csv", dry_run=True)

    assert plan.errors[0].message == "The leaving date is before the start date."


def test_windows_1252_csv_names_arrive_intact(programme):
    text = (
        "Name,Email,Locality,Team,Role\r\nZoë Brontë,zoe@x.org,Bridgwater,Bridgwater FS Team,SW\r\n"
    )

    import_(programme, text.encode("cp1252"), "staff.csv")

    assert person("zoe@x.org").name == "Zoë Brontë"


def test_a_list_without_a_role_column_needs_mapping(programme):
    data = csv_bytes([["Name", "Email", "Locality", "Team"], ["A", "a@x.org", "Taunton", "T"]])

    with pytest.raises(import_flow.ColumnsMissing, match="role"):
        import_(programme, data, "staff.csv")


def test_a_post_reference_links_the_person_to_their_post(programme):
    team = programme.localities[0].teams[0]
    post = Post(
        programme_id=programme.id,
        team=team,
        role=programme.roles[2],
        organisation=organisations.organisation_for_type(programme, "council"),
        reference="SW-7",
        status="in_post",
    )
    db.session.add(post)
    db.session.commit()
    data = csv_bytes(
        [
            [*HEADER[:5], "Post ref"],
            ["Ann Lee", "ann@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "sw-7"],
        ]
    )

    import_(programme, data, "staff.csv")

    assert person("ann@x.org").post_id == post.id
    # Employed by the post's organisation, as a person added by hand to a post is.
    assert person("ann@x.org").organisation_id == post.organisation_id


def test_an_unknown_post_reference_is_a_row_error(programme):
    data = csv_bytes(
        [
            [*HEADER[:5], "Post ref"],
            ["Ann Lee", "ann@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "NOPE-1"],
        ]
    )

    plan = import_(programme, data, "staff.csv")

    assert plan.errors[0].message == "There is no post with the reference “NOPE-1”."


def test_planning_reads_as_often_for_50_people_as_for_5(programme, count_queries):
    def rows(n):
        return [
            [f"P {i}", f"p{i}@x.org", "Bridgwater", "Bridgwater FS Team", "SW", "", ""]
            for i in range(n)
        ]

    def queries(n):
        data = csv_bytes([HEADER, *rows(n)])
        db.session.expire_all()
        with count_queries() as counter:
            import_(programme, data, "staff.csv", dry_run=True)
        return counter.count

    assert queries(5) == queries(50)


def test_an_unreadable_file_is_refused_with_one_sentence(programme):
    with pytest.raises(ServiceError, match="not an Excel workbook"):
        import_(programme, b"Name,Email\n", "staff.xlsx")


def test_people_with_and_without_dates_are_added_in_one_insert(programme, count_queries):
    rows = [
        [
            f"P {i}",
            f"p{i}@x.org",
            "Bridgwater",
            "Bridgwater FS Team",
            "SW",
            "01/02/2025" if i % 2 else "",
            "31/12/2026" if i % 3 == 0 else "",
        ]
        for i in range(200)
    ]

    with count_queries() as counter:
        plan = import_(programme, csv_bytes([HEADER, *rows]), "staff.csv")

    assert plan.counts["created"] == 200
    inserts = [s for s in counter.statements if s.lstrip().startswith("INSERT INTO staff_member")]
    assert len(inserts) == 1
    assert person("p1@x.org").start_date == date(2025, 2, 1)
    assert person("p2@x.org").start_date is None
