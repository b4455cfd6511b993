"""Taking turns on one programme's data."""

from sqlalchemy import select

from programme.extensions import db
from programme.models import Programme


def lock(programme: Programme) -> None:
    """Imports, undos and new keys of one programme take turns (PostgreSQL; SQLite has one
    writer)."""
    db.session.execute(select(Programme.id).where(Programme.id == programme.id).with_for_update())
