"""How long planning a large recruitment import takes when one team already holds many posts.

    .venv/bin/python bench/import_planning.py [--rows 20000] [--posts 40000]

Builds a throwaway SQLite database with one programme, one locality and one team holding --posts
Social worker posts (a quarter of them numbered, the rest unnumbered), writes a CSV of --rows rows
for that team and role that no post's reference matches (half carry a new reference, half none),
and times the command-line dry run (`import_file(dry_run=True)`: read, plan, write nothing).
Every row must be matched by team and role: the case that used to scan the team's posts once per
row (issue 17). Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import time
from datetime import date, timedelta

from sqlalchemy import insert, select
from throwaway import throwaway_database  # bench/throwaway.py, beside this script

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Post, Programme, Role
from programme.services import localities, organisations, programmes
from programme.services.recruitment_import import RECRUITMENT
from programme.services.transaction import transactional

TODAY = date(2026, 11, 30)  # fixed, so the figures compare from run to run
FILENAME = "bench-planning.csv"
ROLE = "Social worker"


@transactional
def build_programme(posts: int) -> Programme:
    """One team holding `posts` posts of one role, written in one statement."""
    programme = programmes.create_programme("Bench programme", "bench", None)
    council = organisations.create_organisation(programme, "Bench Council", "council", None)
    locality = localities.create_locality(
        programme, "Locality", TODAY + timedelta(days=200), None, today=TODAY
    )
    team = localities.create_team(locality, "Big team", None, today=TODAY)
    role_id = db.session.scalar(
        select(Role.id).where(Role.programme_id == programme.id, Role.name == ROLE)
    )
    db.session.execute(
        insert(Post),
        [
            {
                "programme_id": programme.id,
                "team_id": team.id,
                "role_id": role_id,
                "reference": f"OLD-{number:06}" if number % 4 else None,
                "organisation_id": council.id,
                "status": "vacant",
                "frozen": False,
                "version": 1,
            }
            for number in range(posts)
        ],
    )
    return programme


def spreadsheet(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("Post Ref", "Service Area", "Team", "Job Title", "Current Status"))
    for number in range(rows):
        reference = f"NEW-{number:06}" if number % 2 else ""
        writer.writerow((reference, "Locality", "Big team", ROLE, "Out to advert"))
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="data rows (default 20000)")
    parser.add_argument("--posts", type=int, default=40_000, help="posts (default 40000)")
    args = parser.parse_args()
    with throwaway_database():
        start = time.perf_counter()
        programme = build_programme(args.posts)
        print(f"Set-up: {args.posts:,} posts in one team, in {time.perf_counter() - start:.1f}s")
        data = spreadsheet(args.rows)
        limits = ReadLimits(
            max_bytes=max(len(data), ReadLimits.max_bytes), max_rows=max(args.rows, 50_000)
        )
        start = time.perf_counter()
        plan = RECRUITMENT.import_file(
            programme, data, FILENAME, None, today=TODAY, limits=limits, dry_run=True
        )
        seconds = time.perf_counter() - start
        outcome = ", ".join(f"{key} {value:,}" for key, value in plan.counts.items())
        print(
            f"Dry run of {args.rows:,} rows against {args.posts:,} posts: {seconds:.2f}s  {outcome}"
        )


if __name__ == "__main__":
    main()
