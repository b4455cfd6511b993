"""Personal API tokens on the API: a script sends `Authorization: Bearer <token>` and acts as the
token's user, with that user's role; a revoked token, a deactivated user's token or a mistyped
one is refused in JSON, and the token never reaches a log or a cookie."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text

from programme.domain.api_tokens import token_hash
from programme.extensions import db
from programme.models import GoLiveDecision, Membership
from programme.services import api_tokens, users
from programme.services.readiness import evaluation, gate_criteria, gate_exceptions
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import sign_in_as
from tests.queries import count_rows, reread


def _locality():
    return create_locality(create_programme("Somerset Family Safeguarding", "somerset"))


def _excused(locality):
    """Every criterion of the gate waived for `locality`, so a go-live is allowed."""
    for criterion in gate_criteria.criteria(locality.programme):
        gate_exceptions.set_exception(locality, criterion, "Agreed by the board", None, waived=True)
    return locality


def _url(locality, suffix: str = "readiness") -> str:
    return f"/api/programmes/{locality.programme.slug}/localities/{locality.slug}/{suffix}"


def _token_for(user, name: str = "Nightly report") -> str:
    return api_tokens.create_token(user, name).secret


def _fail(*_args):
    raise RuntimeError("the database went away")


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_reads_readiness_and_records_a_go_live_as_its_user(app, client):
    locality = _excused(_locality())
    token = _token_for(create_user("board_member", name="Bea Board"))

    read = client.get(_url(locality), headers=_bearer(token))
    decided = client.post(_url(locality, "go-live"), json={"note": "Board"}, headers=_bearer(token))

    assert read.status_code == 200
    assert read.get_json()["locality"] == locality.slug
    assert decided.status_code == 201, decided.get_json()
    assert decided.get_json()["decision"]["decided_by"] == "Bea Board"
    assert reread(locality).state == "live"


def test_a_revoked_token_is_refused_with_401_in_json(app, client):
    locality = _locality()
    user = create_user("viewer")
    issued = api_tokens.create_token(user, "Old script")
    assert client.get(_url(locality), headers=_bearer(issued.secret)).status_code == 200

    api_tokens.revoke_token(user, issued.record.id)
    response = client.get(_url(locality), headers=_bearer(issued.secret))

    assert response.status_code == 401
    assert response.is_json
    assert "not recognised" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_deactivated_user_s_token_is_refused(app, client):
    locality = _locality()
    user = create_user("viewer")
    token = _token_for(user)

    users.set_active(user.id, False, create_user("admin"))
    response = client.get(_url(locality), headers=_bearer(token))

    assert response.status_code == 401
    assert response.is_json


@pytest.mark.parametrize(
    "authorization",
    ["Bearer fst_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", None],
    ids=["unknown token", "empty token", "another scheme", "no header"],
)
def test_without_a_session_a_missing_or_bad_token_is_refused_401(app, client, authorization):
    locality = _locality()
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get(_url(locality), headers=headers)

    assert response.status_code == 401
    assert response.is_json and set(response.get_json()) == {"error"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_viewer_s_token_may_read_but_not_decide_a_go_live(app, client):
    locality = _excused(_locality())
    token = _token_for(create_user("viewer"))

    response = client.post(_url(locality, "go-live"), json={}, headers=_bearer(token))

    assert response.status_code == 403
    assert response.get_json() == {"error": "Your role may not do this."}
    assert count_rows(GoLiveDecision) == 0


def test_a_token_acts_with_its_user_s_role_as_it_is_now(app, client):
    locality = _excused(_locality())
    user = create_user("viewer")
    token = _token_for(user)

    # Roles are held per programme: the user becomes a board member of this one.
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.programme_id == locality.programme_id
        )
    )
    membership.role = "board_member"
    db.session.commit()
    response = client.post(_url(locality, "go-live"), json={}, headers=_bearer(token))

    assert response.status_code == 201


def test_a_request_naming_a_bad_token_is_refused_even_with_a_signed_in_session(app, client):
    locality = _locality()
    sign_in_as(client, create_user("viewer"))
    assert client.get(_url(locality)).status_code == 200

    response = client.get(_url(locality), headers=_bearer("fst_mistyped"))

    assert response.status_code == 401


def test_a_token_request_starts_no_session(app, client):
    locality = _locality()
    token = _token_for(create_user("viewer"))

    response = client.get(_url(locality), headers=_bearer(token))

    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/no-such-thing"), ("DELETE", "/api/programmes/p/localities/l/readiness")],
    ids=["unknown address", "method not allowed"],
)
def test_a_token_request_the_api_cannot_route_starts_no_session_either(app, client, method, path):
    token = _token_for(create_user("viewer"))

    response = client.open(path, method=method, headers=_bearer(token))

    assert response.status_code in {404, 405}
    assert response.is_json
    assert response.headers.getlist("Set-Cookie") == []


def test_a_token_request_that_also_carries_a_session_cookie_is_sent_no_cookie(app, client):
    locality = _locality()
    sign_in_as(client, create_user("viewer"))
    token = _token_for(create_user("board_member"))

    response = client.get(_url(locality), headers=_bearer(token))

    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    assert client.get(_url(locality)).status_code == 200  # the browser's session is untouched


def test_an_issued_token_never_prints_its_secret(app):
    issued = api_tokens.create_token(create_user("viewer"), "Nightly report")

    assert issued.secret not in repr(issued)
    assert issued.secret not in str(issued)


def test_a_token_opens_the_api_only_not_the_pages(app, client):
    token = _token_for(create_user("admin"))

    response = client.get("/admin/users", headers=_bearer(token))

    assert response.status_code == 302  # sent to sign in, as any stranger is


def test_using_a_token_records_when_it_was_last_used(app, client):
    locality = _locality()
    issued = api_tokens.create_token(create_user("viewer"), "Dashboard")
    assert issued.record.last_used_at is None

    client.get(_url(locality), headers=_bearer(issued.secret))

    assert reread(issued.record).last_used_at is not None


def test_the_token_never_appears_in_the_logs(app, client, caplog, monkeypatch):
    locality = _excused(_locality())
    user = create_user("board_member")
    issued = api_tokens.create_token(user, "Board script")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # so a failure is logged, as in production

    with caplog.at_level(logging.DEBUG):
        client.get(_url(locality), headers=_bearer(issued.secret))
        with monkeypatch.context() as patch:
            patch.setattr(evaluation, "evaluate_locality", _fail)
            failed = client.get(_url(locality), headers=_bearer(issued.secret))
        client.post(_url(locality, "go-live"), json={"note": "x"}, headers=_bearer(issued.secret))
        client.post(_url(locality, "go-live"), data="{", headers=_bearer(issued.secret))
        api_tokens.revoke_token(user, issued.record.id)
        client.get(_url(locality), headers=_bearer(issued.secret))

    assert failed.status_code == 500
    assert "Exception on" in caplog.text  # the failure was logged, with its traceback
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert issued.secret not in logged
    assert issued.secret[len(issued.record.prefix) :] not in logged


def test_tokens_are_stored_as_hashes_with_a_short_prefix(app):
    issued = api_tokens.create_token(create_user("viewer"), "Report")

    stored = db.session.execute(text("SELECT * FROM api_token")).mappings().one()

    assert issued.secret not in "".join(str(value) for value in stored.values())
    assert stored["token_hash"] == token_hash(issued.secret)
    assert issued.secret.startswith(stored["prefix"])
    assert len(stored["prefix"]) == 12 and len(issued.secret) > 40
