"""What a client sends the API, read and checked in one place: a JSON object body holding only
the fields a route accepts, each of the right type and size, and dates in the query string.

Each refusal is an ApiError naming what is wrong: 415 for a body that is not JSON (which is also
what protects the API from cross-site forms, in place of a CSRF token: a page on another site
cannot send a JSON body with the user's cookie without CORS, which the app never allows), 400 for
malformed JSON or a field at fault, 413 for a body over MAX_BODY_BYTES.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request

from programme.api.errors import SENTENCES, ApiError
from programme.domain.control_characters import CANNOT_BE_TYPED, has_control

# Bodies are a few fields of text; anything near this size is a mistake or an attack.
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Text:
    """A text field of at most `max_length` characters; `default` when the body leaves it out."""

    max_length: int
    default: str = ""
    required: bool = False

    def read(self, name: str, value: Any) -> str:
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ApiError(400, f"{name} must be text of at most {self.max_length} characters.")
        if has_control(value, multi_line=True):
            raise ApiError(
                400, f"{name} {CANNOT_BE_TYPED}, such as \\u0000. Remove it and try again."
            )
        return value


def json_body(fields: Mapping[str, Text], example: str) -> dict[str, Any]:
    """The request's JSON object, as {field: value} for every one of `fields`.

    `example` is a JSON object shown to a client that sent something else.
    """
    if not request.is_json:
        raise ApiError(415, SENTENCES[415])
    body = _parse(request.get_data(cache=True), example)
    unknown = sorted(set(body) - set(fields))
    if unknown:
        accepted = ", ".join(fields) or "none"
        raise ApiError(400, f"{unknown[0]} is not a field this request accepts ({accepted}).")
    values = {}
    for name, spec in fields.items():
        if name in body:
            values[name] = spec.read(name, body[name])
        elif spec.required:
            raise ApiError(400, f"{name} is required.")
        else:
            values[name] = spec.default
    return values


def _parse(raw: bytes, example: str) -> dict[str, Any]:
    if not raw.strip():
        raise ApiError(400, f"Send a JSON object, for example {example}.")
    try:
        body = json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "The request body is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            f"The request body is not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno}).",
        ) from None
    except RecursionError:
        raise ApiError(400, "The request body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise ApiError(400, f"Send a JSON object, for example {example}.")
    return body


def query_date(name: str) -> date | None:
    """The query parameter `name` as a date, or None when it is absent or empty."""
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name} must be a date in the form YYYY-MM-DD.") from None
