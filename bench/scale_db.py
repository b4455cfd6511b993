"""The databases `bench/run` works on, and the app's command line run against them.

On PostgreSQL, the URL given names the server and a prefix: the bench drops and creates
`<name>_scale` (the generated dataset, measured by the pages, the load, readiness and the export),
`<name>_imports` (a copy with what the imports update) and `<name>_work` (a fresh copy of that for
each import that commits, so every repeat starts from the same state). On SQLite they are files
beside the one named (by default in a temporary directory).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app"]
SECRET_KEY = secrets.token_hex(32)


@dataclass(frozen=True)
class Server:
    """Where the bench's databases live: a PostgreSQL server or a directory of SQLite files."""

    url: str  # as given

    @property
    def postgres(self) -> bool:
        return self.url.startswith(("postgresql", "postgres:"))

    def database(self, suffix: str) -> str:
        """The SQLAlchemy URL of the bench's database `suffix` (scale, imports, work)."""
        given = make_url(self._normalised())
        if self.postgres:
            return given.set(database=f"{given.database}_{suffix}").render_as_string(False)
        path = Path(given.database)
        return f"sqlite:///{path.with_name(f'{path.stem}_{suffix}.sqlite')}"

    def _normalised(self) -> str:
        if self.url.startswith("postgres://"):
            return "postgresql+psycopg://" + self.url[len("postgres://") :]
        if self.url.startswith("postgresql://"):
            return "postgresql+psycopg://" + self.url[len("postgresql://") :]
        return self.url

    def version(self) -> str:
        if not self.postgres:
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        with self._admin() as connection:
            return connection.execute("select version()").fetchone()[0].split(" on ")[0]

    def create(self, suffix: str, copy_of: str | None = None) -> str:
        """A new, empty database `suffix` (or a copy of the bench's `copy_of`), dropped first
        if it is there; its URL."""
        url = self.database(suffix)
        if not self.postgres:
            path = Path(make_url(url).database)
            path.unlink(missing_ok=True)
            if copy_of is not None:
                shutil.copyfile(make_url(self.database(copy_of)).database, path)
            return url
        name = make_url(url).database
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if copy_of is None:
                connection.execute(f'CREATE DATABASE "{name}"')
            else:
                # FILE_COPY: copies the files, much faster than WAL-logging every page (PG 15+).
                template = make_url(self.database(copy_of)).database
                connection.execute(
                    f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'
                )
        return url

    def drop(self, suffix: str) -> None:
        url = self.database(suffix)
        if not self.postgres:
            Path(make_url(url).database).unlink(missing_ok=True)
            return
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def _admin(self):
        import psycopg

        given = make_url(self._normalised())
        conninfo = given.set(drivername="postgresql", database="postgres")
        return psycopg.connect(conninfo.render_as_string(False), autocommit=True)


# --- The app's command line ---------------------------------------------------------------------


def environment(url: str) -> dict[str, str]:
    """What a deployment sets (README, "Running with PostgreSQL and gunicorn")."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "MAIL_TRANSPORT": "outbox",
    }


def flask(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=environment(url), capture_output=True, text=True
    )
    if check and done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done


def upgrade(url: str) -> None:
    flask(url, "db", "upgrade")


def generate_scale(url: str, programmes: int, seed: int, stub: bool = False) -> dict:
    """The dataset from the app's own generator (`generate-scale`, /work/shared/CLI.md); its
    JSON. `stub`: bench/scale_stub.py instead, for a checkout without the command."""
    if stub:
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "scale_stub.py"), str(programmes)],
            cwd=ROOT,
            env=environment(url),
            capture_output=True,
            text=True,
            check=True,
        )
    else:
        done = flask(
            url, "generate-scale", "--programmes", str(programmes), "--seed", str(seed), "--json"
        )
    return json.loads(done.stdout)
