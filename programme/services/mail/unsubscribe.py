"""The signed one-click unsubscribe link every digest carries (RFC 8058).

A minimal stand-in written with the digests, with the two functions the digests call; the
preferences work replaces it with the full module (the page behind the link, checking the
token, and the audited unsubscribe). The token is signed with SECRET_KEY (itsdangerous, salt
"digest-unsubscribe") and names the user.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeSerializer
from werkzeug.routing import BuildError

from programme.models import User
from programme.services.mail.compose import app_url

SALT = "digest-unsubscribe"


def _token(user: User) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).dumps(user.id)


def unsubscribe_url(user: User) -> str:
    """The absolute address (on APP_BASE_URL) that unsubscribes `user`, no sign-in needed."""
    token = _token(user)
    try:
        return app_url("mail.unsubscribe", token=token)
    except BuildError:  # the page is not there yet: the address it will have
        return current_app.config["APP_BASE_URL"].rstrip("/") + "/unsubscribe/" + token


def unsubscribe_headers(user: User) -> dict[str, str]:
    """The headers a digest carries so mail programs offer one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
