"""How long a command or web worker takes to start, against importing Flask and SQLAlchemy.

    .venv/bin/python bench/start_up.py [--repeat 5]

Migrates and seeds the demo programme into a throwaway SQLite database, then runs each command
--repeat times in a fresh process (after one run to warm the disk cache and write the bytecode
cache) and prints the median wall and CPU (user + system) time, each also as a multiple of
`import flask, sqlalchemy`. On a shared machine the CPU times and the ratios are the fairer
comparison. Prints figures; it is not a test.
Goal (issue 18): a command starts in at most 1.0 s and at most 2x the import of Flask and
SQLAlchemy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


FLASK = [sys.executable, "-m", "flask", "--app", "app"]
SLUG = "bridgwater"  # a locality of the demo programme


def commands(slug: str) -> dict[str, list[str]]:
    python, flask = sys.executable, FLASK
    return {
        "import flask, sqlalchemy": [python, "-c", "import flask, sqlalchemy"],
        "import app": [python, "-c", "import app"],
        "flask --help": [*flask, "--help"],
        f"readiness show {slug} --json": [*flask, "readiness", "show", slug, "--json"],
    }


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # Bytecode is cached as in a deployment, even where the shell says not to write it.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env |= {"APP_ENV": "development", "DATABASE_URL": f"sqlite:///{folder}/start.sqlite"}
        for setup in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([*FLASK, *setup], cwd=ROOT, env=env, check=True, capture_output=True)
        medians = {}
        for name, command in commands(SLUG).items():
            run(command, env)
            walls, cpus = zip(*(run(command, env) for _ in range(args.repeat)), strict=True)
            medians[name] = statistics.median(walls), statistics.median(cpus)
    base_wall, base_cpu = medians["import flask, sqlalchemy"]
    print(f"{'':34} {'wall':>7} {'':>5} {'CPU':>7}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:34} {wall:6.2f}s {wall / base_wall:4.1f}x {cpu:6.2f}s {cpu / base_cpu:4.1f}x")


if __name__ == "__main__":
    main()
