"""Fixtures: the app on a migrated test database (SQLite, or PostgreSQL from TEST_DATABASE_URL),
emptied between tests; a test client; sign-in helpers; a query counter."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import request, request_finished
from flask.testing import FlaskClient
from flask_login import current_user
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from programme import create_app
from programme.clock import utc_now
from programme.extensions import db
from programme.sessions import SIGNED_IN_AT
from tests.pages import page_problems

# The SMTP server fixtures (`smtp_server`, `smtp_down`) for every test that sends mail.
pytest_plugins = ["tests.mail_server"]

# The day every test runs on, unless it pins another with the `pin_clock` fixture.
TODAY = date(2026, 11, 30)  # a Monday


@event.listens_for(Engine, "connect")
def _sqlite_without_disk_syncing(dbapi_connection, _record) -> None:
    """A test database is thrown away: waiting for the disk at every commit buys nothing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite'}"
    if url.startswith("postgresql") and "options=" not in url:
        # A test database is thrown away: a commit need not wait for the disk (as SQLite's
        # synchronous=OFF below). The app keeps a URL's own options beside its timeouts.
        url += ("&" if "?" in url else "?") + "options=-c%20synchronous_commit%3Doff"
    return url


def _reset_postgres_schema(url: str) -> None:
    """Start from an empty schema, so the migrations build every table themselves."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        url = _database_url(Path(tmp))
        if url.startswith("postgresql"):
            _reset_postgres_schema(url)  # fails loudly (not a skip) when PostgreSQL is unreachable
        yield url


class _SharedBytecode(BytecodeCache):
    """Every test makes its own app, and so its own Jinja environment; sharing the compiled
    templates between them saves compiling each template afresh in every test."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _SharedBytecode()


def _no_wait(_seconds: float) -> None:
    return None


def make_app(database_url: str, **overrides):
    config = {
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "TODAY": TODAY,
        "PROXY_FIX_HOPS": 0,
        # Two-factor sign-in is made mandatory only by the tests about it.
        "REQUIRE_2FA_ROLES": "",
        # A slowed-down sign-in does not wait in tests (tests about it record the delay).
        "SLEEP": _no_wait,
    }
    config.update(overrides)
    app = create_app(config)
    app.jinja_env.bytecode_cache = _TEMPLATES
    return app


@pytest.fixture(scope="session")
def _migrated(database_url: str) -> str:
    app = make_app(database_url)
    with app.app_context():
        upgrade()  # the migrations are tested for free
        db.engine.dispose()
    return database_url


def empty_tables() -> None:
    # DELETE rather than TRUNCATE: on PostgreSQL, truncating forty small tables costs far more
    # than deleting their few rows, and tests never rely on ids starting at 1.
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # In one round trip: forty DELETEs sent one by one took ten times as long (20 ms).
        quote = db.engine.dialect.identifier_preparer.format_table
        statements = "; ".join(f"DELETE FROM {quote(table)}" for table in tables)
        db.session.connection().exec_driver_sql(statements)
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="session")
def _shared_app(_migrated: str):
    return make_app(_migrated)


@pytest.fixture
def app(_shared_app):
    """The app, on emptied tables. One app serves every test: building one (its ~140 URL rules
    compiled afresh) cost more than most tests. What a test changes on it, its settings and its
    test client class, is put back afterwards; a test that adds routes takes `own_app`."""
    app = _shared_app
    settings = dict(app.config)
    client_class = app.test_client_class
    try:
        with app.app_context():
            empty_tables()
            yield app
            db.session.remove()
    finally:
        app.config.clear()
        app.config.update(settings)
        app.test_client_class = client_class


@pytest.fixture
def own_app(app, _migrated: str):
    """An app of the test's own, on the same emptied database, for a test that adds a route."""
    own = make_app(_migrated)
    yield own
    with own.app_context():
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g` (so the signed-in
    user is loaded afresh) and its own database session. Afterwards the test's session forgets
    what it had loaded, so the test reads what the request wrote."""

    def open(self, *args, **kwargs):
        # Buffered, so the page checks below see the whole body (otherwise every response
        # counts as streamed and the checks would be skipped).
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        _check_page(response)
        return response


@request_finished.connect
def _no_store_when_signed_in(_sender, response, **_extra) -> None:
    """Every response to a signed-in user (pages, downloads, JSON) carries `no-store` (issue 16);
    anonymous pages and static files need not."""
    if current_user.is_authenticated:
        assert "no-store" in response.headers.get("Cache-Control", ""), (
            f"{request.path}: a signed-in user's response without Cache-Control: no-store"
        )


def _check_page(response) -> None:
    """Every page a test fetches is also checked for a title, one h1, unique ids, labels and
    links that point somewhere, and CSRF tokens on its POST forms."""
    if response.mimetype != "text/html" or response.is_streamed:
        return
    problems = page_problems(response.get_data(as_text=True))
    assert not problems, f"{response.request.path}: " + "; ".join(problems)


@pytest.fixture
def pin_clock(app) -> Callable[..., None]:
    """Pin `programme.clock` for the rest of the test: `pin_clock(day)` fixes today (the time of
    day still runs), `pin_clock(at=aware_datetime)` fixes the exact moment. Requests, services and
    commands of this app all see it."""

    def pin(day: date | None = None, *, at: datetime | None = None) -> None:
        app.config["TODAY"], app.config["NOW"] = (None, at) if at else (day, None)

    return pin


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def sign_in_as(client, user) -> None:
    """Start a session for `user` without going through the login form (tested on its own)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[SIGNED_IN_AT] = utc_now().timestamp()  # sessions without it count as expired


@pytest.fixture
def sign_in(client):
    def sign_in_user(user):
        sign_in_as(client, user)
        return client

    return sign_in_user


@contextmanager
def one_shared_transaction(app) -> Iterator[Callable[[], AbstractContextManager]]:
    """Run everything inside, services and test-client requests alike, on one connection in one
    transaction that is rolled back at the end. Each session commits to a SAVEPOINT instead, so a
    module can build its world once and give each case a savepoint to roll back to: yields a
    function making such a savepoint.

    Call it inside `app`'s app context, before the app has connected to its database.
    """
    db.session.remove()
    engine = db.engine
    engine.dispose()
    if engine.dialect.name == "sqlite":
        # pysqlite begins transactions lazily and mishandles SAVEPOINT; SQLAlchemy's recipe
        # takes that over, so a savepoint is a savepoint.
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", _sqlite_begin)
    connection = engine.connect()
    outer = connection.begin()
    db.session.remove()
    db.session.configure(join_transaction_mode="create_savepoint")
    engines = db.engines
    engines[None] = connection  # every session of this app now runs on this one connection

    def savepoint():
        db.session.remove()  # a session left open would hold a savepoint around this one
        return connection.begin_nested()

    try:
        yield savepoint
    finally:
        db.session.remove()
        db.session.configure(join_transaction_mode="conditional_savepoint")  # the default
        engines[None] = engine
        outer.rollback()
        connection.close()
        if engine.dialect.name == "sqlite":
            event.remove(engine, "connect", _sqlite_manual_transactions)
            event.remove(engine, "begin", _sqlite_begin)
        engine.dispose()


def _sqlite_manual_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    counter = QueryCounter()

    def record(_conn, _cursor, statement, *_args):
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries():
    return counting_queries
