"""`staff import` as CLI.md promises it."""

import json

from programme.extensions import db
from tests.builders import create_locality, create_programme, create_team
from tests.queries import count_rows

HEADER = "Name,Email,Locality,Team,Role,Start date\n"


def _setting():
    programme = create_programme(slug="somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    create_team(locality, name="Bridgwater FS Team")
    return programme


def _counts():
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def test_staff_import_prints_the_counts_line(app, runner, tmp_path):
    _setting()
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "Ann Lee,ann@x.org,Bridgwater,Bridgwater FS Team,SW,04/03/2024\n")

    result = runner.invoke(args=["staff", "import", str(path), "--programme", "somerset"])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, rejected 0"


def test_staff_import_json_and_a_rejected_row_exit_1_writing_nothing(app, runner, tmp_path):
    _setting()
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "Ann Lee,ann@x.org,Bridgwater,Nowhere Team,SW,\n")
    before = _counts()

    result = runner.invoke(args=["staff", "import", str(path), "--programme", "somerset", "--json"])

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert {k: document[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert document["errors"][0]["row"] == 2 and document["errors"][0]["column"] == "Team"
    assert _counts() == before


def test_staff_import_dry_run_writes_nothing(app, runner, tmp_path):
    _setting()
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "Ann Lee,ann@x.org,Bridgwater,Bridgwater FS Team,SW,\n")
    before = _counts()

    result = runner.invoke(
        args=["staff", "import", str(path), "--programme", "somerset", "--dry-run"]
    )

    assert result.exit_code == 0
    assert "created 1" in result.stdout
    assert _counts() == before
