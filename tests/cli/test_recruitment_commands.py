"""The recruitment commands of CLI.md: `recruitment import`, and `teams create --establishment`."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, ImportRecord, Post, Team
from programme.services import import_flow, localities
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import count_rows

HEADER = ["Post ref", "Locality", "Team", "Job title", "Status", "Post holder", "Start date"]
GOOD_ROWS = [
    ["BW-01", "Bridgwater", "Bridgwater FS Team", "DA officer", "Offer made", "Ann Lee"]
    + ["04/01/2027"],
    ["BW-02", "Bridgwater", "Bridgwater FS Team", "IDVA", "Advertised", "", ""],
]


def a_programme() -> None:
    """The programme `somerset`, with Bridgwater's Lancashire team of 11 posts."""
    locality = create_locality(create_programme(slug="somerset"), name="Bridgwater")
    localities.create_team(
        locality, "Bridgwater FS Team", None, establishment="lancashire", today=TODAY
    )


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_command(path, *options: str) -> list[str]:
    return ["recruitment", "import", str(path), "--programme", "somerset", *options]


def table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def posts_as_stored() -> list[tuple]:
    db.session.expire_all()
    return [
        (post.id, post.reference, post.status, post.holder_name, post.version)
        for post in db.session.scalars(select(Post).order_by(Post.id))
    ]


def everything() -> tuple:
    return table_counts(), posts_as_stored()


def post_with(reference: str) -> Post:
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.reference == reference))


# ------------------------------------------------------------------ recruitment import


def test_recruitment_import_prints_the_counts_and_exits_0(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 1, updated 1, unchanged 0, rejected 0"
    assert result.stderr == ""
    saved = post_with("BW-01")
    assert (saved.status, saved.holder_name, saved.start_date) == (
        "offered",
        "Ann Lee",
        date(2027, 1, 4),
    )
    assert post_with("BW-02").role.key == "da_victims"
    record = db.session.scalar(select(ImportRecord))
    assert (record.state, record.original_name, record.uploaded_by_id) == (
        "applied",
        "posts.xlsx",
        None,
    )


# A statement that reads what the rows are planned against (or the remembered columns).
PLANNING = re.compile(r"\bFROM (locality|team|role|post|column_mapping)\b")


def statements_with_locks(monkeypatch, counter) -> list[str]:
    """The statements `counter` sees, with "LOCK" where the programme was locked."""
    real_lock = import_flow.lock

    def lock(programme):
        counter.statements.append("LOCK")
        real_lock(programme)

    monkeypatch.setattr(import_flow, "lock", lock)
    return counter.statements


def test_recruitment_import_locks_the_programme_before_planning_the_file(
    app, runner, tmp_path, monkeypatch, count_queries
):
    """As the web import re-plans under the lock: two imports at once cannot both plan
    against the same posts."""
    a_programme()
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    with count_queries() as counter:
        statements = statements_with_locks(monkeypatch, counter)
        result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert statements.count("LOCK") == 1
    first_planning = next(i for i, sql in enumerate(statements) if PLANNING.search(sql))
    assert statements.index("LOCK") < first_planning


def test_a_dry_run_plans_without_locking_as_a_web_preview_does(
    app, runner, tmp_path, monkeypatch, count_queries
):
    a_programme()
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    with count_queries() as counter:
        statements = statements_with_locks(monkeypatch, counter)
        result = runner.invoke(args=import_command(path, "--dry-run"))

    assert result.exit_code == 0, result.output
    assert "LOCK" not in statements
    assert any(PLANNING.search(sql) for sql in statements)


def test_recruitment_import_of_a_csv_a_second_time_leaves_every_row_unchanged(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "posts.csv", csv_bytes([HEADER, *GOOD_ROWS]))
    runner.invoke(args=import_command(path))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 2, rejected 0"


def test_recruitment_import_with_dry_run_reports_and_writes_nothing(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))
    before = everything()

    result = runner.invoke(args=import_command(path, "--dry-run"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 1, updated 1, unchanged 0, rejected 0"
    assert everything() == before


def test_recruitment_import_with_json_prints_one_document_of_the_contract_s_shape(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
        # Lancashire's make-up has no domestic abuse worker: the IDVA's employer is new.
        "organisations_added": [{"name": "Domestic abuse charity", "type": "da_charity"}],
    }
    assert result.stderr == ""


def a_file_with_a_rejected_row() -> bytes:
    return xlsx_bytes(
        [
            HEADER,
            GOOD_ROWS[0],
            ["BW-02", "Bridgwater", "Bridgwater FS Team", "Recovry worker", "Vacant"],
        ],
        title_rows=[["Recruitment tracker"]],
    )


def test_recruitment_import_with_a_rejected_row_exits_1_naming_it_and_writes_nothing(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "posts.xlsx", a_file_with_a_rejected_row())
    before = everything()

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Row 4, Job title: There is no role “Recovry worker”. "
        "Did you mean “Substance misuse worker”?"
    )
    assert result.stdout.splitlines()[-1] == "created 0, updated 1, unchanged 0, rejected 1"
    assert everything() == before


def test_recruitment_import_with_json_and_a_rejected_row_lists_the_errors(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "posts.xlsx", a_file_with_a_rejected_row())
    before = everything()

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "rejected": 1,
        "errors": [
            {
                "row": 4,
                "column": "Job title",
                "message": "There is no role “Recovry worker”. "
                "Did you mean “Substance misuse worker”?",
            }
        ],
        "organisations_added": [],
    }
    assert everything() == before


def test_recruitment_import_into_an_unknown_programme_exits_1(app, runner, tmp_path):
    path = write(tmp_path, "posts.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path)[:-1] + ["nowhere"])

    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no programme with the slug 'nowhere'."
    assert count_rows(ImportRecord) == 0


def test_recruitment_import_of_a_corrupt_file_exits_1_with_one_sentence(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "posts.xlsx", b"PK\x03\x04 this was cut off in the e-mail")
    before = everything()

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "The file could not be read as an Excel workbook; it may be damaged."
    )
    assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 0, rejected 0"
    assert everything() == before


def test_recruitment_import_of_a_corrupt_file_with_json_still_prints_the_document(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "posts.xlsx", b"PK\x03\x04 this was cut off in the e-mail")

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [
            {
                "row": None,
                "column": None,
                "message": "The file could not be read as an Excel workbook; it may be damaged.",
            }
        ],
        "organisations_added": [],
    }


def test_recruitment_import_of_a_file_without_a_status_column_exits_1(app, runner, tmp_path):
    a_programme()
    rows = [["Post ref", "Locality", "Team", "Job title"], GOOD_ROWS[0][:4]]
    path = write(tmp_path, "posts.csv", csv_bytes(rows))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.startswith("No column could be matched for the status.")
    assert count_rows(ImportRecord) == 0


def test_recruitment_import_of_a_file_over_the_size_limit_exits_1(app, runner, tmp_path):
    a_programme()
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    padding = [["", "", "", "", "", "x" * 199, ""]] * 6000
    path = write(tmp_path, "posts.csv", csv_bytes([HEADER, *GOOD_ROWS, *padding]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert "The file is larger than 1 MB" in result.stderr
    assert count_rows(ImportRecord) == 0


def test_recruitment_import_of_a_missing_file_is_a_usage_error(app, runner, tmp_path):
    a_programme()

    result = runner.invoke(args=import_command(tmp_path / "missing.xlsx"))

    assert result.exit_code == 2


# ------------------------------------------------------------------ teams create --establishment


def test_teams_create_with_the_lancashire_establishment_creates_its_11_posts(app, runner):
    create_locality(create_programme(), name="Taunton", slug="taunton")

    result = runner.invoke(
        args=["teams", "create", "--locality", "taunton", "--name", "Taunton FS Team 1"]
        + ["--establishment", "lancashire"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Created team Taunton FS Team 1 in Taunton with 11 posts from lancashire."
    )
    team = db.session.scalar(select(Team))
    posts = team.posts
    assert len(posts) == 11
    assert sum(post.role.adult_specialist for post in posts) == 2
    assert sorted(post.role.key for post in posts if post.role.adult_specialist) == [
        "adult_mental_health",
        "da_perpetrators",
    ]
    assert sum(post.role.key == "social_worker" for post in posts) == 5
    assert {(post.status, post.status_changed_on, post.fte) for post in posts} == {
        ("vacant", TODAY, 1.0)
    }
    assert {post.organisation.type for post in posts if post.role.key == "da_perpetrators"} == {
        "probation"
    }


def test_teams_create_with_the_somerset_establishment_creates_8_adult_practitioners(app, runner):
    create_locality(create_programme(), slug="taunton")

    result = runner.invoke(
        args=["teams", "create", "--locality", "taunton", "--name", "Area adults"]
        + ["--kind", "area", "--establishment", "somerset"]
    )

    assert result.exit_code == 0, result.output
    posts = db.session.scalar(select(Team)).posts
    assert len(posts) == 8
    assert all(post.role.adult_specialist and post.fte == 1.0 for post in posts)
    assert not [post for post in posts if post.role.key == "psychologist"]


def test_teams_create_with_an_unknown_establishment_exits_1_and_creates_no_team(app, runner):
    create_locality(create_programme(), slug="taunton")
    before = table_counts()

    result = runner.invoke(
        args=["teams", "create", "--locality", "taunton", "--name", "Taunton FS Team 1"]
        + ["--establishment", "devon"]
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "There is no establishment template 'devon' (known: lancashire, somerset, somerset-county)."
    )
    assert table_counts() == before
    assert count_rows(Team) == 0
    assert count_rows(AuditEvent, AuditEvent.entity_type == "team") == 0


def test_map_treats_a_tracker_s_own_word_as_a_known_value_for_one_run(app, runner, tmp_path):
    a_programme()
    rows = [["BW-01", "Bridgwater", "Bridgwater FS Team", "IDVA", "Interviews arranged", "", ""]]
    path = write(tmp_path, "tracker.csv", csv_bytes([HEADER, *rows]))

    refused = runner.invoke(args=import_command(path))
    assert refused.exit_code == 1
    assert "There is no status “Interviews arranged”" in refused.output

    result = runner.invoke(
        args=import_command(path, "--map", "Status=Interviews arranged:Interviewed", "--json")
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rejected"] == 0
    assert db.session.scalar(select(Post.status).where(Post.reference == "BW-01")) == "interviewed"
    # One run only: the next import without --map is refused again.
    assert runner.invoke(args=import_command(path, "--dry-run")).exit_code == 1


@pytest.mark.parametrize(
    ("option", "named"),
    [
        ("Status=Interviews arranged:Hired", "“Hired”"),
        ("Grade=A:B", "“Grade”"),
        ("Status", "“Status”"),
    ],
)
def test_map_with_an_unknown_target_or_column_exits_2_naming_it(
    app, runner, tmp_path, option, named
):
    a_programme()
    path = write(tmp_path, "tracker.csv", csv_bytes([HEADER, *GOOD_ROWS]))
    before = everything()

    result = runner.invoke(args=import_command(path, "--map", option))

    assert result.exit_code == 2
    assert named in result.output
    assert everything() == before


def test_rows_that_are_not_data_are_noted_on_stderr_and_the_report_keeps_its_shape(
    app, runner, tmp_path
):
    a_programme()
    data = xlsx_bytes(
        [
            ["Post No.", "Area", "Team", "Post Title", "Recruitment Stage"],
            ["BW-01", "Bridgwater", "Bridgwater FS Team", "IDVA", "Advertised"],
            [],
            ["TOTAL", None, None, None, "=COUNTA(E2:E2)"],
            ["Key: Advertised = out to advert"],
        ]
    )
    path = write(tmp_path, "tracker.xlsx", data)

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "New partner organisations: Domestic abuse charity",
        "created 1, updated 0, unchanged 0, rejected 0",
    ]
    assert result.stderr.splitlines() == [
        "Row 3: not data, skipped (a blank row).",
        "Row 4: not data, skipped (a total row).",
        "Row 5: not data, skipped (a key).",
    ]
    assert post_with("BW-01").status == "advertised"

    as_json = runner.invoke(args=import_command(path, "--dry-run", "--json"))

    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    # CLI.md fixes the JSON shape: the skipped rows add no key to it.
    assert {"created", "updated", "unchanged", "rejected", "errors"} <= set(report)
    assert set(report) <= {"created", "updated", "unchanged", "rejected", "errors"} | {
        "organisations_added"
    }
    assert as_json.stderr == ""
