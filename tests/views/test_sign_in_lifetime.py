"""The absolute session lifetime (SESSION_MAX_HOURS) beside the idle timeout, and passwords
refused because they appear in lists of breached passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from programme.domain.passwords import BREACHED
from programme.extensions import db
from programme.models import SecurityEvent, User
from programme.sessions import EXPIRED
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.pages import page_of

SIGNED_IN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
# In Django's list of 20,000 breached passwords, long enough and not in zxcvbn's own list.
BREACHED_PASSWORDS = ["111222tianya", "pe#5gz29ptzmse"]


def log_in(client, user):
    return client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})


def test_a_session_ends_twelve_hours_after_signing_in_however_active(app, client, pin_clock):
    assert app.config["SESSION_MAX_HOURS"] == 12
    user = create_user("viewer")
    pin_clock(at=SIGNED_IN)
    assert log_in(client, user).status_code == 302

    pin_clock(at=SIGNED_IN + timedelta(hours=11, minutes=59))
    assert client.get("/my-milestones").status_code == 200

    pin_clock(at=SIGNED_IN + timedelta(hours=12))
    ended = client.get("/my-milestones")

    assert ended.status_code == 302
    assert ended.headers["Location"] == "/login?next=/my-milestones"
    assert EXPIRED in page_of(client.get("/login"))
    assert client.get("/account").status_code == 302  # signed out, not just redirected once
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.kind == "session_expired"))
    assert event is not None and event.user_id == user.id


def test_the_lifetime_is_configurable(app, client, pin_clock):
    app.config["SESSION_MAX_HOURS"] = 1
    pin_clock(at=SIGNED_IN)
    log_in(client, create_user("viewer"))
    pin_clock(at=SIGNED_IN + timedelta(minutes=61))
    assert client.get("/my-milestones").status_code == 302


def test_a_session_without_the_moment_of_signing_in_counts_as_expired(app, client):
    user = create_user("viewer")
    with client.session_transaction() as session:  # a cookie from before the lifetime existed
        session["_user_id"] = user.get_id()

    response = client.get("/my-milestones")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_changing_the_password_does_not_extend_the_lifetime(app, client, pin_clock):
    user = create_user("viewer")
    pin_clock(at=SIGNED_IN)
    log_in(client, user)
    pin_clock(at=SIGNED_IN + timedelta(hours=6))
    new = "a fresh passphrase for the lifetime test"
    changed = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "password": new, "confirm": new},
    )
    assert changed.status_code == 302

    pin_clock(at=SIGNED_IN + timedelta(hours=12, minutes=1))
    assert client.get("/my-milestones").status_code == 302


# ---------------------------------------------------------------- breached passwords


@pytest.mark.parametrize("password", BREACHED_PASSWORDS)
def test_a_breached_password_is_refused_when_changing_it(app, sign_in, password):
    user = create_user("viewer")
    response = sign_in(user).post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "password": password, "confirm": password},
    )
    assert response.status_code == 400
    assert BREACHED in page_of(response)


@pytest.mark.parametrize("password", BREACHED_PASSWORDS)
def test_users_create_refuses_a_breached_password(app, runner, password):
    result = runner.invoke(
        args=["users", "create", "b@example.org", "--name", "B Jones", "--role", "viewer"]
        + ["--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == 1
    assert BREACHED in result.stderr
    assert db.session.scalar(select(User).where(User.email == "b@example.org")) is None


def test_a_breached_password_is_refused_from_an_invitation_link(app, client):
    from programme.domain.account_links import INVITATION
    from programme.services.account_links import issue_link

    user = create_user("viewer", password_hash=None)
    token = issue_link(user, INVITATION).token
    db.session.commit()
    password = BREACHED_PASSWORDS[0]

    response = client.post(f"/invitation/{token}", data={"password": password, "confirm": password})

    assert response.status_code == 400
    assert BREACHED in page_of(response)
