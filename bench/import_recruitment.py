"""How long the recruitment import takes on a large HR spreadsheet, against reading it raw.

    .venv/bin/python bench/import_recruitment.py [--rows 10000] [--database URL] [--commit-memory]

Builds a throwaway SQLite database in a temporary directory with a programme of 50 localities of
4 Lancashire teams (2,200 posts) and five partner organisations, writes an .xlsx of --rows rows
in memory (most create posts, every one with a post reference and naming its employer: a partner
by name or another name, a misspelt partner, or an employer new to the programme), and times:

  (a) openpyxl read-only reading of the bytes, every row's values kept: the baseline
  (b) read_table alone
  (c) preview_file: read and plan, the dry run
  (d) import_file: read, plan and commit
  (e) import_file of the same bytes again: every row unchanged

Prints figures; it is not a test. Goal: the dry run takes at most 2x the raw read, and its peak
memory is less than twice the raw read's (the file's values held once); the commit (d) at most
2x the dry run (c). --database runs on that database instead (a scratch one: its tables are
dropped); --commit-memory measures (d)'s peak memory with tracemalloc, which slows it.
"""

from __future__ import annotations

import argparse
import io
import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta

import openpyxl
from sqlalchemy import func, select
from throwaway import throwaway_database  # bench/throwaway.py, beside this script

from programme.domain import spreadsheet as reader
from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import synonyms
from programme.domain.spreadsheet import ReadLimits, read_table
from programme.extensions import db
from programme.models import Post, Programme
from programme.services import localities, organisations, programmes
from programme.services.recruitment_import import RECRUITMENT
from programme.services.transaction import transactional

LOCALITIES, TEAMS_PER_LOCALITY = 50, 4
HEADERS = ("Post Ref", "Service Area", "Team", "Job Title", "Employer", "FTE", "Current Status")
HEADERS += ("Post Holder", "Email", "Start Date", "Comments")
ROLES = ("DA officer", "MH practitioner", "IDVA", "Recovery worker", "Social worker", "CSW")
# The partners: (name, type, other names); each role's rows name its employer as below.
PARTNERS = (
    ("Bench County Council", "council", ("BCC",)),
    ("Bench Probation Delivery Unit", "probation", ("HMPPS",)),
    ("Bench Partnership NHS Trust", "mental_health_trust", ()),
    ("Bench Women's Aid", "da_charity", ()),
    ("Bench Recovery Partnership", "substance_misuse_provider", ()),
)
# Some rows name employers the programme does not know yet (proposed as new organisations) or
# misspell one it knows (taken for it as a close match), as real trackers do.
EMPLOYERS = (
    ("HMPPS", "Bench Probation Delivery Unit"),
    ("Bench Partnership NHS Trust", "Benchshire Health and Care NHS Foundation Trust"),
    ("Bench Women's Aid", "bench womens aid", "Safe Homes Domestic Abuse Service"),
    ("Bench Recovery Partnership", "Change Grow Live", "Bench Recovery Partnrship"),
    ("Bench County Council", "BCC"),
    ("Bench County Council",),
)
STATUSES = ("In post", "Offer made", "Out to advert", "Pre-employment checks", "Interviews held")
FILENAME = "bench-recruitment.xlsx"
# Wall-clock time by default; --cpu-time uses this process's CPU time instead, steadier on a
# busy shared machine (SQLite works in-process, so it is counted; a server database's is not).
clock = time.perf_counter
REPEAT = 3
TODAY = date(2026, 11, 30)  # fixed, so the figures compare from run to run


@transactional
def build_programme() -> tuple[Programme, list[tuple[str, str]]]:
    """A programme of LOCALITIES x TEAMS_PER_LOCALITY Lancashire teams; (locality, team) names."""
    programme = programmes.create_programme("Bench programme", "bench", None)
    for name, kind, names in PARTNERS:
        organisations.create_organisation(programme, name, kind, None, names=names)
    teams = []
    for number in range(1, LOCALITIES + 1):
        locality = localities.create_locality(
            programme, f"Locality {number:02}", TODAY + timedelta(days=200), None, today=TODAY
        )
        for team in range(1, TEAMS_PER_LOCALITY + 1):
            name = f"FS Team {team}"
            localities.create_team(locality, name, None, establishment="lancashire", today=TODAY)
            teams.append((locality.name, name))
    return programme, teams


def spreadsheet(rows: int, teams: list[tuple[str, str]]) -> bytes:
    """An HR tracker: title rows, headers, then `rows` posts spread over the teams."""
    rng = random.Random(2026)
    # Not write_only: that mode leaves out the sheet's <dimension>, which Excel always writes and
    # without which openpyxl parses the whole sheet once more just to open it.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Family Safeguarding — recruitment tracker (benchmark)"])
    sheet.append(["Last updated", TODAY])
    sheet.append([])
    sheet.append(HEADERS)
    for number in range(rows):
        locality, team = teams[number % len(teams)]
        status = rng.choice(STATUSES)
        placed = status == "In post"
        holder = f"Worker {number}" if placed or status == "Offer made" else None
        sheet.append(
            [
                f"BEN-{number + 1:06}",
                locality,
                team,
                ROLES[(number // len(teams)) % len(ROLES)],
                rng.choice(EMPLOYERS[(number // len(teams)) % len(ROLES)]),
                rng.choice((1, 1, 1, 0.5, 0.8)),
                status,
                holder,
                f"worker.{number}@example.org" if placed else None,
                TODAY - timedelta(days=rng.randrange(30, 700)) if placed else None,
                rng.choice(("", "Seconded", "Advert closes Friday", "References outstanding")),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_read(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def best_time(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def peak_memory(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="data rows (default 10000)")
    parser.add_argument("--database", help="a scratch database URL (default: throwaway SQLite)")
    parser.add_argument(
        "--commit-memory", action="store_true", help="trace (d)'s peak memory (slows it)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a) to (c), best kept")
    parser.add_argument(
        "--cpu-time", action="store_true", help="time by this process's CPU time, not the wall's"
    )
    args = parser.parse_args()
    if args.cpu_time:
        global clock
        clock = time.process_time
    global REPEAT
    REPEAT = args.repeat
    with throwaway_database(args.database):
        run(args.rows, args.commit_memory)


def run(rows: int, commit_memory: bool = False) -> None:
    start = clock()
    programme, teams = build_programme()
    posts = db.session.scalar(select(func.count()).select_from(Post))
    print(
        f"Set-up: {LOCALITIES} localities x {TEAMS_PER_LOCALITY} Lancashire teams, "
        f"{posts:,} posts, in {clock() - start:.1f}s"
    )
    data = spreadsheet(rows, teams)
    limits = ReadLimits(
        max_bytes=max(len(data), ReadLimits.max_bytes),
        max_rows=max(rows, 50_000),
        parse_seconds=600,  # a busy shared machine must not stop the read
    )
    print(f"File: {rows:,} rows, {len(data) / 1024:,.0f} KB\n")

    def preview():
        return RECRUITMENT.preview_file(programme, data, FILENAME, limits, today=TODAY)

    def commit():
        return RECRUITMENT.import_file(programme, data, FILENAME, None, today=TODAY, limits=limits)

    def read():
        return read_table(data, FILENAME, synonyms(FIELDS), limits)

    baseline = best_time(lambda: raw_read(data))
    timings = [
        ("(a) openpyxl read-only, every row", baseline, None),
        ("(b) read_table", best_time(read), None),
        ("(c) preview_file (dry run)", best_time(preview), None),
    ]
    # Before the commit, so the dry run plans against the 2,200 template posts as (c) did.
    peaks = [peak_memory(lambda: raw_read(data)), peak_memory(read), peak_memory(preview)]
    if commit_memory:
        tracemalloc.start()
    start = clock()
    first = commit()
    timings.append(("(d) import_file (commit)", clock() - start, first.counts))
    if commit_memory:
        commit_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    start = clock()
    second = commit()
    timings.append(("(e) import_file again", clock() - start, second.counts))

    print(f"(b) read with: {reader.last_xlsx_reader}")
    for label, seconds, counts in timings:
        outcome = ", ".join(f"{key} {value:,}" for key, value in counts.items()) if counts else ""
        print(f"{label:<36} {seconds:7.2f}s  {seconds / baseline:5.1f}x  {outcome}")

    raw_peak, read_peak, preview_peak = peaks
    print(
        f"\nPeak memory (tracemalloc): (a) {raw_peak / 2**20:,.1f} MB, "
        f"(b) {read_peak / 2**20:,.1f} MB ({read_peak / raw_peak:.1f}x), "
        f"(c) {preview_peak / 2**20:,.1f} MB ({preview_peak / raw_peak:.1f}x)"
    )
    if commit_memory:
        print(f"Peak memory of (d), traced (so (d) ran slower): {commit_peak / 2**20:,.1f} MB")
    print(f"Commit (d) / dry run (c): {timings[3][1] / timings[2][1]:.1f}x")
    dry_run = timings[2][1] / baseline
    print(
        f"Goal: dry run <= 2x the raw read: {dry_run:.1f}x, "
        f"{'met' if dry_run <= 2 else 'NOT met'}; "
        f"peak memory < 2x the raw read's: {preview_peak / raw_peak:.1f}x, "
        f"{'met' if preview_peak < 2 * raw_peak else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
