"""A stand-in for `flask generate-scale` (`bench/run --stub-dataset`), for a checkout where that
command does not exist yet: N programmes `scale-001`... of 6 localities of 4 Lancashire teams,
12 staff per team, the Lancashire timeline, both courses delivered to half the localities (past
sessions, everyone present) and booked for the other half. Printed as generate-scale's JSON."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

from programme import clock
from programme.extensions import db
from programme.models import Attendance, Post, Role, StaffMember, Team, TrainingSession
from programme.services import localities, programmes, timeline
from programme.services.training import catalogue

LOCALITIES, TEAMS, STAFF = 6, 4, 12


def build(count: int) -> dict:
    start = time.perf_counter()
    today = clock.today()
    for number in range(1, count + 1):
        programme = programmes.create_programme(
            f"Scale programme {number:03}", f"scale-{number:03}", None
        )
        social_worker = db.session.scalar(
            select(Role.id).where(Role.programme_id == programme.id, Role.key == "social_worker")
        )
        for place in range(1, LOCALITIES + 1):
            locality = localities.create_locality(
                programme,
                f"Locality {number:03}-{place}",
                today + timedelta(days=60 + place * 20),
                None,
                today=today,
                wave=place,
            )
            people = []
            for team_number in range(1, TEAMS + 1):
                team = localities.create_team(
                    locality, f"Team {team_number}", None, establishment="lancashire", today=today
                )
                people += [
                    {
                        "programme_id": programme.id,
                        "team_id": team.id,
                        "role_id": social_worker,
                        "name": f"Person {number}-{place}-{team_number}-{person}",
                        "email": f"p{number}.{place}.{team_number}.{person}@scale.example.org",
                        "start_date": today - timedelta(days=400),
                        "version": 1,
                    }
                    for person in range(STAFF)
                ]
            timeline.apply_template(locality, None)
            db.session.execute(insert(StaffMember), people)
            _train(programme, locality, place % 2 == 1, today)
        db.session.commit()
        print(f"  stub programme {number}/{count}", file=sys.stderr, flush=True)
    counts = {
        "posts": db.session.scalar(select(func.count()).select_from(Post)),
        "staff": db.session.scalar(select(func.count()).select_from(StaffMember)),
        "attendance": db.session.scalar(select(func.count()).select_from(Attendance)),
    }
    seconds = round(time.perf_counter() - start, 2)
    return {"programmes": count, "seed": 0, "seconds": seconds, "counts": counts, "checksum": ""}


def _train(programme, locality, past: bool, today) -> None:
    staff_ids = db.session.scalars(
        select(StaffMember.id).join(Team).where(Team.locality_id == locality.id)
    ).all()
    places = []
    for course in catalogue.list_courses(programme):
        for module in course.modules:
            session = TrainingSession(
                programme_id=programme.id,
                course=course,
                module=module,
                on=today + timedelta(days=(-40 if past else 30) + module.number),
                capacity=len(staff_ids),
                venue="County Hall",
                cost_pence=0,
            )
            db.session.add(session)
            db.session.flush()
            status = "present" if past else None
            places += [
                {"session_id": session.id, "staff_id": staff_id, "status": status}
                for staff_id in staff_ids
            ]
    db.session.execute(insert(Attendance), places)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    from programme import create_app

    app = create_app()
    with app.app_context():
        print(json.dumps(build(int(sys.argv[1]))))
