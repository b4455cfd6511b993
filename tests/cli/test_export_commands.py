"""`export workbook` (CLI.md): the programme workbook written to a file, atomically; an unknown
programme or an unwritable path exits 1 with one sentence, a future --as-of is a usage error."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from programme.services.exports.workbook import SHEET_NAMES
from tests.builders import create_locality, create_milestone, create_programme
from tests.conftest import TODAY


def export(runner, *args: str):
    return runner.invoke(args=["export", "workbook", *args])


def test_the_workbook_is_written_with_its_sheets_and_row_counts(app, runner, pin_clock, tmp_path):
    pin_clock(TODAY)
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Taunton")
    create_milestone(locality, title="Board agreed")
    out = tmp_path / "somerset.xlsx"

    result = export(runner, "--programme", "somerset", "--out", str(out), "--as-of", "2026-11-01")

    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == list(SHEET_NAMES)
    assert book["Summary"]["B2"].value == "Taunton"
    assert book["Summary"].oddFooter.right.text == "1 Nov 2026"
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"Wrote the Somerset Family Safeguarding workbook as of 1 Nov 2026 to {out} ("
    )
    assert lines[1].startswith("Summary: 2 rows; Milestones: 1 row; Recruitment: 0 rows;")
    # Outcomes: the locality's row for each of the 11 indicators every programme is given.
    assert lines[1].endswith("; Finance: 0 rows; Partner pledges: 0 rows; Outcomes: 11 rows.")
    assert [p.name for p in tmp_path.iterdir()] == ["somerset.xlsx"]  # no temporary file left


def test_without_as_of_the_workbook_is_as_of_today(app, runner, pin_clock, tmp_path):
    pin_clock(TODAY)
    create_programme("Somerset Family Safeguarding", "somerset")
    out = tmp_path / "today.xlsx"
    assert export(runner, "--programme", "somerset", "--out", str(out)).exit_code == 0
    ws = load_workbook(io.BytesIO(out.read_bytes()))["Summary"]
    assert ws.oddFooter.right.text == "30 Nov 2026"
    assert ws["A2"].value == "This programme has no localities yet"


def test_an_unknown_programme_exits_1_with_one_sentence(app, runner, tmp_path):
    out = tmp_path / "x.xlsx"
    result = export(runner, "--programme", "nowhere", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no programme with the slug 'nowhere'."
    assert not out.exists()


def test_an_unwritable_out_path_exits_1_and_leaves_nothing(app, runner, pin_clock, tmp_path):
    pin_clock(TODAY)
    create_programme("Somerset Family Safeguarding", "somerset")
    for out in (tmp_path / "missing" / "x.xlsx", tmp_path):
        result = export(runner, "--programme", "somerset", "--out", str(out))
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Cannot write {out}")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_whole(app, runner, pin_clock, tmp_path, monkeypatch):
    pin_clock(TODAY)
    create_programme("Somerset Family Safeguarding", "somerset")
    out = tmp_path / "kept.xlsx"
    out.write_bytes(b"the old workbook")

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("programme.cli.exports.os.fsync", broken)
    result = export(runner, "--programme", "somerset", "--out", str(out))

    assert result.exit_code == 1
    assert result.stderr.strip() == f"Cannot write {out}: No space left on device."
    assert out.read_bytes() == b"the old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.xlsx"]


def test_an_as_of_in_the_future_or_not_a_date_is_a_usage_error(app, runner, pin_clock, tmp_path):
    pin_clock(TODAY)
    create_programme("Somerset Family Safeguarding", "somerset")
    out = tmp_path / "x.xlsx"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    for value in (tomorrow, "30/11/2026"):
        result = export(runner, "--programme", "somerset", "--out", str(out), "--as-of", value)
        assert result.exit_code == 2
    assert (
        "1 Dec 2026 is in the future"
        in export(runner, "--programme", "somerset", "--out", str(out), "--as-of", tomorrow).stderr
    )
    assert not out.exists()
    assert date.fromisoformat(tomorrow) > TODAY
