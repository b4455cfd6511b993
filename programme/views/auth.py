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
from flask_login import current_user, login_user, logout_user

from programme.auth import public, requires
from programme.forms.auth import LoginForm
from programme.services import users

bp = Blueprint("auth", __name__)


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
        result = users.sign_in(
            form.email.data, form.password.data, request.remote_addr or "", current_app.config
        )
        if result.user is not None:
            next_path = safe_next(request.args.get("next"))
            session.clear()  # a fresh session at sign-in: nothing carries over
            login_user(result.user)
            session.permanent = True
            return redirect(next_path)
        form.add_service_error(None, result.error)
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires("view")
def logout():
    users.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))
