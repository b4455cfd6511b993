"""Signing in and out."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from programme.auth import public, requires
from programme.clock import utc_now
from programme.forms.auth import LoginForm
from programme.forms.two_factor import SignInCodeForm
from programme.services import sign_in, users
from programme.sessions import start_session

bp = Blueprint("auth", __name__)
# Between the password step and the code step of two-factor sign-in: who, since when, and where
# to go afterwards. The code step must follow within CODE_STEP_MINUTES.
PENDING = "two_factor_pending"
CODE_STEP_MINUTES = 5


def safe_next(target: str | None) -> str:
    """Only ever follow a `next` that is a path on this site."""
    if not target:
        return url_for("programmes.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("programmes.index")
    if "\\" in target:
        return url_for("programmes.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("programmes.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in.sign_in(
            form.email.data, form.password.data, request.remote_addr or "", current_app.config
        )
        next_path = safe_next(request.args.get("next"))
        if result.needs_code:
            session.clear()
            session[PENDING] = {
                "user": result.user.id,
                "at": utc_now().timestamp(),
                "next": next_path,
            }
            return redirect(url_for(".code"))
        if result.user is not None:
            start_session(result.user)  # a fresh session at sign-in: nothing carries over
            return redirect(next_path)
        form.add_service_error(None, result.error)
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/login.html", form=form), status


def _pending() -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int | float):
        return None
    if utc_now().timestamp() - pending["at"] > CODE_STEP_MINUTES * 60:
        session.pop(PENDING, None)
        return None
    return pending


@bp.route("/login/code", methods=["GET", "POST"])
@public
def code():
    """The second step of two-factor sign-in: a code from the app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("programmes.index"))
    pending = _pending()
    if pending is None:
        flash("Sign in with your e-mail address and password first.", "info")
        return redirect(url_for(".login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        result = sign_in.sign_in_with_code(
            pending["user"], form.code.data, request.remote_addr or "", current_app.config
        )
        if result.user is not None:
            start_session(result.user)
            return redirect(safe_next(pending.get("next")))
        form.add_service_error("code", result.error)
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/code.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires("view")
def logout():
    users.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))
