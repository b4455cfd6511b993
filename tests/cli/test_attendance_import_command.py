"""`training import-attendance` as CLI.md promises it: counts line, --json, --dry-run, exit 1."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance, ImportRecord, TrainingSession
from programme.services.training import catalogue, enrolment
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
)
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import count_rows

HEADER = ["Course", "Module", "Session date", "E-mail", "Attended"]
GOOD_ROWS = [
    ["MI", 1, date(2026, 11, 2), "ann.lee@example.org", "Y"],
    ["MI", 1, date(2026, 11, 2), "sam.patel@example.org", "DNA"],
]


def a_programme() -> None:
    """The programme `somerset`: Ann Lee (enrolled) and Sam Patel, and MI module 1 on 2/11/2026."""
    programme = create_programme(slug="somerset")
    team = create_team(create_locality(programme, name="Bridgwater"))
    ann = create_staff(team, name="Ann Lee", email="ann.lee@example.org")
    create_staff(team, name="Sam Patel", email="sam.patel@example.org")
    mi = catalogue.get_course(programme, "mi")
    session = create_session(mi, 1, date(2026, 11, 2))
    enrolment.enrol(session, [ann.id], None)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_command(path, *options: str) -> list[str]:
    return ["training", "import-attendance", str(path), "--programme", "somerset", *options]


def table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def everything() -> tuple:
    db.session.expire_all()
    places = sorted(
        (place.staff_id, place.status, place.walk_in)
        for place in db.session.scalars(select(Attendance))
    )
    registers = [s.register_saved_at for s in db.session.scalars(select(TrainingSession))]
    return table_counts(), places, registers


def statuses() -> dict[str, str | None]:
    db.session.expire_all()
    return {place.staff.email: place.status for place in db.session.scalars(select(Attendance))}


def test_import_attendance_prints_the_counts_and_exits_0(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "register.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0, rejected 0"
    assert result.stderr == ""
    assert statuses() == {"ann.lee@example.org": "present", "sam.patel@example.org": "absent"}
    record = db.session.scalar(select(ImportRecord))
    assert (record.kind, record.state, record.original_name) == (
        "attendance",
        "applied",
        "register.xlsx",
    )


def test_import_attendance_of_a_csv_a_second_time_leaves_every_row_unchanged(app, runner, tmp_path):
    a_programme()
    rows = [[*row[:2], "02/11/2026", *row[3:]] for row in GOOD_ROWS]
    path = write(tmp_path, "register.csv", csv_bytes([HEADER, *rows]))
    runner.invoke(args=import_command(path))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 2, rejected 0"


def test_import_attendance_with_dry_run_reports_and_writes_nothing(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "register.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))
    before = everything()

    result = runner.invoke(args=import_command(path, "--dry-run"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0, rejected 0"
    assert everything() == before


def test_import_attendance_with_json_prints_one_document_of_the_contract_s_shape(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "register.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
    }
    assert result.stderr == ""


def a_file_with_a_rejected_row() -> bytes:
    return xlsx_bytes(
        [HEADER, GOOD_ROWS[0], ["MI", 1, date(2026, 11, 3), "sam.patel@example.org", "Y"]],
        title_rows=[["MI sign-in sheet"]],
    )


MISSING_SESSION = (
    "There is no Motivational Interviewing module 1 session on 3 Nov 2026; there is one on "
    "2 Nov 2026."
)


def test_import_attendance_with_a_rejected_row_exits_1_naming_it_and_writes_nothing(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "register.xlsx", a_file_with_a_rejected_row())
    before = everything()

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.strip() == f"Row 4, Session date: {MISSING_SESSION}"
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0, rejected 1"
    assert everything() == before


def test_import_attendance_with_json_and_a_rejected_row_lists_the_errors(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "register.xlsx", a_file_with_a_rejected_row())
    before = everything()

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "errors": [{"row": 4, "column": "Session date", "message": MISSING_SESSION}],
    }
    assert everything() == before


def test_import_attendance_of_an_unreadable_file_exits_1_with_one_sentence(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "register.xlsx", b"PK\x03\x04 this was cut off in the e-mail")
    before = everything()

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "The file could not be read as an Excel workbook; it may be damaged."
    )
    assert result.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 0, rejected 0"
    assert everything() == before


def test_import_attendance_of_an_unreadable_file_with_json_still_prints_the_document(
    app, runner, tmp_path
):
    a_programme()
    path = write(tmp_path, "register.xls", b"\xd0\xcf\x11\xe0 an old workbook")

    result = runner.invoke(args=import_command(path, "--json"))

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["created"], document["rejected"]) == (0, 0)
    [error] = document["errors"]
    assert (error["row"], error["column"]) == (None, None)
    assert error["message"].startswith("Excel 97–2003 (.xls) files cannot be read")


def test_import_attendance_of_a_file_without_an_attended_column_exits_1(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "register.csv", csv_bytes([HEADER[:4], GOOD_ROWS[0][:4]]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.startswith("No column could be matched for the attended.")
    assert count_rows(ImportRecord) == 0


def test_import_attendance_of_a_file_over_the_size_limit_exits_1(app, runner, tmp_path):
    a_programme()
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    padding = [["", "", "", "x" * 199, ""]] * 6000
    path = write(tmp_path, "register.csv", csv_bytes([HEADER, *GOOD_ROWS, *padding]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert "The file is larger than 1 MB" in result.stderr
    assert count_rows(ImportRecord) == 0


def test_import_attendance_into_an_unknown_programme_exits_1(app, runner, tmp_path):
    path = write(tmp_path, "register.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    result = runner.invoke(args=import_command(path)[:-1] + ["nowhere"])

    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no programme with the slug 'nowhere'."
    assert count_rows(ImportRecord) == 0


def test_import_attendance_of_a_missing_file_is_a_usage_error(app, runner, tmp_path):
    a_programme()

    result = runner.invoke(args=import_command(tmp_path / "missing.xlsx"))

    assert result.exit_code == 2
