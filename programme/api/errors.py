"""Every error under /api/ is answered in JSON: `{"error": "<one readable sentence>"}`, with
extra keys where a route has more to say (the go-live refusal lists the unmet criteria).

The API blueprint's handlers answer what its views raise. A URL that matches no route never
reaches a blueprint, so the app's 404 and 405 handlers ask `is_api_path` and come here too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from programme.auth import is_api_request
from programme.database_faults import is_database_fault
from programme.extensions import db
from programme.services.errors import Conflict, NotFound, ServiceError

# One sentence for each status an HTTP error carries no better message for.
SENTENCES = {
    400: "The request could not be understood.",
    401: "Sign in first.",
    403: "Your role may not do this.",
    404: "There is nothing at this address in the API.",
    409: "That clashes with the current state of the record.",
    413: "The request body is too large.",
    415: "Send the request as JSON (Content-Type: application/json).",
    500: "Something went wrong on our side. Nothing was saved; try again in a moment.",
}


class ApiError(Exception):
    """A refusal answered as `{"error": message, **extra}` with `status` (and `headers`)."""

    def __init__(
        self, status: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any
    ):
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers or {}, extra


def is_api_path() -> bool:
    return is_api_request(request)


def json_error(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    response = jsonify(error=message, **extra)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def answer_api_error(error: ApiError) -> Response:
    return json_error(error.status, error.message, error.headers, **error.extra)


def answer_http_error(error: HTTPException) -> Response:
    """An HTTP error (a routing miss, a wrong method, a body too large) as JSON."""
    status = error.code or 500
    if status == 500:
        return answer_server_error(error)
    headers = {}
    if status == 405:
        allowed = sorted(set(getattr(error, "valid_methods", None) or ()) - {"HEAD", "OPTIONS"})
        message = f"This address does not accept {request.method} requests"
        message += f"; it accepts {', '.join(allowed)}." if allowed else "."
        headers["Allow"] = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
    elif status == 413 and request.max_content_length:
        limit = request.max_content_length // 1024
        message = f"The request body is larger than {limit} KB, the most the API accepts."
    else:
        message = SENTENCES.get(status) or error.name + "."
    return json_error(status, message, headers)


def answer_server_error(error: Exception) -> Response:
    original = getattr(error, "original_exception", None)
    if is_database_fault(original):  # raised after the route answered: still a 503
        from programme.views import unavailable

        return unavailable.answer(original)
    db.session.rollback()  # whatever the failed request had begun is not written
    return json_error(500, SENTENCES[500])


def answer_service_error(error: ServiceError) -> Response:
    """A service's refusal that a route did not answer itself: its sentence, with its status."""
    if isinstance(error, NotFound):
        return json_error(404, error.message)
    if isinstance(error, Conflict):
        return json_error(409, error.message)
    return json_error(400, error.message)


def register(bp: Blueprint) -> None:
    bp.register_error_handler(ApiError, answer_api_error)
    bp.register_error_handler(ServiceError, answer_service_error)
    # Flask looks a handler up by status code (at every level) before by class, so the app's
    # HTML pages for 404, 413 and so on would win over an HTTPException handler here: the API
    # claims each status by its code. An uncaught exception arrives as a 500.
    for code in default_exceptions:
        bp.register_error_handler(code, answer_http_error)
    bp.register_error_handler(InternalServerError, answer_server_error)
