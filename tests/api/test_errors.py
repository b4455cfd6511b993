"""Every error under /api/ is answered in JSON, `{"error": "<one sentence>"}`, whatever raised it:
a routing miss, a wrong method, a refusal, a body that is not JSON or is malformed, a field of
the wrong type or size, a body too large, or a failure inside the app (which also rolls back)."""

from __future__ import annotations

import pytest

from programme.api.bodies import MAX_BODY_BYTES
from programme.extensions import db
from programme.models import AuditEvent
from programme.services import audit
from programme.services.readiness import evaluation
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import sign_in_as
from tests.queries import count_rows


@pytest.fixture
def board_client(app, client):
    sign_in_as(client, create_user("board_member"))
    return client


@pytest.fixture
def locality(app):
    return create_locality(create_programme("Somerset Family Safeguarding", "somerset"))


def _url(locality, suffix: str = "readiness") -> str:
    return f"/api/programmes/{locality.programme.slug}/localities/{locality.slug}/{suffix}"


def _error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.mimetype
    document = response.get_json()
    assert set(document) == {"error"}
    return document["error"]


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api", "/api/programmes/somerset"])
def test_an_unknown_api_address_answers_404_in_json(board_client, path):
    assert _error(board_client.get(path), 404) == "There is nothing at this address in the API."


def test_an_unknown_page_still_answers_the_html_error_page(board_client):
    response = board_client.get("/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_a_wrong_method_answers_405_in_json_naming_the_methods_accepted(board_client, locality):
    response = board_client.get(_url(locality, "go-live"))

    message = _error(response, 405)
    assert message == "This address does not accept GET requests; it accepts POST."
    assert "POST" in response.headers["Allow"]
    assert _error(board_client.delete(_url(locality)), 405).startswith(
        "This address does not accept DELETE requests"
    )


def test_an_unknown_locality_answers_404_with_the_service_s_sentence(board_client, locality):
    response = board_client.get(_url(locality).replace(locality.slug, "nowhere"))

    assert "nowhere" in _error(response, 404)


def test_a_failure_inside_the_api_answers_500_in_json_and_writes_nothing(
    app, board_client, locality, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: handled, not raised

    def half_done(*_args):
        audit.record(None, "update", "locality", locality.id, "Half done")
        db.session.flush()
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(evaluation, "evaluate_locality", half_done)
    before = count_rows(AuditEvent)
    response = board_client.get(_url(locality))

    message = _error(response, 500)
    assert message == "Something went wrong on our side. Nothing was saved; try again in a moment."
    assert "internal detail" not in response.get_data(as_text=True)
    assert count_rows(AuditEvent) == before


def test_a_form_body_is_refused_415(board_client, locality):
    response = board_client.post(_url(locality, "go-live"), data={"note": "Board"})

    assert _error(response, 415) == "Send the request as JSON (Content-Type: application/json)."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"note": "Board"', "The request body is not valid JSON: Expecting ',' delimiter"),
        ("{'note': 'Board'}", "The request body is not valid JSON: Expecting property name"),
        ("", 'Send a JSON object, for example {"note": "Board minutes"}.'),
        ('["Board"]', 'Send a JSON object, for example {"note": "Board minutes"}.'),
        (b'{"note": "\xff"}', "The request body is not UTF-8 text."),
        ("[" * 100_000, "The request body is larger than 64 KB"),
        ("[" * 50_000, "The request body is nested too deeply."),
    ],
    ids=["unclosed", "single quotes", "empty", "a list", "not utf-8", "too large", "too deep"],
)
def test_a_malformed_body_is_refused_naming_the_problem(board_client, locality, body, expected):
    response = board_client.post(
        _url(locality, "go-live"), data=body, content_type="application/json"
    )

    status = 413 if len(body) > MAX_BODY_BYTES else 400
    assert _error(response, status).startswith(expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"note": 42}, "note must be text of at most 5000 characters."),
        ({"note": None}, "note must be text of at most 5000 characters."),
        ({"note": "x" * 5001}, "note must be text of at most 5000 characters."),
        ({"notes": "Board"}, "notes is not a field this request accepts (note)."),
    ],
    ids=["a number", "null", "too long", "unknown field"],
)
def test_a_field_of_the_wrong_type_or_size_is_refused_naming_it(
    board_client, locality, body, expected
):
    response = board_client.post(_url(locality, "go-live"), json=body)

    assert _error(response, 400) == expected
    assert locality.state == "planning"


def test_a_refusal_the_route_adds_to_keeps_its_extra_keys(board_client, locality):
    response = board_client.post(_url(locality, "go-live"), json={"note": "Board"})

    assert response.status_code == 409
    assert set(response.get_json()) == {"error", "unmet"}


def test_a_conflict_answers_409_with_the_service_s_sentence(app, board_client, locality):
    locality.state = "live"
    db.session.commit()

    response = board_client.post(_url(locality, "go-live"), json={})

    assert _error(response, 409) == f"{locality.name} is already live."
