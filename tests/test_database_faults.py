"""A database that does not answer: every page is the app's own 503 page and the API a JSON 503,
given within the connect timeout (not after the worker is killed); `/healthz` and `/readyz` for
load balancers (issue 17).

The dead database is a PostgreSQL URL whatever database the suite runs on: a local socket that
accepts connections and never says a word (the connect timeout must end the wait), or a port
nobody listens on (refused at once).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from programme import clock
from programme.config import build_config, engine_options
from programme.extensions import db
from programme.services import database_status
from tests.builders import create_user
from tests.conftest import IsolatedClient, make_app
from tests.pages import page_of

CONNECT_TIMEOUT = 2  # libpq's least
# Not a speed requirement: a bound proving the request gave up rather than hung (issue 17 saw
# requests hang ~30 s until gunicorn killed the worker).
GAVE_UP_WITHIN = 3 * CONNECT_TIMEOUT
SENTENCE = "Try again in a few minutes."


def _dead_url(port: int) -> str:
    return f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/nothing"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port whose listener takes the connection (the kernel completes it) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.fixture
def refused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on leaving: nobody listens there now


def _client_of(url: str, **overrides):
    dead = make_app(url, DATABASE_CONNECT_TIMEOUT=CONNECT_TIMEOUT, **overrides)
    dead.test_client_class = IsolatedClient
    return dead, dead.test_client()


@pytest.fixture
def dead_database(app, silent_port):
    """A client of the app on a database that never answers (the test's own app context stays
    the working test database's, for building users)."""
    dead, client = _client_of(_dead_url(silent_port))
    with dead.app_context():
        yield client
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def refusing_database(app, refused_port):
    dead, client = _client_of(_dead_url(refused_port))
    with dead.app_context():
        yield client
        db.session.remove()
        db.engine.dispose()


def _signed_in(client, session_id: str = "1:1") -> None:
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["signed_in_at"] = clock.utc_now().timestamp()


def _timed(client, *args, **kwargs):
    started = time.monotonic()
    response = client.open(*args, **kwargs)
    return response, time.monotonic() - started


def _assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = page_of(response)
    assert "Sorry, the service is unavailable" in page and SENTENCE in page
    for detail in ("OperationalError", "psycopg", "127.0.0.1", "nothing", "timeout", "Traceback"):
        assert detail not in page
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_page_answers_the_503_page_within_the_connect_timeout(dead_database):
    _signed_in(dead_database)

    response, elapsed = _timed(dead_database, "/")

    _assert_unavailable_page(response)
    assert elapsed < GAVE_UP_WITHIN, f"gave up only after {elapsed:.1f} s"


def test_the_api_answers_a_json_503_within_the_connect_timeout(dead_database):
    response, elapsed = _timed(
        dead_database,
        "/api/programmes/p/localities/l/readiness",
        headers={"Authorization": "Bearer some-token"},
    )

    assert response.status_code == 503
    assert response.is_json
    assert response.get_json() == {"error": f"The service is unavailable at the moment. {SENTENCE}"}
    assert response.headers["Retry-After"] == "60"
    assert elapsed < GAVE_UP_WITHIN, f"gave up only after {elapsed:.1f} s"


def test_signing_in_answers_the_503_page(refusing_database):
    response = refusing_database.post(
        "/login", data={"email": "ada@example.org", "password": "a long password"}
    )

    _assert_unavailable_page(response)


@pytest.mark.parametrize("path", ["/static/css/app.css", "/api/static-looking-nothing"])
def test_a_fault_after_the_view_still_answers_503(app, refused_port, path):
    """A static file asks for nobody until the no-store hook asks who is signed in: the fault
    then comes after the view, through the 500 handler (as in production, where exceptions are
    not propagated to the test), and is still a 503."""
    dead, client = _client_of(_dead_url(refused_port), PROPAGATE_EXCEPTIONS=False)
    with dead.app_context():
        _signed_in(client)

        response = client.get(path)

        assert response.status_code == 503
        assert response.is_json == path.startswith("/api/")
        db.engine.dispose()


def test_healthz_answers_without_the_database(refusing_database):
    response = refusing_database.get("/healthz")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_not_ready_when_the_database_does_not_answer(refusing_database):
    response = refusing_database.get("/readyz")

    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"
    assert "Set-Cookie" not in response.headers


def test_readyz_gives_up_within_the_connect_timeout(dead_database):
    response, elapsed = _timed(dead_database, "/readyz")

    assert response.status_code == 503
    assert elapsed < GAVE_UP_WITHIN, f"gave up only after {elapsed:.1f} s"


def test_health_checks_answer_on_the_working_database_without_a_session(client):
    live, ready = client.get("/healthz"), client.get("/readyz")

    assert (live.status_code, live.get_data(as_text=True)) == (200, "ok\n")
    assert (ready.status_code, ready.get_data(as_text=True)) == (200, "ready\n")
    for response in (live, ready):
        assert response.mimetype == "text/plain"
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_not_ready_when_the_migrations_are_not_at_head(client, monkeypatch):
    monkeypatch.setattr(database_status, "migration_heads", lambda: frozenset({"0099_newer"}))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"


def test_the_head_is_the_newest_migration():
    heads = database_status.migration_heads()
    assert len(heads) == 1
    assert next(iter(heads)).startswith("0")


def test_a_signed_in_users_pages_still_work_on_a_working_database(sign_in):
    """The handlers change nothing when the database answers."""
    client = sign_in(create_user("programme_manager"))

    assert client.get("/").status_code in {200, 302}


def test_postgresql_is_given_the_timeouts_and_sqlite_is_not():
    options = engine_options("postgresql+psycopg://u@h/d", connect_timeout=5, statement_timeout=30)
    assert options == {
        "pool_pre_ping": True,
        "hide_parameters": True,
        "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    }
    assert engine_options("sqlite:///x.sqlite", 5, 30) == {
        "pool_pre_ping": True,
        "hide_parameters": True,
    }


def test_the_url_s_own_connection_options_are_kept_beside_the_timeout():
    url = "postgresql+psycopg://u@h/d?options=-csearch_path%3Dold_schema"
    options = engine_options(url, connect_timeout=5, statement_timeout=30)
    assert (
        options["connect_args"]["options"] == "-csearch_path=old_schema -c statement_timeout=30000"
    )


def test_the_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "12")

    config = build_config(
        {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/d"}
    )

    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=12000",
    }


def test_a_timeout_that_is_not_a_whole_number_is_refused(monkeypatch):
    from programme.config import ConfigError

    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "30s")

    with pytest.raises(ConfigError, match="DATABASE_STATEMENT_TIMEOUT"):
        build_config({"APP_ENV": "testing"})


def test_postgresql_sessions_run_with_the_statement_timeout(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")

    assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "20s"


def test_a_statement_past_the_statement_timeout_answers_503(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    slow = make_app(
        db.engine.url.render_as_string(hide_password=False), DATABASE_STATEMENT_TIMEOUT=1
    )
    slow.test_client_class = IsolatedClient

    @slow.before_request
    def a_slow_query():
        db.session.execute(text("SELECT pg_sleep(5)"))

    with slow.app_context():
        response, elapsed = _timed(slow.test_client(), "/login")
        db.session.remove()
        db.engine.dispose()

    _assert_unavailable_page(response)
    assert elapsed < 4, f"the statement was cancelled only after {elapsed:.1f} s"
