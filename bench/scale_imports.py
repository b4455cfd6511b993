"""The recruitment, staff and attendance imports of 10,000 and 50,000 rows: the dry run and the
commit, beside openpyxl read-only and python-calamine reading the same file.

The dry run runs on the imports base (it writes nothing); each commit runs on a fresh copy of
the base, so every repeat finds the same state. The commit's INSERT statements are counted with
a SQLAlchemy event listener; its peak memory is the ru_maxrss of the command-line import run as
a child process on another fresh copy: the process's own and its file-reading worker's, apart.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import scale_import_files as files
from python_calamine import CalamineWorkbook
from scale_db import FLASK, ROOT, Server, environment
from scale_setup import make_app
from scale_table import Row, Table, median_of, ratio, seconds
from sqlalchemy import event

from programme import clock
from programme.extensions import db
from programme.services import programmes

COMMIT_LIMIT = {10_000: 3.0, 50_000: 12.0}  # seconds (issue 18)
CLI = {
    "recruitment": ("recruitment", "import"),
    "staff": ("staff", "import"),
    "attendance": ("training", "import-attendance"),
}


def openpyxl_read(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for sheet in book.worksheets for _row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def calamine_read(data: bytes) -> int:
    return len(CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())


class InsertCounter:
    def __init__(self, engine):
        self.engine, self.inserts = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT"):
            self.inserts += 1


def prepare_base(server: Server, slug: str) -> files.Layout:
    """The imports base: a copy of the dataset with what the files update (untimed)."""
    url = server.create("imports", copy_of="scale")
    app = make_app(url)
    with app.app_context():
        programme = programmes.get_programme(slug)
        today = clock.today()
        layout = files.layout(programme, today)
        files.seed_base(programme, layout, today)
        db.session.remove()
        db.engine.dispose()
    return layout


def measure(server: Server, slug: str, sizes: list[int], repeats_50k: int, table: Table) -> None:
    layout = prepare_base(server, slug)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("recruitment", "staff", "attendance"):
            for rows in sizes:
                repeat = repeats_50k if rows >= 50_000 else 3
                _measure_one(server, slug, kind, rows, layout, repeat, Path(tmp), table)


def _file(kind: str, rows: int, layout: files.Layout, today) -> bytes:
    if kind == "attendance":
        return files.attendance_file(rows, layout)
    return files.FILES[kind](rows, layout, today)


def _measure_one(server, slug, kind, rows, layout, repeat, tmp: Path, table: Table) -> None:
    importer = files.IMPORTERS[kind]
    name = f"{kind} import of {rows:,} rows"
    app = make_app(server.database("imports"))
    with app.app_context():
        today = clock.today()
        data = _file(kind, rows, layout, today)
        limits = files.limits_for(data)
        openpyxl_time, _ = median_of(lambda: openpyxl_read(data), repeat)
        calamine_time, _ = median_of(lambda: calamine_read(data), repeat)
        programme = programmes.get_programme(slug)

        def dry_run():
            db.session.expire_all()
            return importer.import_file(
                programme, data, f"{kind}.xlsx", None, today=today, limits=limits, dry_run=True
            )

        dry_time, plan = median_of(dry_run, repeat)
        db.session.remove()
        db.engine.dispose()
    counts = ", ".join(f"{key} {value:,}" for key, value in plan.counts.items() if value)
    table.add(
        Row(
            f"{name}: dry run ({counts})",
            seconds(dry_time),
            f"openpyxl read-only {seconds(openpyxl_time)}; calamine {seconds(calamine_time)}",
            ratio(dry_time, openpyxl_time),
            "<= 1.0x openpyxl read-only",
            dry_time <= openpyxl_time and not plan.count("rejected"),
        )
    )
    commit_time, inserts = _commits(server, slug, importer, data, limits, repeat)
    limit = COMMIT_LIMIT.get(rows)
    table.add(
        Row(
            f"{name}: commit" + (f" (median of {repeat})" if repeat != 3 else ""),
            seconds(commit_time),
            f"dry run {seconds(dry_time)}",
            ratio(commit_time, dry_time),
            f"<= 2x dry run, <= {limit:g} s" if limit else "<= 2x dry run",
            not plan.count("rejected")  # a rejected row: nothing was written
            and commit_time <= 2 * dry_time
            and (limit is None or commit_time <= limit),
        )
    )
    if rows >= 50_000:
        if kind == "recruitment":
            new = plan.counts.get("created", 0)
            table.add(
                Row(f"{name}: INSERT statements ({new:,} new posts)", str(inserts),
                    target="<= 60 for 48,000 new posts", met=inserts <= 60)
            )  # fmt: skip
        whole, main, worker = _peak_memory(server, slug, kind, data, tmp)
        table.add(
            Row(f"{name}: peak memory of the commit (ru_maxrss, CLI process itself)",
                f"{main:.0f} MB", target="<= 200 MB", met=main <= 200)
        )  # fmt: skip
        table.add(Row(f"{name}: peak memory of its file-reading worker", f"{worker:.0f} MB"))
        table.add(
            Row(f"{name}: peak memory, os.wait4 (the larger of the process and its descendants)",
                f"{whole:.0f} MB")
        )  # fmt: skip


def _commits(server, slug, importer, data, limits, repeat) -> tuple[float, int]:
    """The median of `repeat` commits, each on a fresh copy of the base; the last one's INSERT
    statements."""
    state: dict = {}

    def fresh_copy():
        _close(state)
        app = make_app(server.create("work", copy_of="imports"))
        state["context"] = app.app_context()
        state["context"].push()
        state["programme"] = programmes.get_programme(slug)
        state["today"] = clock.today()

    def commit():
        with InsertCounter(db.engine) as counter:
            importer.import_file(
                state["programme"], data, f"{importer.kind}.xlsx", None,
                today=state["today"], limits=limits,
            )  # fmt: skip
            db.session.commit()
        state["inserts"] = counter.inserts

    commit_time, _ = median_of(commit, repeat, before=fresh_copy)
    _close(state)
    return commit_time, state["inserts"]


def _close(state: dict) -> None:
    if "context" in state:
        db.session.remove()
        db.engine.dispose()
        state.pop("context").pop()


def _peak_memory(
    server: Server, slug: str, kind: str, data: bytes, tmp: Path
) -> tuple[float, float, float]:
    """Megabytes, for `flask ... import FILE` committing on a fresh copy: the ru_maxrss os.wait4
    gives (the largest of the process, its forkserver and the worker reading the file), the
    process's own peak and the worker's (both reported by bench/cli_peak.py, which runs it)."""
    url = server.create("work", copy_of="imports")
    path = tmp / f"{kind}.xlsx"
    path.write_bytes(data)
    errors = tmp / f"{kind}.stderr"
    peaks = tmp / f"{kind}.peaks.json"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "bench" / "cli_peak.py"),
             *FLASK[1:], *CLI[kind], str(path), "--programme", slug, "--json"],
            cwd=ROOT, env={**environment(url), "CLI_PEAK_FILE": str(peaks)},
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"The {kind} import from the command line failed: {errors.read_text()}")
    reported = json.loads(peaks.read_text())
    return usage.ru_maxrss / 1024, reported["main_mb"], reported["worker_mb"] or 0.0
