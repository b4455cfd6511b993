"""Security behaviour, one story per test: sign-in throttling, cookies, redirects, CSRF, headers,
configuration, error pages, sessions, passwords, deactivation and safe methods."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select, text

from programme.auth import public
from programme.config import ConfigError, build_config
from programme.extensions import db
from programme.models import LoginAttempt, Milestone, TimelineTemplateItem, User
from tests.builders import DEFAULT_PASSWORD, create_locality, create_milestone, create_user
from tests.conftest import make_app, sign_in_as
from tests.pages import is_sign_in_challenge

THROTTLED = "Too many failed sign-in attempts"
PRODUCTION_SECRET = "x" * 32

# ---------------------------------------------------------------- helpers


def log_in(client, email: str, password: str = DEFAULT_PASSWORD, address="192.0.2.10", **kw):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kw,
    )


def signed_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def session_set_cookie(app, response) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))


def csrf_token_in(response) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def without_csrf_token(response) -> str:
    """The page as a person reads it: the form's token is signed with the second it was made."""
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def failures_recorded(**where) -> int:
    query = select(func.count(LoginAttempt.id)).where(LoginAttempt.succeeded.is_(False))
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return db.session.scalar(query)


@contextmanager
def production_app(database_url: str) -> Iterator:
    """A second app on the test database, configured as in production (CSRF off for brevity)."""
    production = make_app(database_url, APP_ENV="production", SECRET_KEY=PRODUCTION_SECRET)
    try:
        yield production
    finally:
        with production.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------- sign-in throttling


@pytest.fixture
def slept(app) -> list[float]:
    """The delays sign-in waited, recorded instead of waited."""
    delays: list[float] = []
    app.config["SLEEP"] = delays.append
    return delays


def test_five_failures_refuse_that_account_from_that_address_even_the_right_password(
    app, client, database_url
):
    user = create_user("viewer")
    for _ in range(5):
        assert log_in(client, user.email, "wrong password!").status_code == 400

    response = log_in(client, user.email)

    assert response.status_code == 400
    assert THROTTLED in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None
    assert failures_recorded(email=user.email) == 5  # counted in the database ...
    with production_app(database_url) as other_process:  # ... so every worker sees them
        assert THROTTLED in log_in(other_process.test_client(), user.email).get_data(as_text=True)
    assert log_in(client, create_user("viewer").email).status_code == 302  # others unaffected


def test_failures_from_elsewhere_slow_an_account_down_but_never_lock_its_owner_out(
    app, client, slept
):
    """Anyone can guess at the board's passwords before a meeting: it slows them, not the board."""
    user = create_user("board_member")
    for n in range(5):
        log_in(client, user.email, "wrong password!", address=f"198.51.100.{n}")
    assert failures_recorded(email=user.email) == 5
    slept.clear()

    response = log_in(client, user.email, address="203.0.113.9")  # the owner, from the office

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.get_id()
    assert slept and 0 < slept[-1] <= app.config["LOGIN_MAX_DELAY_SECONDS"]
    kinds = [kind for (kind,) in db.session.execute(text("SELECT kind FROM security_event"))]
    assert kinds.count("sign_in_failed") == 5 and "sign_in_slowed" in kinds and "sign_in" in kinds


def test_many_failures_from_one_address_only_slow_it_down(app, client, slept):
    """A whole council behind one address is never locked out by one person's typing."""
    user, address = create_user("viewer"), "198.51.100.7"
    for n in range(20):  # twenty different accounts, so no single pair is refused
        response = log_in(client, f"guess{n}@example.org", "wrong", address=address)
        assert response.status_code == 400
    assert failures_recorded(address=address) == 20

    slept.clear()
    response = log_in(client, user.email, address=address)

    assert response.status_code == 302
    assert slept == [app.config["LOGIN_MAX_DELAY_SECONDS"]]  # the longest delay, and no more


def test_a_deactivated_account_is_answered_exactly_as_a_wrong_password(app, client):
    user = create_user("viewer")
    wrong = log_in(client, user.email, "not the password!")
    user.active = False
    db.session.commit()

    deactivated = log_in(client, user.email)  # the right password

    assert deactivated.status_code == wrong.status_code == 400
    assert without_csrf_token(deactivated) == without_csrf_token(wrong)
    assert signed_in_user_id(client) is None


def test_an_erased_account_is_answered_exactly_as_a_wrong_password(app, client):
    user = create_user("viewer")
    wrong = log_in(client, user.email, "not the password!")
    user.erased_at = user.created_at
    db.session.commit()

    erased = log_in(client, user.email)

    assert without_csrf_token(erased) == without_csrf_token(wrong)
    assert signed_in_user_id(client) is None


def test_parallel_guesses_never_check_more_passwords_than_the_limit(app, database_url):
    """Twenty guesses at once from one address: the attempt is recorded before the password is
    checked, so at most five are ever checked."""
    if not database_url.startswith("postgresql"):
        pytest.skip("parallel sign-ins need a database that takes concurrent writers (PostgreSQL)")
    from concurrent.futures import ThreadPoolExecutor

    from programme.services import sign_in

    email = create_user("viewer").email  # read here: threads must not share the test's session
    checked: list[bool] = []
    real_check = sign_in.password_matches

    def counting_check(who, password):
        checked.append(True)
        return real_check(who, password)

    served = make_app(database_url)

    def guess(n: int) -> str | None:
        with served.app_context():
            try:
                result = sign_in.sign_in(email, f"wrong guess {n}", "192.0.2.50", served.config)
                return result.error
            finally:
                db.session.remove()

    original = sign_in.password_matches
    sign_in.password_matches = counting_check
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            errors = list(pool.map(guess, range(20)))
    finally:
        sign_in.password_matches = original
        with served.app_context():
            db.engine.dispose()

    assert len(checked) <= 5
    assert errors.count(sign_in.THROTTLED) >= 15
    assert failures_recorded(email=email) <= 5


# ---------------------------------------------------------------- cookies


def test_the_session_cookie_is_http_only_and_same_site_lax(app, client):
    user = create_user("viewer")
    cookie = session_set_cookie(app, log_in(client, user.email))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_in_production_the_session_cookie_is_also_secure(app, database_url):
    user = create_user("viewer")
    with production_app(database_url) as production:
        response = log_in(production.test_client(), user.email)
        cookie = session_set_cookie(production, response)
    assert response.status_code == 302
    assert "; Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# ---------------------------------------------------------------- open redirects


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",  # browsers drop the tab and see //evil.example
        "https:evil.example",
    ],
)
def test_signing_in_never_follows_next_off_the_site(app, client, target):
    response = log_in(client, create_user("viewer").email, query_string={"next": target})
    if "\t" in target:  # a control character in the address is refused before the sign-in
        assert response.status_code == 400
        assert "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signing_in_follows_next_to_a_page_on_this_site(app, client):
    response = log_in(client, create_user("viewer").email, query_string={"next": "/my-milestones"})
    assert response.headers["Location"] == "/my-milestones"


# ---------------------------------------------------------------- CSRF


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_a_sign_in_without_its_csrf_token_is_refused(csrf_on, client):
    user = create_user("viewer")
    credentials = {"email": user.email, "password": DEFAULT_PASSWORD}

    refused = client.post("/login", data=credentials)
    assert refused.status_code == 400
    assert "Your form expired" in refused.get_data(as_text=True)
    assert signed_in_user_id(client) is None
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0

    token = csrf_token_in(client.get("/login"))
    assert client.post("/login", data={**credentials, "csrf_token": token}).status_code == 302
    assert signed_in_user_id(client) == user.get_id()


def test_a_milestone_change_without_its_csrf_token_is_refused(csrf_on, client):
    milestone = create_milestone(create_locality())
    sign_in_as(client, create_user("programme_manager"))
    url = f"/milestones/{milestone.id}/edit"
    change = {
        "version": str(milestone.version),
        "status": "in_progress",
        "due": milestone.due.isoformat(),
    }

    assert client.post(url, data=change).status_code == 400
    db.session.refresh(milestone)
    assert milestone.status == "not_started"

    token = csrf_token_in(client.get(url))
    assert client.post(url, data={**change, "csrf_token": token}).status_code == 302
    db.session.refresh(milestone)
    assert milestone.status == "in_progress"


def test_a_sign_out_without_its_csrf_token_is_refused(csrf_on, client):
    user = create_user("viewer")
    sign_in_as(client, user)

    assert client.post("/logout").status_code == 400
    page = client.get("/my-milestones")
    assert page.status_code == 200  # still signed in

    assert client.post("/logout", data={"csrf_token": csrf_token_in(page)}).status_code == 302
    assert is_sign_in_challenge(client.get("/my-milestones"))


# ---------------------------------------------------------------- headers and configuration


def test_pages_carry_strict_security_headers(app, client):
    response = client.get("/login")
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (d.strip() for d in response.headers["Content-Security-Policy"].split(";"))
        if directive
    )
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["default-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }


def test_outside_development_and_testing_a_secret_key_is_required(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        build_config({"APP_ENV": "production"})


def test_an_error_in_production_shows_the_apology_page_not_a_traceback(app, database_url):
    with production_app(database_url) as production:

        @production.route("/boom")
        @public
        def boom():
            raise RuntimeError("internal detail that must not leak")

        response = production.test_client().get("/boom")

    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in body
    assert "Traceback" not in body
    assert "internal detail" not in body


# ---------------------------------------------------------------- sessions


def test_signing_out_ends_the_session_even_for_a_copy_of_the_cookie(app, client):
    user = create_user("viewer")
    assert log_in(client, user.email).status_code == 302
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(cookie_name).value

    assert client.post("/logout").status_code == 302
    client.set_cookie(cookie_name, copied)

    assert is_sign_in_challenge(client.get("/my-milestones"))


def test_a_session_ends_after_thirty_minutes_without_a_request(app, client, monkeypatch):
    now = [1_900_000_000]  # the signed cookie's clock, moved by hand
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: now[0])
    assert app.permanent_session_lifetime == timedelta(minutes=30)
    user = create_user("viewer")
    response = log_in(client, user.email)
    assert "Expires=" in session_set_cookie(app, response)

    for _ in range(3):  # activity keeps the session alive well past 30 minutes in all
        now[0] += 29 * 60
        assert client.get("/my-milestones").status_code == 200

    now[0] += 31 * 60
    assert is_sign_in_challenge(client.get("/my-milestones"))


def test_signing_in_starts_a_fresh_session(app, client):
    user = create_user("viewer")
    with client.session_transaction() as session:
        session["planted"] = "by whoever had this browser before"
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(cookie_name).value

    assert log_in(client, user.email).status_code == 302

    assert client.get_cookie(cookie_name).value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()


# ---------------------------------------------------------------- passwords


def change_password(client, password: str):
    """The password policy, met where a signed-in user changes their own password (it is the
    same policy on the pages an invitation or reset link opens)."""
    return client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "password": password, "confirm": password},
    )


@pytest.mark.parametrize(
    "password, reason",
    [
        ("eleven char", "at least 12 characters"),
        ("passwordpassword", "too easy to guess"),
        ("qwertyuiopasdf", "too easy to guess"),
        ("123qweasdzxc", "too common"),
    ],
)
def test_a_weak_new_password_is_refused(app, sign_in, password, reason):
    user = create_user("viewer")
    before = user.password_hash
    response = change_password(sign_in(user), password)
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before


@pytest.mark.parametrize(
    "password", ["Marble orchard, kettle drum!", "marble orchard kettle drum"]
)  # no composition rules: all lower case, no digits or symbols, is fine
def test_a_long_passphrase_is_accepted_as_a_new_password(app, sign_in, password):
    user = create_user("viewer")
    before = user.password_hash
    response = change_password(sign_in(user), password)
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.password_hash != before


# ---------------------------------------------------------------- deactivated accounts


def test_a_deactivated_user_cannot_sign_in_even_with_the_right_password(app, client):
    user = create_user("viewer", active=False)
    response = log_in(client, user.email)
    assert response.status_code == 400
    assert "The e-mail address or password is not right" in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_deactivating_a_user_ends_the_session_they_already_have(app, client):
    user = create_user("viewer")
    sign_in_as(client, user)
    assert client.get("/my-milestones").status_code == 200

    admin = app.test_client()
    sign_in_as(admin, create_user("admin"))
    assert admin.post(f"/admin/users/{user.id}/deactivate").status_code == 302

    assert is_sign_in_challenge(client.get("/my-milestones"))


# ---------------------------------------------------------------- safe methods and database


def test_actions_that_change_things_refuse_a_get(app, sign_in):
    locality = create_locality()
    slug, item = locality.programme.slug, locality.programme.timeline_templates[0].items[0]
    target = create_user("viewer")
    client = sign_in(create_user("admin"))
    urls = [
        "/logout",
        f"/admin/users/{target.id}/deactivate",
        f"/admin/users/{target.id}/reactivate",
        f"/programmes/{slug}/templates/{item.template.key}/items/{item.id}/remove",
        f"/programmes/{slug}/localities/{locality.slug}/apply-timeline",
    ]

    assert {url: client.get(url).status_code for url in urls} == {url: 405 for url in urls}
    assert client.get("/my-milestones").status_code == 200  # still signed in
    assert db.session.get(User, target.id).active
    assert db.session.get(TimelineTemplateItem, item.id) is not None
    assert db.session.scalar(select(func.count(Milestone.id))) == 0


def test_sqlite_enforces_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite needs foreign keys switched on")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_deployment_naming_its_database_is_production_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://tracker@db.internal/tracker")

    with pytest.raises(ConfigError):
        build_config()


def test_a_checkout_on_the_embedded_database_runs_as_development(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert build_config()["APP_ENV"] == "development"
