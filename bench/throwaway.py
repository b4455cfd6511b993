"""What every benchmark shares: the app on a throwaway SQLite database, removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from programme import create_app
from programme.extensions import db


@contextmanager
def throwaway_database(url: str | None = None) -> Iterator[None]:
    """An app context on a fresh SQLite file in a temporary directory, with every table; or on
    the database at `url` (its tables are dropped before and after: give a scratch database)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "APP_ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp}/bench.sqlite",
            }
        )
        with app.app_context():
            if url:
                db.drop_all()
            db.create_all()
            try:
                yield
            finally:
                db.session.remove()
                if url:
                    db.drop_all()
                db.engine.dispose()
