"""Issue 16, data protection: nothing a signed-in user sees is cached, and a failing request's
error log carries no SQL parameters (password hashes, names, e-mail addresses)."""

from __future__ import annotations

import logging

from programme.extensions import db
from programme.models import User
from tests.builders import create_user
from tests.conftest import IsolatedClient, sign_in_as


def test_signed_in_pages_and_downloads_are_no_store_and_anonymous_pages_need_not_be(app, client):
    anonymous = client.get("/login")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    sign_in_as(client, create_user("admin"))

    for path in ("/", "/admin/users"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_a_failing_request_logs_no_sql_parameters(own_app, caplog):
    own_app.test_client_class = IsolatedClient
    client = own_app.test_client()
    taken = create_user("admin", email="taken.address@example.org")
    sign_in_as(client, taken)

    def clash():
        db.session.add(
            User(
                email="taken.address@example.org",
                name="Priya Secretname",
                password_hash="hash-that-must-not-leak",
                role="viewer",
            )
        )
        db.session.commit()

    own_app.add_url_rule("/test-clash", "test_clash", clash)
    own_app.config["PROPAGATE_EXCEPTIONS"] = False

    with caplog.at_level(logging.DEBUG):
        response = client.get("/test-clash")

    assert response.status_code == 500
    assert response.headers["Cache-Control"] == "no-store"
    logged = "\n".join(
        record.getMessage()
        + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    assert "IntegrityError" in logged  # the failure is logged, with where it happened...
    assert "test_no_store_and_logs.py" in logged
    for secret in ("Priya Secretname", "hash-that-must-not-leak", "taken.address@example.org"):
        assert secret not in logged  # ...without the values the statement was given
