"""`recruitment import` and a row "In post" from a later day: imported as Appointed, the warning
on stderr as a sentence, and the last line and the JSON exactly as CLI.md says."""

from __future__ import annotations

import json

from sqlalchemy import select

from programme.extensions import db
from programme.models import Post
from tests.cli.test_recruitment_commands import a_programme, import_command, write
from tests.files import csv_bytes

HEADER = ["Post ref", "Locality", "Team", "Job title", "Status", "Post holder", "Start date"]
LATER = ["BW-01", "Bridgwater", "Bridgwater FS Team", "IDVA", "In post", "Ann Lee", "11/01/2027"]
WARNING = (
    "Warning: Row 2, Status: In post from 11 Jan 2027, which is after today; imported as "
    "Appointed. It counts as recruited from that date."
)


def test_the_warning_goes_to_stderr_and_the_row_is_imported_as_appointed(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "tracker.csv", csv_bytes([HEADER, LATER]))

    result = runner.invoke(args=import_command(path))

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [WARNING]
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0, rejected 0"
    assert db.session.scalar(select(Post.status).where(Post.reference == "BW-01")) == "appointed"


def test_the_json_keeps_its_shape_and_carries_no_warning(app, runner, tmp_path):
    a_programme()
    path = write(tmp_path, "tracker.csv", csv_bytes([HEADER, LATER]))

    result = runner.invoke(args=import_command(path, "--json", "--dry-run"))

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["created"] == 1
    assert "warnings" not in document
    assert result.stderr == ""
