"""LibreOffice opens and prints the demo's programme workbook (with a business case added, so
the Finance and Partner pledges sheets have rows), and the print set-up holds: the demo's
Summary, and the Finance sheet, each print on one page wide. Needs `libreoffice` (Debian package
libreoffice-calc-nogui, installed by .ci/run): skipped visibly without it, failed under CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from programme.domain.xlsx_export import workbook_bytes
from programme.services import demo
from programme.services.exports import workbook
from tests.conftest import TODAY

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
# A page object of a PDF ("/Type /Page", not the "/Type /Pages" tree above them).
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture
def libreoffice() -> str:
    if LIBREOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("libreoffice is required when CI=true (.ci/run installs it)", pytrace=False)
        pytest.skip(
            "libreoffice not installed: workbook PDF check skipped (libreoffice-calc-nogui)"
        )
    return LIBREOFFICE


def to_pdf(libreoffice: str, xlsx: Path, workdir: Path) -> bytes:
    """Convert with a profile of this test's own, so runs side by side do not collide."""
    result = subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = workdir / f"{xlsx.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf.read_bytes()


def test_libreoffice_prints_the_demo_workbook_and_its_summary_and_finance_fit_one_page_wide(
    app, pin_clock, libreoffice, tmp_path
):
    pin_clock(TODAY)
    programme = demo.load_demo(TODAY).programme  # with its business case and pledges
    sheets = workbook.programme_sheets(programme, TODAY)
    info = workbook.workbook_info(programme, workbook.workbook_title(programme), TODAY)
    whole = tmp_path / "workbook.xlsx"
    whole.write_bytes(workbook_bytes(info, sheets))
    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(workbook_bytes(info, sheets[:1]))
    (finance_sheet,) = [sheet for sheet in sheets if sheet.title == "Finance"]
    # Its first twenty rows fit one page tall, so one page means its columns fit one wide.
    first_rows = replace(finance_sheet.table, rows=list(finance_sheet.table.rows)[:20])
    finance = tmp_path / "finance.xlsx"
    finance.write_bytes(workbook_bytes(info, [replace(finance_sheet, table=first_rows)]))

    assert len(PAGE.findall(to_pdf(libreoffice, whole, tmp_path))) >= len(sheets)
    # The demo's few localities fit one page tall, so one page in all means one page wide.
    assert len(PAGE.findall(to_pdf(libreoffice, summary, tmp_path))) == 1
    assert len(finance_sheet.table.rows) > 20  # the demo's business case
    assert len(PAGE.findall(to_pdf(libreoffice, finance, tmp_path))) == 1
