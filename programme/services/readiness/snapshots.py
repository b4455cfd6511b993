"""The daily readiness snapshots, and the trend of each criterion drawn from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.readiness import Readiness
from programme.domain.readiness_outlook import Sparkline, TrendPoint, sparkline
from programme.extensions import db
from programme.models import GateCriterion, Locality, Programme, ReadinessSnapshot
from programme.serialisers import criterion_document
from programme.services.readiness.evaluation import readiness_of
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


@transactional
def take_snapshots(as_of: date, programmes: Iterable[Programme] | None = None) -> SnapshotRun:
    """Store each locality's readiness on `as_of`; taking them again that day replaces them."""
    if programmes is None:
        programmes = db.session.scalars(select(Programme).order_by(Programme.id)).all()
    run = SnapshotRun(as_of)
    for programme in programmes:
        localities = list(
            db.session.scalars(select(Locality).where(Locality.programme_id == programme.id))
        )
        if not localities:
            continue
        _criteria, results, _facts = readiness_of(programme, localities, as_of)
        existing = {
            snapshot.locality_id: snapshot
            for snapshot in db.session.scalars(
                select(ReadinessSnapshot).where(
                    ReadinessSnapshot.locality_id.in_([loc.id for loc in localities]),
                    ReadinessSnapshot.taken_on == as_of,
                )
            )
        }
        for locality in localities:
            readiness = results[locality.id]
            snapshot = existing.get(locality.id)
            if snapshot is None:
                snapshot = ReadinessSnapshot(locality_id=locality.id, taken_on=as_of)
                db.session.add(snapshot)
                run.created += 1
            else:
                run.updated += 1
            snapshot.ready = readiness.ready
            snapshot.criteria = _snapshot_criteria(readiness)
            snapshot.at = utc_now()
    return run


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
