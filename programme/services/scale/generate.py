"""Generating the dataset in one transaction: the programmes through the programme service,
then their contents generated and written in batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text

from programme.domain.scale import IdSequence, programme_rows
from programme.extensions import db
from programme.models import Programme
from programme.services import programmes as programme_service
from programme.services.errors import Conflict, ServiceError
from programme.services.scale.checksum import counts_and_checksum
from programme.services.scale.config import programme_config
from programme.services.scale.writer import BatchWriter, next_ids, reset_sequences
from programme.services.transaction import transactional

SLUG_PREFIX = "scale-"
MAX_PROGRAMMES = 5000


@dataclass(frozen=True)
class ScaleRun:
    programmes: int
    seed: int
    counts: dict[str, int]
    checksum: str
    slugs: list[str]


def slug_of(number: int) -> str:
    return f"{SLUG_PREFIX}{number:03d}"


@transactional
def generate(programmes: int, seed: int, today: date, now: datetime) -> ScaleRun:
    """Load programmes scale-001 ... scale-N with their contents; refused when the database
    already holds a scale programme (the dataset is meant for a database of its own)."""
    if not 1 <= programmes <= MAX_PROGRAMMES:
        raise ServiceError(f"The number of programmes must be from 1 to {MAX_PROGRAMMES}.")
    existing = db.session.scalar(
        select(Programme.slug).where(Programme.slug.startswith(SLUG_PREFIX)).limit(1)
    )
    if existing is not None:
        raise Conflict(
            f"The database already holds scale programmes ({existing}); "
            "generate-scale loads into a database without them."
        )
    created = []
    for number in range(1, programmes + 1):
        programme = programme_service.create_programme(
            f"Scale programme {number:03d}", slug_of(number), None
        )
        created.append((number, programme.id, programme.slug))
        db.session.flush()
        db.session.expunge_all()  # nothing of it is needed again: keep the session small
    ids = IdSequence(next_ids())
    writer = BatchWriter()
    for number, programme_id, slug in created:
        config = programme_config(programme_id, slug)
        writer.add(programme_rows(config, number, seed, ids, today, now))
    writer.flush()
    reset_sequences()
    programme_ids = [programme_id for _, programme_id, _ in created]
    counts, checksum = counts_and_checksum(programme_ids, today)
    return ScaleRun(programmes, seed, counts, checksum, [slug for *_, slug in created])


def refresh_planner_statistics() -> None:
    """ANALYZE the loaded tables, once committed. A bulk load leaves the query planner's
    statistics empty until autovacuum comes round, and until then PostgreSQL plans each join as
    if a table held a few rows: measured, the board then read all 330,000 attendance records
    by a sequential scan (28 ms a query, not 5). A database restored from a dump needs the same."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()
