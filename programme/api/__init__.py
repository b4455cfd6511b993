"""The JSON API under /api: its blueprint, authentication, errors and request bodies.

One blueprint for the whole API, with a module per area adding its routes (`readiness.py`).
Requests are authenticated by the session cookie or a personal API token (`auth.py`); every
error is answered in JSON (`errors.py`); bodies are JSON objects read by `bodies.py`; documents
come from `programme/serialisers.py`, as the commands' `--json` output does.
"""

from flask import Blueprint, request

from programme.api import errors
from programme.api.bodies import MAX_BODY_BYTES
from programme.auth import API_PREFIX
from programme.extensions import csrf

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
# Scripts send JSON, not forms with a CSRF token: `bodies.json_body` refuses anything but JSON,
# which a page on another site cannot send with the user's cookie.
csrf.exempt(bp)
errors.register(bp)


@bp.before_request
def limit_body_size() -> None:
    # Far below the spreadsheet uploads' limit the rest of the app allows.
    request.max_content_length = MAX_BODY_BYTES


# The area modules add their routes to `bp`, so they are imported once it exists.
from programme.api import readiness  # noqa: E402, F401
