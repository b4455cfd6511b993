"""The checksum of what `generate-scale` stored, read back from the database.

Each row is described by its natural keys (slugs, references, e-mail addresses), never its ids,
and its dates as days from the day it was generated (counted by the database), so the same seed
gives the same checksum whatever the database held before and on whatever day it runs.
Timestamps of the moment of loading are left out. Rows are hashed one by one and the hashes
added up, so neither the database's order nor its collation matters.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Select, cast, func, select
from sqlalchemy.orm import aliased

from programme.extensions import db
from programme.models import (
    Attendance,
    Course,
    CourseModule,
    GoLiveDecision,
    Locality,
    Milestone,
    Organisation,
    Post,
    PostStatusChange,
    Programme,
    ReadinessSnapshot,
    Role,
    StaffMember,
    Team,
    TrainingSession,
)

MODULUS = 2**256


def _queries(ids: list[int], today: date) -> dict[str, Select]:
    """Per count key, the natural description of each row of the given programmes."""

    def d(column):
        return _days(column, today)

    mine = Programme.id.in_(ids)
    employer = aliased(Organisation)
    held = aliased(Post)
    return {
        "programmes": select(Programme.slug, Programme.name).where(mine),
        "organisations": select(Programme.slug, Organisation.name, Organisation.type)
        .join(Programme)
        .where(mine),
        "localities": select(
            Programme.slug,
            Locality.slug,
            Locality.name,
            Locality.wave,
            d(Locality.go_live),
            Locality.state,
        )
        .join(Programme)
        .where(mine),  # fmt: skip
        "teams": select(Programme.slug, Locality.slug, Team.name, Team.kind)
        .join(Locality, Team.locality_id == Locality.id)
        .join(Programme)
        .where(mine),
        "posts": select(
            Programme.slug,
            Post.reference,
            Team.name,
            Role.key,
            employer.name,
            Post.fte,
            Post.status,
            d(Post.status_changed_on),
            Post.holder_name,
            Post.holder_email,
            d(Post.start_date),
        )
        .join(Programme, Post.programme_id == Programme.id)
        .join(Team, Post.team_id == Team.id)
        .join(Role, Post.role_id == Role.id)
        .join(employer, Post.organisation_id == employer.id)
        .where(mine),  # fmt: skip
        "post_history": select(
            Programme.slug, Post.reference, PostStatusChange.status, d(PostStatusChange.changed_on)
        )
        .join(Post, PostStatusChange.post_id == Post.id)
        .join(Programme, Post.programme_id == Programme.id)
        .where(mine),
        "staff": select(
            Programme.slug,
            StaffMember.email,
            StaffMember.name,
            Team.name,
            Role.key,
            held.reference,
            employer.name,
            d(StaffMember.start_date),
            d(StaffMember.leaving_date),
        )
        .join(Programme, StaffMember.programme_id == Programme.id)
        .join(Team, StaffMember.team_id == Team.id)
        .join(Role, StaffMember.role_id == Role.id)
        .outerjoin(held, StaffMember.post_id == held.id)
        .outerjoin(employer, StaffMember.organisation_id == employer.id)
        .where(mine),  # fmt: skip
        "sessions": _session_columns(d).where(mine),
        "attendance": _session_columns(d, StaffMember.email, Attendance.status)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .join(StaffMember, Attendance.staff_id == StaffMember.id)
        .where(mine),
        "milestones": select(
            Programme.slug,
            Locality.slug,
            Milestone.title,
            d(Milestone.due),
            Milestone.status,
            d(Milestone.completed_on),
            Milestone.gate_critical,
        )
        .join(Locality, Milestone.locality_id == Locality.id)
        .join(Programme)
        .where(mine),  # fmt: skip
        "go_live_decisions": select(
            Programme.slug,
            Locality.slug,
            GoLiveDecision.decided_by_name,
            d(GoLiveDecision.decided_at),
        )
        .join(Locality, GoLiveDecision.locality_id == Locality.id)
        .join(Programme)
        .where(mine),
        "snapshots": select(
            Programme.slug,
            Locality.slug,
            d(ReadinessSnapshot.taken_on),
            ReadinessSnapshot.ready,
            ReadinessSnapshot.criteria,
        )
        .join(Locality, ReadinessSnapshot.locality_id == Locality.id)
        .join(Programme)
        .where(mine),  # fmt: skip
    }


def _session_columns(d, *extra) -> Select:
    return (
        select(
            Programme.slug, Course.key, CourseModule.number, d(TrainingSession.on),
            TrainingSession.venue, TrainingSession.capacity, TrainingSession.cost_pence,
            TrainingSession.register_saved_at.is_not(None), *extra,
        )
        .join(Programme, TrainingSession.programme_id == Programme.id)
        .join(Course, TrainingSession.course_id == Course.id)
        .join(CourseModule, TrainingSession.module_id == CourseModule.id)
    )  # fmt: skip


def _days(column, today: date):
    """Days from `today` to the date in `column`, counted by the database: converting half a
    million dates in Python took longer than generating them."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, Date) - today
    return cast(func.julianday(func.date(column)) - func.julianday(today.isoformat()), Integer)


def _plain(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value


def counts_and_checksum(ids: list[int], today: date) -> tuple[dict[str, int], str]:
    """How many rows of each kind the programmes `ids` hold, and the checksum of them all."""
    counts: dict[str, int] = {}
    overall = hashlib.sha256()
    for key, query in _queries(ids, today).items():
        total, rows = 0, 0
        connection = db.session.connection()
        for row in connection.execute(query.execution_options(yield_per=20_000)):
            text = repr(tuple(map(_plain, row)))
            total += int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
            rows += 1
        counts[key] = rows
        overall.update(f"{key}:{rows}:{total % MODULUS:064x}\n".encode())
    return counts, overall.hexdigest()
