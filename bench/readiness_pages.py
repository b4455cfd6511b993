"""How long the readiness pages take through the app, as a browser asks for them: the board and
one locality's readiness page (with its projections), p50 of repeated requests through the Flask
test client, and their SQL statements.

    .venv/bin/python bench/readiness_pages.py [--localities 6] [--requests 20]
        [--profile board|page] [--database-url postgresql+psycopg://.../scratch]

Builds a throwaway SQLite programme (or, with --database-url, one in a scratch PostgreSQL
database whose public schema it empties before and after) shaped like issue 18's national
dataset: each locality of 8 Lancashire teams (11 posts each, some filled, some offered with start
dates to come), 12 staff per team, the Lancashire timeline, and 5 sessions per course module
with registers (past ones recorded, some absent; later ones booked). Prints figures; it is not a
test. `--profile board` or `--profile page` prints a cProfile of 5 requests. Wall time on a
shared machine counts other people's work: compare the CPU figures, or runs side by side.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import event, select, text
from throwaway import throwaway_database  # bench/throwaway.py, beside this script

from programme import create_app
from programme.extensions import db
from programme.models import (
    Attendance,
    Locality,
    Post,
    PostStatusChange,
    Programme,
    Role,
    StaffMember,
    Team,
    TrainingSession,
    User,
)
from programme.services import localities, programmes, timeline
from programme.services.training import catalogue
from programme.services.transaction import transactional
from programme.sessions import SIGNED_IN_AT

TEAMS_PER_LOCALITY, STAFF_PER_TEAM, SESSIONS_PER_MODULE = 8, 12, 5
TODAY = date(2026, 11, 30)  # fixed, so the figures compare from run to run


@transactional
def build(count: int, seed: int = 18) -> Programme:
    rng = random.Random(seed)
    programme = programmes.create_programme("Bench programme", "bench", None)
    roles = list(db.session.scalars(select(Role).where(Role.programme_id == programme.id)))
    for number in range(1, count + 1):
        locality = localities.create_locality(
            programme,
            f"Locality {number:03}",
            TODAY + timedelta(days=60 + 7 * number),
            None,
            today=TODAY,
            wave=1 + number // 3,
        )
        for team_number in range(1, TEAMS_PER_LOCALITY + 1):
            team = localities.create_team(
                locality, f"Team {team_number}", None, establishment="lancashire", today=TODAY
            )
            for person in range(STAFF_PER_TEAM):
                started = TODAY - timedelta(days=rng.randint(-40, 400))
                db.session.add(
                    StaffMember(
                        programme_id=programme.id,
                        team=team,
                        role=rng.choice(roles),
                        name=f"Person {number}-{team_number}-{person}",
                        email=f"p{number}.{team_number}.{person}@example.org",
                        start_date=started,
                    )
                )
        timeline.apply_template(locality, None)
    db.session.flush()
    _fill_posts(programme, rng)
    _deliver_training(programme, rng)
    return programme


def _fill_posts(programme: Programme, rng: random.Random) -> None:
    """Most posts filled, some offered with a start date to come, the rest vacant."""
    for post in db.session.scalars(select(Post).where(Post.programme_id == programme.id)):
        draw = rng.random()
        if draw < 0.6:
            post.status, post.start_date = "in_post", TODAY - timedelta(days=rng.randint(1, 300))
        elif draw < 0.85:
            post.status, post.start_date = "offered", TODAY + timedelta(days=rng.randint(1, 90))
        else:
            continue
        post.status_changed_on = TODAY - timedelta(days=rng.randint(1, 60))
        db.session.add(
            PostStatusChange(post=post, status=post.status, changed_on=post.status_changed_on)
        )


def _deliver_training(programme: Programme, rng: random.Random) -> None:
    """Per locality, 5 sessions of each module (two past with registers, three to come); each
    person placed on one session of most modules."""
    staff_by_locality: dict[int, list[int]] = {}
    for staff_id, locality_id in db.session.execute(
        select(StaffMember.id, Team.locality_id).join(Team, Team.id == StaffMember.team_id)
    ):
        staff_by_locality.setdefault(locality_id, []).append(staff_id)
    for _locality_id, staff_ids in sorted(staff_by_locality.items()):
        for course in catalogue.list_courses(programme):
            for module in course.modules:
                sessions = []
                for index in range(SESSIONS_PER_MODULE):
                    offset = (-60 + 20 * index) + module.number
                    session = TrainingSession(
                        programme_id=programme.id,
                        course=course,
                        module=module,
                        on=TODAY + timedelta(days=offset),
                        capacity=len(staff_ids),
                        cost_pence=0,
                    )
                    db.session.add(session)
                    sessions.append((offset < 0, session))
                for staff_id in staff_ids:
                    if rng.random() < 0.1:
                        continue  # not booked yet
                    past, session = rng.choice(sessions)
                    status = rng.choice(("present", "present", "late", "absent")) if past else None
                    db.session.add(Attendance(session=session, staff_id=staff_id, status=status))


def _signed_in_client():
    app = current_app._get_current_object()
    app.config["TODAY"] = TODAY
    app.config["REQUIRE_2FA_ROLES"] = ()  # the bench user need not enrol
    user = User(
        email="bench@example.org", name="Bench", role="admin", password_hash="x", active=True
    )
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[SIGNED_IN_AT] = time.time()
    return client


def timed_requests(client, label: str, url: str, requests: int) -> None:
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    response = client.get(url)  # warm: templates compiled, caches filled
    assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    event.listen(db.engine, "before_cursor_execute", count)
    for _ in range(requests):
        statements = 0
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    event.remove(db.engine, "before_cursor_execute", count)
    # CPU time as well as wall time: on a shared machine the wall clock counts other people's work.
    print(
        f"{label:<24} p50 {1000 * statistics.median(timings):6.1f} ms  "
        f"min {1000 * min(timings):6.1f} ms  CPU p50 {1000 * statistics.median(cpu):6.1f} ms  "
        f"{statements:3} SQL statements"
    )


def run(count: int, requests: int, profile: str | None) -> None:
    start = time.perf_counter()
    programme = build(count)
    print(f"Built {count} localities in {time.perf_counter() - start:.1f}s")
    client = _signed_in_client()
    locality = db.session.scalar(select(Locality).where(Locality.name == "Locality 002"))
    board_url = f"/programmes/{programme.slug}/readiness"
    page_url = f"/programmes/{programme.slug}/localities/{locality.slug}/readiness"
    timed_requests(client, "board", board_url, requests)
    timed_requests(client, "locality readiness page", page_url, requests)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(board_url if profile == "board" else page_url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


@contextmanager
def scratch_database(url: str) -> Iterator[None]:
    """An app context on a scratch PostgreSQL database: its public schema emptied, every table
    made, and the schema emptied again afterwards. Never point it at a database you keep."""
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _empty_schema()
        db.create_all()
        try:
            yield
        finally:
            db.session.remove()
            _empty_schema()
            db.engine.dispose()


def _empty_schema() -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localities", type=int, default=6, help="localities (default 6)")
    parser.add_argument("--requests", type=int, default=20, help="requests timed (default 20)")
    parser.add_argument(
        "--profile", choices=("board", "page"), help="profile 5 requests of the board or the page"
    )
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
    args = parser.parse_args()
    database = scratch_database(args.database_url) if args.database_url else throwaway_database()
    with database:
        run(args.localities, args.requests, args.profile)


if __name__ == "__main__":
    main()
