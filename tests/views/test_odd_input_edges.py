"""Odd input never answers 500, the cases the walk over every route does not show: the sign-in
names its field, addresses signed out, upload file names, the JSON API's addresses and bodies
(a JSON string holding "\\u0000"), and which characters multi-line text keeps."""

from __future__ import annotations

import io

import pytest

from programme.api.bodies import Text, json_body
from programme.api.errors import ApiError
from programme.domain.control_characters import has_control
from tests.views.test_odd_input import CANNOT, _message, _refused


def test_signing_in_with_a_nul_in_the_email_names_the_field(client):
    response = client.post("/login", data={"email": "ada\x00@example.org", "password": "secret"})

    assert response.status_code == 400
    assert _message(response).startswith("The e-mail address " + CANNOT)


def test_an_address_with_a_nul_is_refused_signed_out_too(client):
    for address in ("/programmes/%00x", "/%00", "/login?next=%00", "/programmes/x%C2%9B"):
        _refused(client.get(address), address)


def test_an_upload_whose_file_name_holds_a_nul_is_refused_without_reading_it(client):
    response = client.post(
        "/login",
        data={"file": (io.BytesIO(b"a,b\n"), "rows\x00.csv")},
        content_type="multipart/form-data",
    )

    _refused(response, "upload")
    assert "Spreadsheet" in _message(response)


def test_the_json_api_refuses_a_nul_in_its_address_and_query_in_json(client):
    for address in ("/api/programmes/%00x", "/api/programmes?status=%00"):
        response = client.get(address)
        _refused(response, address)
        assert response.is_json


def test_multi_line_text_keeps_tab_and_line_breaks_but_not_other_controls():
    assert not has_control("line one\r\nline\ttwo", multi_line=True)
    assert has_control("line one\r\nline two")
    for character in ("\x00", "\x1b", "\x7f", "\x9b", "\x85"):
        assert has_control(f"a{character}b", multi_line=True)
    assert not has_control("Café – ‘quoted’ …")


def test_a_json_string_holding_u0000_is_refused_in_json(app):
    body = b'{"note": "held up by \\u0000 the board"}'
    context = app.test_request_context(method="POST", data=body, content_type="application/json")
    with context, pytest.raises(ApiError) as refused:
        json_body({"note": Text(100)}, '{"note": "..."}')
    assert refused.value.status == 400
    assert refused.value.message.startswith("note " + CANNOT)


def test_a_json_note_keeps_its_line_breaks(app):
    body = b'{"note": "one\\r\\ntwo\\tthree"}'
    with app.test_request_context(method="POST", data=body, content_type="application/json"):
        assert json_body({"note": Text(100)}, "{}") == {"note": "one\r\ntwo\tthree"}
