"""Choosing a password by e-mail: asking for a reset link, and using a reset or invitation link.

These pages are public: the link's token is the proof. A link that cannot be used (tampered
with, used, expired, replaced) is answered with a page saying what happened and what to do, and
changes nothing. The pages that carry a token are kept out of caches.
"""

from __future__ import annotations

import logging

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
from flask_login import logout_user

from programme.auth import public
from programme.domain.account_links import (
    DEACTIVATED,
    EXPIRED,
    INVITATION,
    PASSWORD_RESET,
    REPLACED,
    UNKNOWN,
    USED,
)
from programme.forms.auth import ChoosePasswordForm, ForgottenPasswordForm
from programme.services import account_links, account_mail
from programme.services.errors import ServiceError
from programme.views.common import render_form

bp = Blueprint("passwords", __name__)
log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}
_NEW_RESET = ("Ask for a new reset link", "passwords.forgotten")
_SIGN_IN = ("Sign in", "auth.login")
_ASK_ADMIN = "Ask an administrator to send you a new invitation."

# What a link that cannot be used says: a heading, what to do, and where to go from here.
_PROBLEMS: dict[tuple[str, str], tuple[str, str, list[tuple[str, str]]]] = {
    (PASSWORD_RESET, UNKNOWN): (
        "This link is not valid",
        "Check you copied the whole address from the e-mail. If it still does not work, ask "
        "for a new reset link.",
        [_NEW_RESET],
    ),
    (INVITATION, UNKNOWN): (
        "This link is not valid",
        "Check you copied the whole address from the e-mail. If it still does not work, ask an "
        "administrator to send you a new invitation.",
        [],
    ),
    (PASSWORD_RESET, USED): (
        "This link has already been used",
        "Each reset link works once. If you chose a new password with it, sign in with that "
        "password; to reset your password again, ask for a new reset link.",
        [_SIGN_IN, _NEW_RESET],
    ),
    (INVITATION, USED): (
        "This invitation has already been used",
        "Each invitation works once, and a password has been chosen with this one. Sign in "
        "with it; if you have forgotten it, ask for a reset link.",
        [_SIGN_IN, ("Forgotten your password?", "passwords.forgotten")],
    ),
    (PASSWORD_RESET, EXPIRED): (
        "This link has expired",
        "A reset link works for 1 hour. Ask for a new one.",
        [_NEW_RESET],
    ),
    (INVITATION, EXPIRED): (
        "This invitation has expired",
        "An invitation works for 7 days. " + _ASK_ADMIN,
        [],
    ),
    (PASSWORD_RESET, REPLACED): (
        "This link has been replaced",
        "A newer reset link was sent to you, or your password has been changed since. Use the "
        "link in the most recent e-mail, or ask for a new one.",
        [_NEW_RESET],
    ),
    (INVITATION, REPLACED): (
        "This invitation has been replaced",
        "A newer invitation was sent to you, or your password has been set since. Use the link "
        "in the most recent e-mail, or sign in if you have chosen a password.",
        [_SIGN_IN],
    ),
}


def _refused(purpose: str, problem: str):
    """The page for a link that cannot be used: 400 for one we never issued, 410 (gone) for one
    that has been used, has expired or was replaced."""
    if problem == DEACTIVATED:
        title, advice, actions = (
            "This account has been deactivated",
            "Ask an administrator to reactivate it.",
            [],
        )
    else:
        title, advice, actions = _PROBLEMS[(purpose, problem)]
    page = render_template(
        "auth/link_problem.html",
        title=title,
        advice=advice,
        actions=[(label, url_for(endpoint)) for label, endpoint in actions],
    )
    return page, 400 if problem == UNKNOWN else 410, NO_STORE


def _choose_password(purpose: str, token: str):
    checked = account_links.check_link(token, purpose)
    if not checked.usable:
        return _refused(purpose, checked.problem)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            account_links.use_link(token, purpose, form.password.data)
        except account_links.LinkRefused as refused:  # used in another tab a moment ago
            return _refused(purpose, refused.problem)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            # Whoever was signed in in this browser is signed out: the next step is signing in.
            logout_user()
            session.clear()
            done = "joined" if purpose == INVITATION else "changed your password"
            flash(f"You have {done}. Sign in with your e-mail address and new password.", "success")
            return redirect(url_for("auth.login"))
    page, status = render_form(
        "auth/choose_password.html", form=form, purpose=purpose, account=checked.link.user
    )
    return page, status, NO_STORE


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    return _choose_password(PASSWORD_RESET, token)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def invitation(token: str):
    return _choose_password(INVITATION, token)


@bp.route("/password/forgotten", methods=["GET", "POST"])
@public
def forgotten():
    form = ForgottenPasswordForm()
    if not form.validate_on_submit():
        return render_form("auth/forgotten_password.html", form=form)
    # The same answer whether or not the address has an account (or a limit was reached): a
    # redirect to the "check your e-mail" page, so refreshing it asks for no second link.
    session[_RESET_SENT_TO] = form.email.data
    response = redirect(url_for(".reset_sent"))
    _reset_after_answering(response, form.email.data, request.remote_addr)
    return response


_RESET_SENT_TO = "reset_sent_to"


@bp.route("/password/forgotten/sent")
@public
def reset_sent():
    email = session.get(_RESET_SENT_TO)
    if not email:
        return redirect(url_for(".forgotten"))
    return render_template("auth/reset_sent.html", email=email), 200, NO_STORE


def _reset_after_answering(response, email: str, requested_from: str | None) -> None:
    """Look the address up, queue the link and send it once the answer has gone: the answer
    takes the same time whether or not the address has an account. If the e-mail cannot be
    sent, it stays in the outbox for the scheduler to retry."""
    app = current_app._get_current_object()

    def deliver() -> None:
        try:
            with app.app_context():
                message_id = account_mail.queue_password_reset(email, requested_from)
                if message_id is not None:
                    account_mail.deliver_now(message_id)
        except Exception:  # never the visitor's problem
            log.exception("Sending a password reset link failed")

    response.call_on_close(deliver)
