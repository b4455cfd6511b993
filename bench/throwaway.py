"""What every benchmark shares: the app on a throwaway SQLite database, removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from programme import create_app
from programme.extensions import db


@contextmanager
def throwaway_database() -> Iterator[None]:
    """An app context on a fresh SQLite file in a temporary directory, with every table."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"}
        )
        with app.app_context():
            db.create_all()
            try:
                yield
            finally:
                db.session.remove()
                db.engine.dispose()
