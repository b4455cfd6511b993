"""The programme workbook export beside openpyxl write-only writing the same cells
(bench/export_workbook.py's floor), and the command line's start-up beside importing Flask and
SQLAlchemy in a bare interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

from export_workbook import openpyxl_floor, plain_values  # bench/export_workbook.py
from scale_db import FLASK, ROOT, environment
from scale_table import Row, Table, median_of, ratio, seconds

from programme import clock
from programme.extensions import db
from programme.services import programmes
from programme.services.exports import workbook


def measure_export(slug: str, table: Table) -> None:
    programme = programmes.get_programme(slug)
    today = clock.today()
    values = plain_values(workbook.programme_sheets(programme, today))
    cells = sum(len(row) for _title, rows in values for row in rows)
    floor_time, _ = median_of(lambda: openpyxl_floor(values))

    def export() -> bytes:
        db.session.expire_all()
        return workbook.programme_workbook(programme, today)

    export_time, data = median_of(export)
    table.add(
        Row(
            f"programme workbook export ({cells:,} cells, {len(data) / 1024:,.0f} KB)",
            seconds(export_time),
            f"{seconds(floor_time)} (openpyxl write-only)",
            ratio(export_time, floor_time),
        )
    )


def _run(url: str, command: list[str]) -> float:
    """Run `command`; the CPU seconds it used (a loaded machine stretches the wall time)."""
    # Bytecode cached as in a deployment, even where the shell says not to write it: otherwise
    # every run compiles the app's modules again (bench/start_up.py does the same).
    env = {k: v for k, v in environment(url).items() if k != "PYTHONDONTWRITEBYTECODE"}
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed.")
    return usage.ru_utime + usage.ru_stime


def measure_cli(url: str, slug: str, locality: str, table: Table) -> None:
    bare = [sys.executable, "-c", "import flask, sqlalchemy"]
    _run(url, [*FLASK, "--help"])  # writes the bytecode of any module not yet cached
    floor_time, floor_cpu = median_of(lambda: _run(url, bare))
    help_time, help_cpu = median_of(lambda: _run(url, [*FLASK, "--help"]))
    table.add(
        Row(
            f"CLI start-up (flask --app app --help; last run {help_cpu:.2f} s CPU)",
            seconds(help_time),
            f"{seconds(floor_time)} (python -c 'import flask, sqlalchemy'; {floor_cpu:.2f} s CPU)",
            ratio(help_time, floor_time),
            "<= 1.0 s and <= 2x",
            help_time <= 1.0 and help_time <= 2 * floor_time,
        )
    )
    # --programme: generated programmes share locality names, and so slugs.
    show = [*FLASK, "readiness", "show", locality, "--programme", slug, "--json"]
    show_time, _ = median_of(lambda: _run(url, show))
    table.add(
        Row(
            f"CLI readiness show {locality} --json",
            seconds(show_time),
            f"{seconds(floor_time)} (python -c 'import flask, sqlalchemy')",
            ratio(show_time, floor_time),
        )
    )
