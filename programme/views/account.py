"""Your account: changing your password, and your personal API tokens, made and revoked by you
alone.

A new token is shown once, in the answer to the form that made it: never in a redirect, a flash
message, the session or a URL, and never again (only its hash is stored).
"""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import requires
from programme.forms.account import ChangePasswordForm, NewTokenForm
from programme.forms.base import BaseForm
from programme.services import api_tokens, calendar_feeds, passwords
from programme.services.errors import Conflict, ServiceError
from programme.sessions import start_session
from programme.views.common import or_404, render_form

bp = Blueprint("account", __name__, url_prefix="/account")


def _me():
    return current_user._get_current_object()


def _account_page(form: NewTokenForm, status: int = 200):
    tokens = api_tokens.tokens_of(_me())
    feed = calendar_feeds.feed_of(_me())
    page = render_template("account/index.html", form=form, tokens=tokens, calendar_feed=feed)
    return page, status


@bp.route("")
@requires("view")
def index():
    return _account_page(NewTokenForm(formdata=None))


@bp.route("/tokens", methods=["POST"])
@requires("view")
def new_token():
    form = NewTokenForm()
    status = 400
    if form.validate_on_submit():
        try:
            issued = api_tokens.create_token(_me(), form.name.data)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
            status = 409 if isinstance(error, Conflict) else 400
        else:
            page = render_template("account/token_created.html", issued=issued)
            # Kept out of every cache and the browser's history: this is its only showing.
            return page, 200, {"Cache-Control": "no-store"}
    return _account_page(form, status)


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@requires("view")
def revoke(token_id: int):
    token = or_404(lambda: api_tokens.get_token(_me(), token_id))
    if token.revoked:
        flash(f"The token “{token.name}” is already revoked.", "success")
        return redirect(url_for(".index"))
    form = BaseForm()
    if form.validate_on_submit():
        try:
            api_tokens.revoke_token(_me(), token.id)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Revoked the token “{token.name}”. Scripts using it are now refused.", "success")
        return redirect(url_for(".index"))
    status = 400 if form.errors else 200
    return render_template("account/revoke.html", token=token, form=form), status


@bp.route("/password", methods=["GET", "POST"])
@requires("view")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = passwords.change_password(
                _me(),
                form.current_password.data,
                form.password.data,
                request.remote_addr or "",
                current_app.config,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            # The other sessions ended with the old session number; this one carries on with
            # the new one, in a fresh session.
            start_session(user, keep_lifetime=True)
            flash(
                "Your password has been changed. Anywhere else you were signed in, you have been "
                "signed out.",
                "success",
            )
            return redirect(url_for(".index"))
    return render_form("account/change_password.html", form=form)
