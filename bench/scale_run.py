"""`bench/run`: build the national-scale dataset with `flask generate-scale`, then measure every
operation of issue 18 beside its floor, in one run, and print one table (see bench/README.md)."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import scale_db
import scale_export
import scale_imports
import scale_load
import scale_pages
import scale_readiness
from scale_setup import create_bench_user, make_app, measured, page_paths
from scale_table import Row, Table, markdown, plain_text, seconds

from programme import clock
from programme.extensions import db

WHOLE_RUN_LIMIT = 15 * 60  # seconds, for --programmes 150 on PostgreSQL on 2 cores


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=150, help="programmes (default 150)")
    parser.add_argument(
        "--database",
        help="SQLAlchemy URL: a PostgreSQL server and name prefix (the bench drops and creates "
        "NAME_scale, NAME_imports, NAME_work), or a SQLite file (default: one in a temporary "
        "directory)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generate-scale's seed (default 1)")
    parser.add_argument("--load-seconds", type=int, default=30, help="each load (default 30)")
    parser.add_argument(
        "--repeats-50k", type=int, default=3, help="runs of each 50,000-row step (default 3)"
    )
    parser.add_argument("--rows", default="10000,50000", help="import sizes (default 10000,50000)")
    parser.add_argument("--quick", action="store_true", help="5 s loads, 50,000-row steps once")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument(
        "--stub-dataset",
        action="store_true",
        help="build a small stand-in dataset (bench/scale_stub.py) instead of generate-scale",
    )
    args = parser.parse_args()
    if args.quick:
        args.load_seconds, args.repeats_50k = min(args.load_seconds, 5), 1
    return args


def machine(server: scale_db.Server, today) -> list[str]:
    cpu = platform.processor() or "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"Machine: {cpu}, {os.cpu_count()} cores, {memory:.1f} GB memory ({platform.platform()})",
        f"Python {platform.python_version()}; database {server.version()}",
        f"Date (programme/clock.py): {today.isoformat()}",
    ]


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens
    args = arguments()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        server = scale_db.Server(args.database or f"sqlite:///{tmp}/bench.sqlite")
        try:
            facts, table = run(server, args)
        finally:
            for suffix in ("work", "imports", "scale"):
                server.drop(suffix)
    whole = time.perf_counter() - started
    table.add(
        Row(
            f"whole bench/run --programmes {args.programmes}",
            f"{whole / 60:.1f} min",
            target="< 15 min (150 programmes, PostgreSQL, 2 cores)",
            met=whole < WHOLE_RUN_LIMIT,
        )
    )
    print("\n" + "\n".join(facts) + "\n")
    print(plain_text(table))
    for note in table.notes:
        print(f"- {note}")
    if args.markdown:
        args.markdown.write_text(markdown(table, facts))
        print(f"\nMarkdown written to {args.markdown}")


def run(server: scale_db.Server, args) -> tuple[list[str], Table]:
    table = Table()
    print(f"Dataset: {args.programmes} programmes on {server.database('scale')}", flush=True)
    url = server.create("scale")
    scale_db.upgrade(url)
    generated = scale_db.generate_scale(url, args.programmes, args.seed, stub=args.stub_dataset)
    command = "bench/scale_stub.py (STUB)" if args.stub_dataset else "generate-scale"
    shown = ("localities", "posts", "staff", "attendance")
    found = generated.get("counts", {})
    counts = ", ".join(f"{key} {found[key]:,}" for key in shown if key in found)
    table.add(
        Row(
            f"{command} --programmes {args.programmes} ({counts})",
            seconds(generated["seconds"]),
            target="<= 60 s",
            met=generated["seconds"] <= 60,
        )
    )
    if args.stub_dataset:
        table.note("The dataset is bench/scale_stub.py's stand-in, not generate-scale's.")

    app = make_app(url)
    with app.app_context():
        today = clock.today()
        facts = machine(server, today)
        target = measured()
        create_bench_user(target.programme)
        print(f"Measuring {target.programme} / {target.locality}", flush=True)
        scale_pages.measure(app, target, table)
        scale_readiness.measure(today, table)
        scale_export.measure_export(target.programme, table)
        db.session.remove()
        db.engine.dispose()  # the imports copy this database: no connection may stay open

    scale_load.measure(url, page_paths(target), args.load_seconds, table)
    scale_export.measure_cli(url, target.programme, target.locality, table)
    sizes = [int(size) for size in args.rows.split(",")]
    scale_imports.measure(server, target.programme, sizes, args.repeats_50k, table)
    if args.repeats_50k != 3 and any(size >= 50_000 for size in sizes):
        table.note(f"Each 50,000-row step ran {args.repeats_50k} time(s), not 3.")
    table.note(
        f"Measured programme {target.programme} ({target.localities} localities) of "
        f"{target.programmes}; locality {target.locality}. Timings on a shared machine are "
        "noisy: read the ratios to the floors measured in the same run."
    )
    return facts, table
