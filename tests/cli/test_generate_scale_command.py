"""`generate-scale --programmes N [--seed S] [--json]` (CLI.md, issue 18): a deterministic
synthetic dataset, loaded in batches, that the app then works on as on its own data."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select, text

from programme.extensions import db
from programme.models import Attendance, Locality, Post, Programme, Role, StaffMember
from programme.services import localities, programmes, timeline
from programme.services.readiness import board, evaluation
from programme.services.training import staff_members
from tests.builders import create_user
from tests.conftest import TODAY, empty_tables

# 3 programmes x 6 localities x 8 teams; 11 posts and 12 staff a team; 5 sessions of each of
# the 7 required modules (MI 4, FS 3) per locality; the 20 milestones of the Lancashire
# template per locality; 8 weekly snapshots per locality; one partner of each of 7 types.
EXACT = {
    "programmes": 3,
    "organisations": 21,
    "localities": 18,
    "teams": 144,
    "posts": 1584,
    "staff": 1728,
    "sessions": 630,
    "milestones": 360,
    "snapshots": 144,
}


def _generate(runner, *options: str) -> dict:
    result = runner.invoke(args=["generate-scale", "--programmes", "3", "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_it_loads_what_it_reports_the_same_for_the_same_seed_and_refuses_a_second_load(app, runner):
    report = _generate(runner)

    assert report["programmes"] == 3 and report["seed"] == 1
    assert isinstance(report["seconds"], float)
    assert len(report["checksum"]) == 64
    counts = report["counts"]
    assert {key: counts[key] for key in EXACT} == EXACT
    assert counts["attendance"] == db.session.scalar(select(func.count(Attendance.id))) > 0
    assert counts["post_history"] > counts["posts"]
    assert 0 < counts["go_live_decisions"] < counts["localities"]
    statuses = set(db.session.scalars(select(Post.status).distinct()))
    assert {"vacant", "advertised", "appointed", "in_post"} <= statuses
    if db.engine.dialect.name == "sqlite":  # the planner's statistics were gathered
        analysed = db.session.scalars(text("SELECT tbl FROM sqlite_stat1")).all()
        assert {"attendance", "post", "staff_member"} <= set(analysed)

    again = runner.invoke(args=["generate-scale", "--programmes", "3"])

    assert again.exit_code == 1
    assert "already holds scale programmes" in again.stderr
    assert db.session.scalar(select(func.count(Programme.id))) == 3

    empty_tables()  # on PostgreSQL the ids now start elsewhere: the checksum must not see them
    assert _generate(runner)["checksum"] == report["checksum"]
    empty_tables()
    assert _generate(runner, "--seed", "2")["checksum"] != report["checksum"]


def test_the_app_works_on_the_generated_data(app, runner, sign_in):
    _generate(runner, "--seed", "7")
    programme = programmes.get_programme("scale-002")

    rows = board.board(programme, TODAY).rows
    assert len(rows) == 6
    live = [row for row in rows if row.locality.state == "live"]
    planning = [row for row in rows if row.locality.state != "live"]
    assert live and planning
    readiness = evaluation.evaluate_locality(planning[0].locality, TODAY)
    assert {result.key for result in readiness.results} >= {"adult_specialists_recruited"}

    # The sequences moved past the generated ids: the services' own inserts go on working.
    locality = localities.create_locality(
        programme, "Newtown", TODAY + timedelta(weeks=30), None, today=TODAY
    )
    team = localities.create_team(
        locality, "Newtown FS Team", None, establishment="lancashire", today=TODAY
    )
    timeline.apply_template(locality, None)
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    staff_members.create_staff(
        team, None, name="Nia Newcomer", email="nia@example.org", role_id=role.id
    )
    db.session.commit()
    assert db.session.scalar(select(func.count(StaffMember.id))) == 1728 + 1

    client = sign_in(create_user("admin"))
    assert client.get("/programmes/scale-002").status_code == 200
    assert client.get("/programmes/scale-002/readiness").status_code == 200
    slug = db.session.scalar(
        select(Locality.slug).where(Locality.programme_id == programme.id).limit(1)
    )
    assert client.get(f"/programmes/scale-002/localities/{slug}/readiness").status_code == 200
