"""Starting a signed-in session, and its absolute lifetime.

Beside the idle timeout (PERMANENT_SESSION_LIFETIME, refreshed by each request), a session ends
SESSION_MAX_HOURS after signing in however active it has been. The moment of signing in is kept
in the session; a session without it counts as expired.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from programme.auth import api_token_in
from programme.clock import utc_now
from programme.extensions import db
from programme.services import security_log

SIGNED_IN_AT = "signed_in_at"
EXPIRED = "Your session has ended: you were signed in for the longest time allowed. Sign in again."


def start_session(user, keep_lifetime: bool = False) -> None:
    """A fresh session for `user`: nothing carries over from before signing in (with
    `keep_lifetime`, the moment of signing in does: a password change does not extend it)."""
    signed_in_at = session.get(SIGNED_IN_AT) if keep_lifetime else None
    session.clear()
    login_user(user)
    session.permanent = True
    session[SIGNED_IN_AT] = signed_in_at or utc_now().timestamp()


def session_expired(max_hours: int) -> bool:
    stamp = session.get(SIGNED_IN_AT)
    if not isinstance(stamp, int | float):
        return True
    return utc_now().timestamp() - stamp >= timedelta(hours=max_hours).total_seconds()


def init_session_lifetime(app: Flask) -> None:
    @app.before_request
    def end_sessions_past_their_lifetime():
        if request.endpoint == "static" or api_token_in(request) is not None:
            return None
        if "_user_id" not in session or not session_expired(app.config["SESSION_MAX_HOURS"]):
            return None
        user = current_user._get_current_object() if current_user.is_authenticated else None
        if user is not None:
            security_log.record(
                "session_expired", user=user, address=request.remote_addr, path=request.path
            )
            db.session.commit()
        logout_user()
        session.clear()
        flash(EXPIRED, "info")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target.rstrip("?") if target else None))
