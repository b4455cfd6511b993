"""For load balancers and orchestrators: `/healthz` (the process answers: liveness, never asks
the database) and `/readyz` (the database answers and its migrations are at head). Open to
anyone, with no detail beyond one word, and no session cookie (see `programme.auth`)."""

from __future__ import annotations

from flask import Blueprint, Response

from programme.auth import public
from programme.services.database_status import database_ready

bp = Blueprint("health", __name__)


def _plain(text: str, status: int) -> Response:
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"  # a proxy must not answer for us
    return response


@bp.get("/healthz")
@public
def live():
    return _plain("ok", 200)


@bp.get("/readyz")
@public
def ready():
    return _plain("ready", 200) if database_ready() else _plain("not ready", 503)
