"""How long the go-live gate takes over a large programme: the board view, one locality's page
(with its projections and trends) and the daily snapshot.

    .venv/bin/python bench/readiness_board.py [--localities 50] [--programmes 1]

Builds a throwaway SQLite database: --programmes programmes (default 1) each of --localities
localities of 4 Lancashire teams (11 posts each),
12 staff per team, the Lancashire timeline per locality, and both courses delivered to half the
localities (every module a session, everyone present) with the other half booked on sessions to
come. Then times each step and counts its SQL statements. Prints figures; it is not a test.
Goal: the board view's statements do not grow with the programme (asserted in the tests), and it
answers within a second for 50 localities. The daily snapshot covers every programme, so
`--programmes 30 --localities 6` measures it at a national instance's shape (issue 18).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import event, func, select
from throwaway import throwaway_database  # bench/throwaway.py, beside this script

from programme.extensions import db
from programme.models import (
    Attendance,
    Locality,
    Post,
    Programme,
    Role,
    StaffMember,
    Team,
    TrainingSession,
)
from programme.services import localities, programmes, timeline
from programme.services.readiness import board, locality_page, snapshots
from programme.services.training import catalogue
from programme.services.transaction import transactional

TEAMS_PER_LOCALITY, STAFF_PER_TEAM = 4, 12
TODAY = date(2026, 11, 30)  # fixed, so the figures compare from run to run


@transactional
def build(count: int, number: int = 1) -> Programme:
    suffix = "" if number == 1 else f" {number}"
    programme = programmes.create_programme(
        f"Bench programme{suffix}", f"bench{suffix.replace(' ', '-')}", None
    )
    social_worker = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    for number in range(1, count + 1):
        locality = localities.create_locality(
            programme,
            f"Locality {number:03}",
            TODAY + timedelta(days=60 + number),
            None,
            today=TODAY,
            wave=1 + number // 10,
        )
        for team_number in range(1, TEAMS_PER_LOCALITY + 1):
            team = localities.create_team(
                locality, f"Team {team_number}", None, establishment="lancashire", today=TODAY
            )
            for person in range(STAFF_PER_TEAM):
                db.session.add(
                    StaffMember(
                        programme_id=programme.id,
                        team=team,
                        role=social_worker,
                        name=f"Person {number}-{team_number}-{person}",
                        email=f"p{number}.{team_number}.{person}@example.org",
                        start_date=TODAY - timedelta(days=400),
                    )
                )
        timeline.apply_template(locality, None)
    db.session.flush()
    _deliver_training(programme)
    return programme


def _deliver_training(programme: Programme) -> None:
    """Half the localities trained (past sessions, all present), half booked (sessions to come)."""
    staff_by_locality: dict[int, list[int]] = {}
    for staff_id, locality_id in db.session.execute(
        select(StaffMember.id, Team.locality_id)
        .join(Team, Team.id == StaffMember.team_id)
        .where(StaffMember.programme_id == programme.id)
    ):
        staff_by_locality.setdefault(locality_id, []).append(staff_id)
    for index, (_locality_id, staff_ids) in enumerate(sorted(staff_by_locality.items())):
        past = index % 2 == 0
        for course in catalogue.list_courses(programme):
            for module in course.modules:
                on = TODAY + timedelta(days=(-30 if past else 30) + module.number)
                session = TrainingSession(
                    programme_id=programme.id,
                    course=course,
                    module=module,
                    on=on,
                    capacity=len(staff_ids),
                    cost_pence=0,
                )
                db.session.add(session)
                for staff_id in staff_ids:
                    db.session.add(
                        Attendance(
                            session=session,
                            staff_id=staff_id,
                            status="present" if past else None,
                        )
                    )


def timed(label: str, call: Callable[[], object]) -> object:
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    event.listen(db.engine, "before_cursor_execute", count)
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    event.remove(db.engine, "before_cursor_execute", count)
    print(f"{label:<44} {elapsed:6.2f}s  {statements:4} SQL statements")
    return result


def run(count: int, programme_count: int = 1) -> None:
    start = time.perf_counter()
    programme = build(count)
    for number in range(2, programme_count + 1):
        build(count, number)
    posts = db.session.scalar(select(func.count()).select_from(Post))
    staff = db.session.scalar(select(func.count()).select_from(StaffMember))
    places = db.session.scalar(select(func.count()).select_from(Attendance))
    print(
        f"Built {programme_count} programme(s) of {count} localities, {posts} posts, "
        f"{staff} staff, {places} attendance records "
        f"in {time.perf_counter() - start:.1f}s\n"
    )
    db.session.expire_all()
    timed("board view (every locality, every criterion)", lambda: board.board(programme, TODAY))
    booked = db.session.scalar(select(Locality).where(Locality.name == "Locality 002"))
    timed(
        "one locality's page (with projections)",
        lambda: locality_page.locality_readiness(booked, TODAY, TODAY),
    )
    timed("daily snapshot (every locality)", lambda: snapshots.take_snapshots(TODAY))
    timed("daily snapshot again (replaces the day's)", lambda: snapshots.take_snapshots(TODAY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--localities", type=int, default=50, help="localities per programme (default 50)"
    )
    parser.add_argument("--programmes", type=int, default=1, help="programmes (default 1)")
    args = parser.parse_args()
    with throwaway_database():
        run(args.localities, args.programmes)


if __name__ == "__main__":
    main()
