"""Odd input never answers 500: a control character (a NUL above all) in a form field, a query
string, an address or an uploaded file's name is refused with 400 and a sentence naming where it
is (programme/odd_input.py), on every POST route the app has and on every page's address; the JSON
API answers the same refusal in JSON, for a JSON string holding "\\u0000" too."""

from __future__ import annotations

import io
import re

import pytest
from flask import url_for

from tests.builders import create_user
from tests.conftest import sign_in_as
from tests.views.test_permissions import ROUTES, walk, walked  # noqa: F401  (fixtures)
from tests.views.test_post_redirect_get import EXCLUDED, SUCCESS, Submit, _sign_in

CANNOT = "contains a character that cannot be typed (a control character)"


def _message(response) -> str:
    if response.is_json:
        return response.get_json()["error"]
    found = re.findall(r'<p class="app-body">(.*?)</p>', response.get_data(as_text=True), re.S)
    return found[0] if found else response.get_data(as_text=True)[:500]


def _refused(response, where: str) -> None:
    assert response.status_code == 400, f"{where} answered {response.status_code}"
    assert CANNOT in _message(response), f"{where}: {_message(response)}"


def _with_nul(data: dict) -> dict:
    """`data` with a NUL inside every text value and every file name (a field of its own when
    the form sends no text)."""
    odd: dict = {}
    for name, value in data.items():
        if isinstance(value, tuple) and value and isinstance(value[0], io.IOBase):
            odd[name] = (value[0], "rows\x00.csv", *value[2:])
        elif isinstance(value, str):
            odd[name] = value[:1] + "\x00" + value[1:]
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            odd[name] = [item + "\x00" for item in value]
        else:
            odd[name] = value
    if odd == data:
        odd["note"] = "a\x00b"
    return odd


# Every POST route: the walked ones with the form that succeeds, each value holding a NUL.
@pytest.mark.parametrize("submit", SUCCESS, ids=lambda submit: submit.endpoint)
def test_a_nul_in_any_walked_form_is_refused_with_400(walked, submit: Submit):  # noqa: F811
    app, world, client = walked
    _sign_in(client, submit.role, world)
    with app.test_request_context():
        url = url_for(submit.endpoint, **submit.args(world))
    data = submit.data(world)
    if submit.prepare is not None:
        data |= submit.prepare(app, client, world) or {}

    response = client.post(url, data=_with_nul(data))

    _refused(response, f"POST {submit.endpoint}")


_EXCLUDED_POSTS = [r for r in ROUTES if r.method == "POST" and r.endpoint in EXCLUDED]


@pytest.mark.parametrize("route", _EXCLUDED_POSTS, ids=lambda route: route.endpoint)
def test_a_nul_in_a_form_to_the_other_post_routes_is_refused_with_400(walked, route):  # noqa: F811
    app, world, client = walked
    sign_in_as(client, create_user("admin"))

    if route.json:  # the API reads JSON bodies: "\u0000" in a JSON string
        response = client.post(route.url(app, world), json={"note": "a\x00b"})
    else:
        response = client.post(route.url(app, world), data={"name": "a\x00b"})

    _refused(response, f"POST {route.endpoint}")
    assert response.is_json == route.json


def test_every_post_route_is_covered(walk):  # noqa: F811
    app, _world, _savepoint = walk
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    covered = {submit.endpoint for submit in SUCCESS} | {r.endpoint for r in _EXCLUDED_POSTS}
    assert posts - covered == set()


_GETS = [r for r in ROUTES if r.method == "GET"]


@pytest.mark.parametrize("route", _GETS, ids=lambda route: route.endpoint)
def test_a_nul_in_any_pages_query_string_is_refused_with_400(walked, route):  # noqa: F811
    app, world, client = walked
    sign_in_as(client, create_user("admin"))

    response = client.get(route.url(app, world) + "?q=a%00b&page=1")

    _refused(response, f"GET {route.endpoint}")
    assert response.is_json == route.json


@pytest.mark.parametrize(
    "route",
    [r for r in _GETS if r.args.__name__ in ("_programme", "_locality", "_team", "_post")],
    ids=lambda route: route.endpoint,
)
def test_a_nul_in_a_url_slug_is_refused_with_400(walked, route):  # noqa: F811
    app, world, client = walked
    sign_in_as(client, create_user("admin"))
    args = route.args(world)
    args = {
        name: ("%00" + value if isinstance(value, str) else value) for name, value in args.items()
    }
    with app.test_request_context():
        url = url_for(route.endpoint, **args).replace("%2500", "%00")

    response = client.get(url)

    _refused(response, f"GET {url}")
