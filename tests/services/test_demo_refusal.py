"""Loading the demo is all or nothing: a bad row in its HR spreadsheet loads none of it."""

import io

import pytest
from openpyxl import Workbook

from programme.models import Post, Programme
from programme.services import demo
from tests.conftest import TODAY
from tests.queries import count_rows


def test_seed_demo_refuses_to_load_half_when_the_spreadsheet_has_a_bad_row(
    app, tmp_path, monkeypatch
):
    book = Workbook()
    book.active.append(["Service area", "Team", "Job title", "Status"])
    book.active.append(["Mendip", "Glastonbury FS Team", "IDVA", "In post"])
    buffer = io.BytesIO()
    book.save(buffer)
    bad = tmp_path / "demo-recruitment.xlsx"
    bad.write_bytes(buffer.getvalue())
    monkeypatch.setattr(demo, "DEMO_RECRUITMENT_FILE", bad)

    with pytest.raises(ValueError, match="There is no team “Glastonbury FS Team” in Mendip"):
        demo.load_demo(TODAY)

    assert count_rows(Programme) == 0
    assert count_rows(Post) == 0
