"""E-mail reminders: a user's choice of the weekly digest and its parts, and the one-click
unsubscribe link every digest carries.

The unsubscribe address needs no sign-in: the signed token in it is the authority. A GET only
shows what the button will do (mail scanners follow links, so a GET must change nothing); the
POST turns the digest off. That POST is exempt from CSRF: mail providers send it themselves
(RFC 8058, body `List-Unsubscribe=One-Click`) with no session or form token, and a forged POST
could only unsubscribe whoever the signed token already names.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import public, requires
from programme.extensions import csrf
from programme.forms.mail import DigestPreferencesForm
from programme.services.errors import Conflict, ServiceError
from programme.services.mail import unsubscribe as unsubscribing
from programme.services.mail.unsubscribe import BadUnsubscribeLink
from programme.views.common import render_form

bp = Blueprint("mail", __name__)

# Pages reached by a link with a token in it: kept out of caches.
_NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/account/email", methods=["GET", "POST"])
@requires("view")
def preferences():
    me = current_user._get_current_object()
    # A POST always reads the form, even an empty one: every box unticked means all off.
    submitted = request.form if request.method == "POST" else None
    form = DigestPreferencesForm(formdata=submitted, obj=unsubscribing.preferences_of(me))
    if form.validate_on_submit():
        try:
            saved = unsubscribing.save_preferences(me, form.enabled.data, form.parts_on(), me)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            if saved.enabled:
                flash("Your e-mail reminders are saved: you will get the weekly digest.", "success")
            else:
                flash(
                    "Your e-mail reminders are saved: you will not get the weekly digest.",
                    "success",
                )
            return redirect(url_for(".preferences"))
    return render_form("account/email.html", form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@public
def unsubscribe(token: str):
    try:
        if request.method == "POST":
            user = _unsubscribe(token)
            return render_template("unsubscribe/done.html", user=user), 200, _NO_STORE
        user = unsubscribing.user_for_token(token)
    except BadUnsubscribeLink:
        return render_template("unsubscribe/bad_link.html"), 400, _NO_STORE
    already_off = not unsubscribing.preferences_of(user).enabled
    page = render_template("unsubscribe/confirm.html", user=user, already_off=already_off)
    return page, 200, _NO_STORE


def _unsubscribe(token: str):
    try:
        return unsubscribing.unsubscribe(token)
    except Conflict:
        # Two POSTs (the mail provider's and the person's) saved the first row at the same
        # moment: this one now finds it and has nothing more to do.
        return unsubscribing.unsubscribe(token)
