"""Importing HR recruitment spreadsheets: messy files, all rows or none, the record, and undo.

Every file is built here, in code, the way HR leads' spreadsheets really arrive.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import (
    AuditEvent,
    ImportRecord,
    Post,
    PostStatusChange,
    Programme,
    Team,
    post_values,
)
from programme.services import imports, localities, recruitment_import
from programme.services.errors import Conflict, ServiceError
from programme.services.import_flow import ColumnsMissing, ImportRejected, PreviewChanged
from programme.services.recruitment.establishments import apply_establishment
from programme.services.recruitment.posts import PostInput, remove_post, update_post
from programme.services.recruitment_import import RECRUITMENT
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY, QueryCounter
from tests.files import csv_bytes, xlsx_bytes, zip_bomb
from tests.queries import count_rows, reread

LIMITS = ReadLimits()
HEADER = [
    "Post ref",
    "Locality",
    "Team",
    "Job title",
    "Status",
    "FTE",
    "Post holder",
    "Email",
    "Start date",
    "Notes",
]
BRIDGWATER_TEAM = ["Bridgwater", "Bridgwater FS Team"]
TAUNTON_TEAM = ["Taunton", "Taunton FS Team"]


def a_programme(
    name: str = "Somerset Family Safeguarding", slug: str = "somerset", established: date = TODAY
) -> Programme:
    """A programme with Bridgwater and Taunton, each with one Lancashire team of 11 posts."""
    programme = create_programme(name, slug)
    for place in ("Bridgwater", "Taunton"):
        locality = create_locality(programme, name=place, slug=place.lower())
        localities.create_team(
            locality, f"{place} FS Team", None, establishment="lancashire", today=established
        )
    return programme


def team(name: str) -> Team:
    return db.session.scalar(select(Team).where(Team.name == name))


def post_of(team_name: str, role_key: str) -> Post:
    """The team's first post of the role (the Lancashire template has one of most roles)."""
    return next(post for post in team(team_name).posts if post.role.key == role_key)


def post_with(reference: str) -> Post:
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.reference == reference))


def name_for(data: bytes) -> str:
    return "posts.xlsx" if data.startswith(b"PK") else "posts.csv"


def import_(programme, data: bytes, filename: str | None = None, *, limits=LIMITS, **options):
    return RECRUITMENT.import_file(
        programme, data, filename or name_for(data), None, today=TODAY, limits=limits, **options
    )


def upload(programme, data: bytes, filename: str | None = None, actor=None, limits=LIMITS):
    return RECRUITMENT.upload(
        programme, data, filename or name_for(data), actor, limits, today=TODAY
    )


def apply(record: ImportRecord, actor=None):
    return RECRUITMENT.apply_import(record, actor, today=TODAY, limits=LIMITS)


def outcomes(plan) -> list[tuple[int, str]]:
    return [(row.row, row.action) for row in plan.rows]


def table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def posts_as_stored() -> dict[int, dict]:
    db.session.expire_all()
    return {
        post.id: {
            **post_values(post),
            "version": post.version,
            "frozen": post.frozen,
            "status_changed_on": post.status_changed_on,
        }
        for post in db.session.scalars(select(Post))
    }


def everything() -> tuple[dict, dict]:
    """Every table's row count and every post's values: what "wrote nothing" compares."""
    return table_counts(), posts_as_stored()


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def one_row_csv(row: list) -> bytes:
    return csv_bytes([HEADER, row])


def service_error(call) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.message


# ------------------------------------------------------------------ messy files


def test_an_xlsx_with_title_rows_merged_cells_dates_formulas_and_blank_rows_imports(app):
    programme = a_programme()
    data = xlsx_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Offer made", 1, "Zoë Brontë"]
            + ["Zoe.Bronte@Example.org", date(2027, 1, 4), "=1+1"],
            ["BW-02", *BRIDGWATER_TEAM, "Mental health practitioner", "In post", 0.5]
            + ["Sam Patel", "sam.patel@example.org", "04/01/2027", "+44 7700 900123"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Out to advert", None, None, None, "2027-02-01", "-5"],
            [None] * 10,
            [""] * 10,
            [],
        ],
        title_rows=[["Somerset recruitment tracker — November 2026"], ["Prepared by HR"], []],
        merge=["A1:J1"],
    )
    perpetrators = post_of("Bridgwater FS Team", "da_perpetrators")
    mental_health = post_of("Bridgwater FS Team", "adult_mental_health")

    plan = import_(programme, data)

    assert outcomes(plan) == [(5, "updated"), (6, "updated"), (7, "created")]
    assert post_values(reread(perpetrators)) == {
        "team_id": team("Bridgwater FS Team").id,
        "role_id": perpetrators.role_id,
        "reference": "BW-01",
        "organisation_id": perpetrators.organisation_id,
        "fte": 1.0,
        "status": "offered",
        "holder_name": "Zoë Brontë",
        "holder_email": "zoe.bronte@example.org",
        "start_date": date(2027, 1, 4),
        "notes": "=1+1",
    }
    assert plan.rows[1].changes == {
        "reference": (None, "BW-02"),
        "fte": (1.0, 0.5),
        # "In post" from 4 January 2027, after today: the holder is appointed, not yet in post.
        "status": ("vacant", "appointed"),
        "holder_name": ("", "Sam Patel"),
        "holder_email": ("", "sam.patel@example.org"),
        "start_date": (None, date(2027, 1, 4)),
        "notes": ("", "+44 7700 900123"),
    }
    assert reread(mental_health).reference == "BW-02"
    created = post_with("TN-01")
    assert (created.team.name, created.role.key, created.organisation.type) == (
        "Taunton FS Team",
        "da_victims",
        "da_charity",
    )
    assert (created.status, created.start_date, created.notes) == (
        "advertised",
        date(2027, 2, 1),
        "-5",
    )


def test_merged_header_cells_and_a_hidden_column_are_read(app):
    programme = a_programme()
    data = xlsx_bytes(
        [
            [*HEADER, None, "Cost centre"],
            ["BW-01", *BRIDGWATER_TEAM, "IDVA", "Vacant", None, None, None, None]
            + ["Agency cover", "spill-over", "CC-19"],
        ],
        merge=["J1:K1"],
        hidden_columns=["J"],
    )

    plan = import_(programme, data)

    assert outcomes(plan) == [(2, "created")]
    assert post_with("BW-01").notes == "Agency cover"


def test_a_utf8_csv_with_a_bom_matches_its_first_header(app):
    programme = a_programme()
    data = one_row_csv(["BW-01", *BRIDGWATER_TEAM, "IDVA", "Advertised"])
    assert data.startswith(b"\xef\xbb\xbf")

    plan = import_(programme, data, "posts.csv")

    assert outcomes(plan) == [(2, "created")]
    assert post_with("BW-01").status == "advertised"


def test_a_windows_1252_csv_keeps_its_accents_and_pound_signs(app):
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed", "", "Zoë Brontë"]
            + ["", "", "£2,000 relocation"],
        ],
        encoding="cp1252",
    )

    import_(programme, data, "posts.csv")

    saved = post_with("BW-01")
    assert (saved.holder_name, saved.notes) == ("Zoë Brontë", "£2,000 relocation")


def test_a_semicolon_csv_with_a_title_row_and_text_dates_imports(app):
    programme = a_programme()
    data = csv_bytes(
        [
            ["Recruitment tracker"],
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Interviewed", "", "", "", "04/01/2027"],
            ["TN-01", *TAUNTON_TEAM, "DA officer", "Interviewed", "", "", "", "2027-01-05"],
            ["", "", "", "", "", "", "", "", "", ""],
        ],
        delimiter=";",
    )

    plan = import_(programme, data, "posts.csv")

    assert outcomes(plan) == [(3, "updated"), (4, "updated")]
    assert post_with("BW-01").start_date == date(2027, 1, 4)
    assert post_with("TN-01").start_date == date(2027, 1, 5)


def test_cells_that_look_like_numbers_or_formulas_stay_text(app):
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "IDVA", "Vacant", "", "", "", "", "+44 7700 900123"],
            ["BW-02", *BRIDGWATER_TEAM, "IDVA", "Vacant", "", "", "", "", "@x"],
            ["BW-03", *BRIDGWATER_TEAM, "IDVA", "Vacant", "", "", "", "", "-5"],
            ["BW-04", *BRIDGWATER_TEAM, "IDVA", "Vacant", "", "", "", "", "=SUM(A1:A3)"],
        ]
    )

    import_(programme, data, "posts.csv")

    notes = [post_with(f"BW-0{n}").notes for n in range(1, 5)]
    assert notes == ["+44 7700 900123", "@x", "-5", "=SUM(A1:A3)"]


def test_columns_are_found_by_the_names_hr_gives_them(app):
    programme = a_programme()
    data = xlsx_bytes(
        [
            ["Position number", "Service area", "FS team", "Post title", "Recruitment status"]
            + ["WTE", "Postholder", "Work email", "Expected start", "Latest update"],
            ["BW-01", *BRIDGWATER_TEAM, "Perpetrator worker", "Conditional offer", "80%"]
            + ["Ann Lee", "ann@example.org", "1 March 2027", "Chasing DBS"],
        ]
    )

    import_(programme, data)

    saved = post_with("BW-01")
    assert (saved.role.key, saved.status, saved.fte, saved.start_date) == (
        "da_perpetrators",
        "offered",
        0.8,
        date(2027, 3, 1),
    )


# ------------------------------------------------------------------ all rows or none


def a_file_with_problems() -> bytes:
    return xlsx_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed"],
            ["BW-02", *BRIDGWATER_TEAM, "Recovry worker", "Vacant"],
            ["BW-03", "Bridgewater", "Bridgwater FS Team", "IDVA", "Vacant"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"],
            ["tn-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
        ],
        title_rows=[["Posts at 30 November 2026"]],
    )


def test_a_file_with_rejected_rows_says_why_for_each_row_and_writes_nothing(app):
    programme = a_programme()
    before = everything()

    plan = import_(programme, a_file_with_problems())

    assert outcomes(plan) == [
        (3, "updated"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "rejected"),
        (7, "rejected"),
    ]
    assert plan.counts == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 4}
    assert [(e.row, e.column, e.message) for e in plan.errors] == [
        (
            4,
            "Job title",
            "There is no role “Recovry worker”. Did you mean “Substance misuse worker”?",
        ),
        (5, "Locality", "There is no locality “Bridgewater”. Did you mean “Bridgwater”?"),
        (6, "Post ref", "The post reference “TN-01” is on rows 6, 7; each post may appear once."),
        (7, "Post ref", "The post reference “tn-01” is on rows 6, 7; each post may appear once."),
    ]
    assert everything() == before


def test_applying_an_upload_with_rejected_rows_writes_nothing(app):
    programme = a_programme()
    record, preview = upload(programme, a_file_with_problems())
    before = everything()

    with pytest.raises(ImportRejected) as caught:
        apply(record)

    assert caught.value.plan.count("rejected") == 4
    assert "4 rows cannot be imported, so nothing was saved." in caught.value.message
    assert everything() == before
    assert reread(record).state == "previewed"
    assert preview.plan.count("rejected") == 4


def test_a_dry_run_reports_the_outcome_and_writes_nothing(app):
    programme = a_programme()
    data = xlsx_bytes([HEADER, ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed"]])
    before = everything()

    plan = import_(programme, data, dry_run=True)

    assert outcomes(plan) == [(2, "updated")]
    assert everything() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(app):
    programme = a_programme()
    data = xlsx_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed", 0.5, "Ann Lee"]
            + ["ann@example.org", date(2027, 1, 4), "Starts in January"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
            ["", *TAUNTON_TEAM, "Social worker", "Shortlisted"],
        ]
    )
    import_(programme, data)
    counts, posts = everything()

    second = import_(programme, data)

    assert outcomes(second) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    assert posts_as_stored() == posts
    # The second import is still recorded, and audited as having changed nothing.
    assert grown(counts, table_counts()) == {"import_record": 1, "audit_event": 1}


def test_a_file_without_a_required_column_names_what_is_missing(app):
    programme = a_programme()
    data = xlsx_bytes([["Post ref", "Locality", "Team", "Job title"], ["BW-01", "Bridgwater"]])

    with pytest.raises(ColumnsMissing) as caught:
        import_(programme, data)

    assert caught.value.fields == ["status"]
    assert caught.value.message.startswith("No column could be matched for the status.")
    assert "“Post ref”, “Locality”, “Team”, “Job title”" in caught.value.message
    assert count_rows(ImportRecord) == 0


# ------------------------------------------------------------------ mapping columns


def test_a_mapping_chosen_once_is_remembered_for_the_next_file_with_those_headers(app):
    programme = a_programme()
    headers = ["Locality", "Team", "Job title", "Where we are"]
    first = xlsx_bytes([headers, [*BRIDGWATER_TEAM, "IDVA", "Advertised"]])
    record, preview = upload(programme, first)
    assert preview.plan is None and preview.missing == ["status"]

    RECRUITMENT.set_mapping(record, {**record.mapping, "status": 3})

    assert RECRUITMENT.preview_record(record, LIMITS, today=TODAY).plan.count("created") == 1
    second = xlsx_bytes([headers, [*TAUNTON_TEAM, "IDVA", "Shortlisted"]])
    _, next_preview = upload(programme, second)
    assert next_preview.missing == []
    assert next_preview.mapping["status"] == 3
    assert outcomes(next_preview.plan) == [(2, "created")]


def test_a_remembered_mapping_applies_to_headers_differing_only_in_case_and_punctuation(app):
    programme = a_programme()
    first = xlsx_bytes([["Locality", "Team", "Job title", "Where we are"], []])
    record, _ = upload(programme, first)
    RECRUITMENT.set_mapping(record, {**record.mapping, "status": 3})
    second = xlsx_bytes(
        [["LOCALITY", "Team", "Job Title", "Where We Are."], [*TAUNTON_TEAM, "IDVA", "Vacant"]]
    )

    _, preview = upload(programme, second)

    assert preview.missing == []
    assert preview.mapping["status"] == 3


def test_a_mapping_that_leaves_out_a_required_column_is_refused(app):
    programme = a_programme()
    record, _ = upload(programme, xlsx_bytes([["Locality", "Team", "Job title", "Where"], []]))

    message = service_error(lambda: RECRUITMENT.set_mapping(record, record.mapping))

    assert message == "Choose the column that holds the status."


def test_a_mapped_upload_applies_with_the_chosen_columns(app):
    programme = a_programme()
    data = xlsx_bytes(
        [["Locality", "Team", "Job title", "Where"], [*TAUNTON_TEAM, "IDVA", "Offer"]]
    )
    record, _ = upload(programme, data)
    RECRUITMENT.set_mapping(record, {**record.mapping, "status": 3})

    plan = apply(reread(record))

    assert outcomes(plan) == [(2, "created")]
    assert post_of("Taunton FS Team", "da_victims").status == "offered"


# ------------------------------------------------------------------ the import record


def test_the_import_record_keeps_who_when_counts_and_the_original_name(app):
    hr_lead = create_user("hr_lead")
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
            ["", *TAUNTON_TEAM, "Team manager", "Vacant"],
        ]
    )

    record, _ = upload(programme, data, "../../etc/passwd.csv", actor=hr_lead)
    apply(record, hr_lead)

    saved = reread(record)
    assert (saved.state, saved.kind, saved.original_name) == (
        "applied",
        "recruitment",
        "passwd.csv",
    )
    assert (saved.uploaded_by_id, saved.applied_by_id) == (hr_lead.id, hr_lead.id)
    assert saved.uploaded_at is not None and saved.applied_at >= saved.uploaded_at
    assert (saved.created, saved.updated, saved.unchanged, saved.rejected) == (1, 1, 1, 0)
    assert (saved.header_row, saved.headers, saved.sheet_name) == (1, HEADER, None)
    assert (saved.content, saved.size_bytes) == (data, len(data))
    assert saved.errors == []


@pytest.mark.parametrize(
    ("filename", "original", "suffix"),
    [
        ("../../etc/passwd.csv", "passwd.csv", ".csv"),
        ("C:\\Users\\hr\\Desktop\\report.csv", "report.csv", ".csv"),
        ("report.xlsx", "report.xlsx", ".xlsx"),
    ],
)
def test_an_upload_is_stored_under_a_generated_name_never_its_own(app, filename, original, suffix):
    programme = a_programme()
    rows = [HEADER, ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Vacant"]]
    data = xlsx_bytes(rows) if suffix == ".xlsx" else csv_bytes(rows)

    record, _ = upload(programme, data, filename)

    assert record.original_name == original
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(suffix), record.stored_name)
    assert record.stored_name != original


def test_two_uploads_of_one_file_get_different_stored_names(app):
    programme = a_programme()
    data = one_row_csv(["BW-01", *BRIDGWATER_TEAM, "DA officer", "Vacant"])

    first, _ = upload(programme, data, "posts.csv")
    second, _ = upload(programme, data, "posts.csv")

    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256


def test_an_upload_records_the_errors_of_its_rejected_rows(app):
    programme = a_programme()

    record, _ = upload(programme, a_file_with_problems())

    saved = reread(record)
    assert (saved.state, saved.updated, saved.rejected) == ("previewed", 1, 4)
    assert saved.errors[0] == {
        "row": 4,
        "column": "Job title",
        "message": "There is no role “Recovry worker”. Did you mean “Substance misuse worker”?",
    }


def test_an_import_already_applied_cannot_be_applied_again(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["X1", *TAUNTON_TEAM, "IDVA", "Vacant"]))
    apply(record)
    before = everything()

    with pytest.raises(Conflict) as caught:
        apply(record)

    assert caught.value.message == "This import was already applied; upload the file again."
    assert everything() == before


# ------------------------------------------------------------------ files that cannot be read


@pytest.mark.parametrize(
    ("data", "filename", "limits", "message"),
    [
        (
            csv_bytes([HEADER] + [["BW-01", *BRIDGWATER_TEAM, "IDVA", "Vacant"]] * 3),
            "posts.csv",
            ReadLimits(max_bytes=100),
            "The file is larger than 100 bytes; split it into smaller files.",
        ),
        (
            csv_bytes([HEADER] + [[f"BW-0{n}", *BRIDGWATER_TEAM, "IDVA", "Vacant"] for n in "123"]),
            "posts.csv",
            ReadLimits(max_rows=2),
            "The file has more than 2 rows; split it into smaller files.",
        ),
        (
            one_row_csv(["BW-01", *BRIDGWATER_TEAM, "IDVA", "Vacant"]),
            "posts.xlsx",
            LIMITS,
            "The file is named .xlsx but is not an Excel workbook.",
        ),
        (
            zip_bomb(),
            "posts.xlsx",
            LIMITS,
            "The workbook is compressed far more than a real spreadsheet could be, "
            "so it was not opened.",
        ),
        (
            b"%PDF-1.7",
            "posts.pdf",
            LIMITS,
            "Upload an .xlsx or .csv file; “posts.pdf” is neither.",
        ),
    ],
    ids=["too-big", "too-many-rows", "text-named-xlsx", "zip-bomb", "pdf"],
)
def test_a_file_that_cannot_be_read_is_refused_in_one_sentence_and_nothing_is_kept(
    app, data, filename, limits, message
):
    programme = a_programme()
    before = everything()

    imported = service_error(lambda: import_(programme, data, filename, limits=limits))
    uploaded = service_error(lambda: upload(programme, data, filename, limits=limits))

    assert imported == uploaded == message
    assert everything() == before


# ------------------------------------------------------------------ status history


def test_a_status_changed_by_an_import_is_dated_today_and_linked_to_the_import(app):
    manager = create_user("programme_manager")
    programme = a_programme()
    post = post_of("Bridgwater FS Team", "da_perpetrators")
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Pre-employment checks"],
            ["BW-02", *BRIDGWATER_TEAM, "Team manager", "Vacant", "", "Kim Ray"],
        ]
    )
    record, _ = upload(programme, data, "posts.csv", actor=manager)

    apply(record, manager)

    saved = reread(post)
    assert saved.status_changed_on == TODAY
    latest = saved.history[-1]
    assert (latest.status, latest.changed_on, latest.import_id, latest.actor_id) == (
        "pre_employment_checks",
        TODAY,
        record.id,
        manager.id,
    )
    # The team manager's status did not change, so its history did not grow.
    linked = db.session.scalars(
        select(PostStatusChange).where(PostStatusChange.import_id == record.id)
    ).all()
    assert [change.post_id for change in linked] == [post.id]


def test_a_post_created_by_an_import_starts_its_history_with_the_import(app):
    programme = a_programme()

    import_(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"]))

    created = post_with("TN-01")
    [entry] = created.history
    record = db.session.scalar(select(ImportRecord))
    assert (entry.status, entry.changed_on, entry.import_id) == ("advertised", TODAY, record.id)


def test_an_import_is_audited_once_for_each_locality_it_touched(app):
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed"],
            ["BW-02", *BRIDGWATER_TEAM, "IDVA", "Appointed"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
        ]
    )

    import_(programme, data, "posts.csv")

    record = db.session.scalar(select(ImportRecord))
    summaries = sorted(
        db.session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_type == "import"))
    )
    assert summaries == [
        "Recruitment import of posts.csv: 1 post created or updated here",
        "Recruitment import of posts.csv: 2 posts created or updated here",
    ]
    assert record.state == "applied"


# ------------------------------------------------------------------ undo


def test_undoing_the_last_import_puts_every_post_back_as_it_was(app):
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["BW-01", *BRIDGWATER_TEAM, "DA officer", "Appointed", "0.5", "Ann Lee"]
            + ["ann@example.org", "04/01/2027", "Starts January"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
            ["", *TAUNTON_TEAM, "Team manager", "Vacant"],
        ]
    )
    counts, posts = everything()
    record, _ = upload(programme, data, "posts.csv")
    apply(record)

    undone = recruitment_import.undo_import(reread(record), None)

    assert undone == 2
    after = posts_as_stored()
    assert {post_id: _without_version(values) for post_id, values in after.items()} == {
        post_id: _without_version(values) for post_id, values in posts.items()
    }
    assert post_with("TN-01") is None
    assert grown(counts, table_counts()) == {
        "import_record": 1,
        "import_change": 2,
        # The import and the undo, each in both localities, and the organisation the import
        # added for the IDVA post, and its removal by the undo.
        "audit_event": 6,
    }
    saved = reread(record)
    assert saved.state == "undone" and saved.undone_at is not None


def _without_version(values: dict) -> dict:
    return {name: value for name, value in values.items() if name != "version"}


def test_undo_removes_only_the_status_history_the_import_added(app):
    programme = a_programme(established=date(2026, 10, 1))
    post = post_of("Bridgwater FS Team", "da_perpetrators")
    update_post(
        post,
        PostInput(role_id=post.role_id, status="advertised"),
        None,
        today=date(2026, 11, 2),
        expected_version=post.version,
    )
    history_before = [(h.status, h.changed_on) for h in reread(post).history]
    record, _ = upload(programme, one_row_csv(["", *BRIDGWATER_TEAM, "DA officer", "Offer"]))
    apply(record)

    recruitment_import.undo_import(reread(record), None)

    saved = reread(post)
    assert [(h.status, h.changed_on) for h in saved.history] == history_before
    assert (saved.status, saved.status_changed_on) == ("advertised", date(2026, 11, 2))


def test_undo_is_refused_when_a_post_was_edited_after_the_import(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["BW-01", *BRIDGWATER_TEAM, "DA officer", "Offer"]))
    apply(record)
    post = post_with("BW-01")
    update_post(
        post,
        PostInput(role_id=post.role_id, reference="BW-01", status="appointed"),
        None,
        today=TODAY,
        expected_version=post.version,
    )
    before = everything()

    with pytest.raises(Conflict) as caught:
        recruitment_import.undo_import(reread(record), None)

    assert (
        "was changed or removed, so undoing the import would lose that change"
        in caught.value.message
    )
    assert everything() == before
    assert reread(record).state == "applied"


def test_undo_is_refused_when_a_created_post_was_removed_since(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"]))
    apply(record)
    remove_post(post_with("TN-01"), None, expected_version=None)

    with pytest.raises(Conflict):
        recruitment_import.undo_import(reread(record), None)

    assert reread(record).state == "applied"


def test_only_the_most_recent_import_can_be_undone_and_only_once(app):
    programme = a_programme()
    older, _ = upload(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"]))
    apply(older)
    newer, _ = upload(programme, one_row_csv(["TN-02", *TAUNTON_TEAM, "IDVA", "Vacant"]))
    apply(newer)

    with pytest.raises(Conflict) as refused_older:
        recruitment_import.undo_import(reread(older), None)
    recruitment_import.undo_import(reread(newer), None)
    with pytest.raises(Conflict):
        recruitment_import.undo_import(reread(newer), None)
    with pytest.raises(Conflict):
        recruitment_import.undo_import(reread(older), None)

    assert "most recent import that changed something can be undone" in refused_older.value.message
    assert post_with("TN-01") is not None
    assert post_with("TN-02") is None


def test_an_import_that_was_only_previewed_cannot_be_undone(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"]))

    with pytest.raises(Conflict):
        recruitment_import.undo_import(record, None)

    assert reread(record).state == "previewed"


# ------------------------------------------------------------------ a bounded number of queries


def new_idva_rows(count: int) -> list[list]:
    return [[f"TN-{n:03}", *TAUNTON_TEAM, "IDVA", "Advertised"] for n in range(count)]


def test_planning_an_import_takes_the_same_queries_for_5_rows_as_for_50(app, count_queries):
    programme = a_programme()

    def queries_to_plan(rows: int) -> int:
        data = xlsx_bytes([HEADER, *new_idva_rows(rows)])
        db.session.expire_all()
        with count_queries() as counter:
            plan = import_(programme, data, dry_run=True)
        assert plan.count("created") == rows
        return counter.count

    assert queries_to_plan(5) == queries_to_plan(50)


# Reads stay fixed however many rows there are; each created or updated post costs at most one
# statement of its own (its INSERT or UPDATE: SQLite cannot return the ids of a batched INSERT in
# order), while the posts' history and undo rows are written in one batch each.


def queries_to_apply(count_queries, programme: Programme, rows: list[list]) -> QueryCounter:
    data = xlsx_bytes([HEADER, *rows])
    db.session.expire_all()
    with count_queries() as counter:
        plan = import_(programme, data)
    assert plan.count("rejected") == 0 and plan.count("unchanged") == 0
    return counter


def selects(counter: QueryCounter) -> int:
    return sum(1 for statement in counter.statements if statement.lstrip().startswith("SELECT"))


def test_creating_posts_by_import_costs_at_most_one_statement_per_extra_row(app, count_queries):
    five = queries_to_apply(count_queries, a_programme("Five", "five"), new_idva_rows(5))
    fifty = queries_to_apply(count_queries, a_programme("Fifty", "fifty"), new_idva_rows(50))

    assert fifty.count - five.count <= 45


def shortlisted(rows: list[list]) -> list[list]:
    return [[*row[:4], "Shortlisted"] for row in rows]


def test_updating_posts_by_import_costs_at_most_one_statement_per_extra_row(app, count_queries):
    five, fifty = a_programme("Five", "five"), a_programme("Fifty", "fifty")
    import_(five, xlsx_bytes([HEADER, *new_idva_rows(5)]))
    import_(fifty, xlsx_bytes([HEADER, *new_idva_rows(50)]))

    for_five = queries_to_apply(count_queries, five, shortlisted(new_idva_rows(5)))
    for_fifty = queries_to_apply(count_queries, fifty, shortlisted(new_idva_rows(50)))

    assert for_fifty.count - for_five.count <= 45


def test_applying_an_import_reads_as_often_for_50_rows_as_for_5(app, count_queries):
    five, fifty = a_programme("Five", "five"), a_programme("Fifty", "fifty")
    import_(five, xlsx_bytes([HEADER, *new_idva_rows(5)]))
    import_(fifty, xlsx_bytes([HEADER, *new_idva_rows(50)]))

    for_five = queries_to_apply(count_queries, five, shortlisted(new_idva_rows(5)))
    for_fifty = queries_to_apply(count_queries, fifty, shortlisted(new_idva_rows(50)))

    assert selects(for_five) == selects(for_fifty)


# ------------------------------------------------------------------ review follow-ups


def test_checking_a_re_import_does_not_hide_the_import_to_undo(app):
    programme = a_programme()
    data = one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"])
    first = import_(programme, data)
    import_(programme, data)  # changes nothing

    last = imports.last_applied(programme)

    assert first.count("created") == 1
    assert recruitment_import.undo_import(last, None) == 1
    assert post_with("TN-01") is None


def test_two_rows_sharing_a_reference_are_both_rejected_even_when_one_is_wrong_otherwise(app):
    programme = a_programme()
    data = csv_bytes(
        [
            HEADER,
            ["X1", *BRIDGWATER_TEAM, "IDVA", "Advertised"],
            ["X1", *BRIDGWATER_TEAM, "Juggler", "Advertised"],
        ]
    )

    plan = import_(programme, data, dry_run=True)

    assert outcomes(plan) == [(2, "rejected"), (3, "rejected")]
    assert any("is on rows 2, 3" in error.message for error in plan.rows[0].errors)


def test_applying_a_preview_that_no_longer_matches_the_posts_writes_nothing(app):
    programme = a_programme()
    record, preview = upload(programme, one_row_csv(["", *BRIDGWATER_TEAM, "IDVA", "Advertised"]))
    seen = preview.plan.fingerprint()
    import_(programme, one_row_csv(["", *BRIDGWATER_TEAM, "IDVA", "Shortlisted"]))
    counts, posts = everything()

    with pytest.raises(PreviewChanged):
        RECRUITMENT.apply_import(reread(record), None, today=TODAY, limits=LIMITS, confirmed=seen)

    assert everything() == (counts, posts)
    assert reread(record).state == "previewed"


def test_a_preview_still_matching_the_posts_applies(app):
    programme = a_programme()
    record, preview = upload(programme, one_row_csv(["", *BRIDGWATER_TEAM, "IDVA", "Advertised"]))

    plan = RECRUITMENT.apply_import(
        reread(record), None, today=TODAY, limits=LIMITS, confirmed=preview.plan.fingerprint()
    )

    assert plan.counts["created"] == 1


def test_a_file_with_hundreds_of_header_columns_is_refused(app):
    programme = a_programme()
    headers = [*HEADER, *(f"Spare {n}" for n in range(300))]

    with pytest.raises(ServiceError, match="at most 200"):
        import_(programme, csv_bytes([headers, ["", *BRIDGWATER_TEAM, "IDVA", "Vacant"]]))


def test_an_establishment_template_is_not_applied_to_a_team_that_has_posts(app):
    a_programme()
    team = db.session.scalar(select(Team).where(Team.name == "Bridgwater FS Team"))
    counts, _posts = everything()

    with pytest.raises(Conflict, match="already has 11 posts"):
        apply_establishment(team, "lancashire", None, today=TODAY)

    assert table_counts() == counts
