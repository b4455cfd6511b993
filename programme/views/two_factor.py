"""Your account: turning two-factor sign-in on and off, and new recovery codes."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.forms.two_factor import PasswordForm, SetUpForm, TurnOffForm
from programme.services import two_factor
from programme.services.errors import ServiceError
from programme.two_factor import two_factor_required
from programme.views.common import render_form

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")
NO_STORE = {"Cache-Control": "no-store"}


def _me():
    return current_user._get_current_object()


def _codes_page(codes: list[str]):
    # Shown once, in the answer to the form: kept out of caches and the browser's history.
    return render_template("account/recovery_codes.html", codes=codes), 200, NO_STORE


@bp.route("")
@requires("view")
def index():
    me = _me()
    return render_template(
        "account/two_factor.html",
        codes_left=two_factor.recovery_codes_left(me) if me.two_factor_on else 0,
        required=two_factor_required(me, current_app.config["REQUIRE_2FA_ROLES"]),
    )


@bp.route("/set-up", methods=["GET", "POST"])
@requires("view")
def set_up():
    me = _me()
    if me.two_factor_on:
        flash("Two-factor sign-in is already on.", "success")
        return redirect(url_for(".index"))
    form = SetUpForm()
    secret = two_factor.pending_secret(me)
    if form.validate_on_submit():
        try:
            codes = two_factor.turn_on(me, form.code.data)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            return _codes_page(codes)
    page, status = render_form(
        "account/two_factor_set_up.html",
        form=form,
        qr=two_factor.qr_svg(me, secret),
        secret=two_factor.spaced_secret(secret),
    )
    return page, status, NO_STORE


@bp.route("/turn-off", methods=["GET", "POST"])
@requires("view")
def turn_off():
    me = _me()
    if not me.two_factor_on:
        return redirect(url_for(".index"))
    form = TurnOffForm()
    if form.validate_on_submit():
        try:
            two_factor.turn_off(me, form.password.data, form.code.data)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash("Two-factor sign-in is off.", "success")
            return redirect(url_for(".index"))
    return render_form("account/two_factor_turn_off.html", form=form)


@bp.route("/recovery-codes", methods=["GET", "POST"])
@requires("view")
def recovery_codes():
    me = _me()
    if not me.two_factor_on:
        return redirect(url_for(".index"))
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(me, form.password.data)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            return _codes_page(codes)
    return render_form("account/new_recovery_codes.html", form=form)
