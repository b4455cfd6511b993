"""The answer when the database does not answer: the app's own 503 page (a JSON 503 under /api),
given as soon as the connect or statement timeout runs out, with nothing about the fault.

The page stands alone (it does not extend base.html): the header of other pages asks who is
signed in, and that asks the database.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template

from programme.api.errors import is_api_path, json_error
from programme.database_faults import DATABASE_FAULTS, forget_signed_in_user
from programme.extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
JSON_SENTENCE = "The service is unavailable at the moment. Try again in a few minutes."


def answer(error: BaseException) -> Response | tuple[str, int, dict[str, str]]:
    cause = getattr(error, "orig", None) or error
    log.error("The database did not answer: %s", type(cause).__name__)
    forget_signed_in_user()
    try:
        db.session.rollback()  # nothing the request had begun is written
    except Exception:  # the connection may be gone with the database; the answer goes out anyway
        log.debug("Could not roll back after a database fault", exc_info=True)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if is_api_path():
        return json_error(503, JSON_SENTENCE, headers)
    return render_template("errors/unavailable.html"), 503, headers


def register(app: Flask) -> None:
    for fault in DATABASE_FAULTS:
        app.register_error_handler(fault, answer)
