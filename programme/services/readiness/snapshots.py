"""The daily readiness snapshots, and the trend of each criterion drawn from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, insert, inspect, select, update

from programme.clock import utc_now
from programme.collector import collector_paused
from programme.domain.readiness import Readiness, evaluate
from programme.domain.readiness_outlook import Sparkline, TrendPoint, sparkline
from programme.extensions import db
from programme.models import GateCriterion, Locality, Programme, ReadinessSnapshot
from programme.serialisers import criterion_document
from programme.services import batch_facts
from programme.services.transaction import transactional

TREND_DAYS = 90


SNAPSHOT_KEYS = ("key", "actual", "threshold", "met", "numerator", "denominator")


@dataclass
class SnapshotRun:
    taken_on: date
    created: int = 0
    updated: int = 0


def _snapshot_criteria(readiness: Readiness) -> list[dict]:
    return [
        {key: document[key] for key in SNAPSHOT_KEYS}
        for document in map(criterion_document, readiness.results)
    ]


# Programmes read and judged at a time: the facts of 20 programmes (about 120 localities) stay
# small in memory, and a batch's dozen queries are few beside its rows.
BATCH = 20


@transactional
def take_snapshots(as_of: date, programmes: Iterable[Programme] | None = None) -> SnapshotRun:
    """Store each locality's readiness on `as_of`; taking them again that day replaces them.
    The programmes are taken a batch at a time, each batch's facts read in a fixed number of
    queries (`batch_facts`) and its rows written in at most three statements."""
    db.session.flush()
    if programmes is None:
        ids = list(db.session.scalars(select(Programme.id).order_by(Programme.id)))
    else:
        # By identity: the programmes may be expired by a commit, and reading each one's id
        # would reload it, one query per programme.
        ids = [inspect(programme).identity[0] for programme in programmes]
    run = SnapshotRun(as_of)
    for start in range(0, len(ids), BATCH):
        with collector_paused():
            readings = {
                locality_id: evaluate(gate.criteria, facts, as_of)
                for gate in batch_facts.gates_of(ids[start : start + BATCH])
                for locality_id, facts in gate.localities.items()
            }
        _store(readings, as_of, run)
    return run


def _store(readings: dict[int, Readiness], as_of: date, run: SnapshotRun) -> None:
    """Write the day's row of each locality: update the rows already taken that day (so they
    keep their ids), insert the others; one statement each, however many localities."""
    table = ReadinessSnapshot.__table__
    connection = db.session.connection()
    existing = dict(
        connection.execute(
            select(table.c.locality_id, table.c.id).where(
                table.c.locality_id.in_(list(readings)), table.c.taken_on == as_of
            )
        ).all()
    )
    at = utc_now()
    rows = [
        {
            "locality_id": locality_id,
            "ready": readiness.ready,
            "criteria": _snapshot_criteria(readiness),
            "at": at,
        }
        for locality_id, readiness in readings.items()
    ]
    updates = [
        {f"new_{name}": value for name, value in row.items()}
        | {"snapshot_id": existing[row["locality_id"]]}
        for row in rows
        if row["locality_id"] in existing
    ]
    inserts = [{**row, "taken_on": as_of} for row in rows if row["locality_id"] not in existing]
    if updates:
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("snapshot_id"))
            .values(
                ready=bindparam("new_ready"),
                criteria=bindparam("new_criteria", type_=table.c.criteria.type),
                at=bindparam("new_at", type_=table.c.at.type),
            ),
            updates,
        )
    if inserts:
        connection.execute(insert(table), inserts)
    run.created += len(inserts)
    run.updated += len(updates)


def snapshots_taken_on(day: date) -> bool:
    return (
        db.session.scalar(
            select(ReadinessSnapshot.id).where(ReadinessSnapshot.taken_on == day).limit(1)
        )
        is not None
    )


def trends(
    locality: Locality, criteria: list[GateCriterion], readiness: Readiness, today: date
) -> dict[str, Sparkline]:
    """Each criterion's readings over the last TREND_DAYS days, against the threshold the
    locality is held to (its exception's, if it has one). An added criterion's trend starts
    the day it was added, so it never shows readings of a removed one that had its key."""
    since = {c.key: c.created_at.date() for c in criteria if not c.standard}
    points: dict[str, list[TrendPoint]] = defaultdict(list)
    for taken_on, documents in db.session.execute(
        select(ReadinessSnapshot.taken_on, ReadinessSnapshot.criteria)
        .where(
            ReadinessSnapshot.locality_id == locality.id,
            ReadinessSnapshot.taken_on > today - timedelta(days=TREND_DAYS),
            ReadinessSnapshot.taken_on <= today,
        )
        .order_by(ReadinessSnapshot.taken_on)
    ):
        for document in documents:
            key = document["key"]
            if taken_on >= since.get(key, taken_on):
                points[key].append(TrendPoint(taken_on, document["actual"]))
    return {
        result.key: sparkline(points[result.key], result.threshold) for result in readiness.results
    }
