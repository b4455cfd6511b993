"""`recruitment import` reads the file in the same bounded worker as web uploads: a hostile file
is refused with one sentence and exit 1, within IMPORT_PARSE_SECONDS."""

from __future__ import annotations

import time

from tests import hostile_files
from tests.cli.test_recruitment_commands import a_programme, import_command, table_counts, write


def test_recruitment_import_refuses_a_one_row_seven_million_cell_sheet(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "tracker.xlsx", hostile_files.one_wide_row())
    before = table_counts()

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "A row of the file has more than 200 columns; an import reads at most that many, "
        "so it was not opened."
    )
    assert table_counts() == before


def test_recruitment_import_stops_reading_at_the_time_limit(app, runner, tmp_path):
    app.config["IMPORT_PARSE_SECONDS"] = 2
    a_programme()
    path = write(tmp_path, "tracker.xlsx", hostile_files.deep_nesting())

    started = time.monotonic()
    result = runner.invoke(args=import_command(path, "--dry-run"))

    assert time.monotonic() - started < 4
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "The file took longer than 2 seconds to read, so it was not opened; "
        "split it into smaller files."
    )
