"""What every request leaves for accountability: the channel its changes are audited under (the
JSON API's requests as "json", every other page as "web"), and a `refused` entry in the security
log for a 403 or 404 answered to a signed-in user, or a form refused for its security token.

The refusal is written in a transaction of its own: the request's may have been rolled back, and
a failure to write it is logged, never turned into a broken answer. Static files and anonymous
visitors' 404s are left out (scanners' noise, nobody to hold to account).
"""

from __future__ import annotations

import logging
from contextvars import Token

from flask import Flask, Response, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from programme.auth import is_api_request
from programme.domain.audit_channels import who_did_it
from programme.extensions import db
from programme.models import SecurityEvent
from programme.services import channel

log = logging.getLogger(__name__)

REFUSED_STATUSES = frozenset({403, 404})


def mark_csrf_refused() -> None:
    """Called by the CSRF error page: the refusal is logged when the answer goes out."""
    g.csrf_refused = True


def register(app: Flask) -> None:
    @app.template_filter("who_did_it")
    def who_did_it_filter(event) -> str:
        """An audit event's "who" in words: "command line, acting as Ada Lovelace", ..."""
        return who_did_it(event.channel, event.actor.name if event.actor else None)

    @app.before_request
    def set_channel() -> None:
        g.channel_token = channel.enter("json" if is_api_request(request) else "web")

    @app.teardown_request
    def reset_channel(_error=None) -> None:
        token: Token | None = g.pop("channel_token", None)
        if token is not None:
            channel.leave(token)

    @app.after_request
    def log_refusal(response: Response) -> Response:
        refused = response.status_code in REFUSED_STATUSES or g.get("csrf_refused", False)
        if refused and not _static() and getattr(current_user, "is_authenticated", False):
            _record_refusal(response.status_code)
        return response


def _static() -> bool:
    return request.endpoint == "static" or request.path.startswith("/static/")


def _record_refusal(status: int) -> None:
    why = "the form's security token was missing or expired" if g.get("csrf_refused") else ""
    detail = f"{status} {request.method}" + (f": {why}" if why else "")
    try:
        event = SecurityEvent(
            kind="refused",
            user_id=current_user.id,
            email=current_user.email,
            address=(request.remote_addr or "")[:64] or None,
            channel=channel.current_channel(),
            path=request.full_path.rstrip("?")[:300],
            detail=detail[:500],
        )
        with Session(db.engine) as session:
            session.add(event)
            session.commit()
    except Exception:  # the answer goes out whatever happens to the log
        log.exception("Could not record a refused request in the security log")
