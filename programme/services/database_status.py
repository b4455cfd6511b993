"""Whether the database is ready for the app: it answers, and its schema is at the newest
migration (a process started before `flask db upgrade` has run is not ready).

Alembic (~0.3 s to import) is loaded at the readiness probe's first call, not at start-up."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from programme.extensions import db

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@cache
def migration_heads() -> frozenset[str]:
    """The newest revision(s) in the migrations folder (read once per process)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def database_ready() -> bool:
    from alembic.runtime.migration import MigrationContext

    try:
        current = MigrationContext.configure(db.session.connection()).get_current_heads()
    except SQLAlchemyError as error:
        log.warning("Not ready: the database did not answer (%s)", type(error).__name__)
        return False
    finally:
        db.session.rollback()
    if frozenset(current) != migration_heads():
        log.warning("Not ready: the database is at %s, the code at %s", current, migration_heads())
        return False
    return True
