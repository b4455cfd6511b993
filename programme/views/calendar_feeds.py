"""Each user's private calendar feed: the .ics address a calendar subscribes to (no sign-in: the
token in the address is the authority), and the account page's forms that make, replace and
revoke it.

The feed answers without touching the session: no cookie is read or set (a calendar server
fetching it has none, and a browser that has one gets none back), and an unknown token and a
revoked one get the same plain 404.

A new address is shown once, in the answer to the form that made it (never in a redirect, a
flash message or the session): only its token's hash is stored.

This module also delivers the calendar e-mails a request committed (calendar_invites), once the
answer has gone.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import NoCookieForTokens, public, requires
from programme.extensions import db
from programme.forms.base import BaseForm
from programme.services import calendar_feeds
from programme.services.errors import ServiceError
from programme.services.training import calendar_invites

log = logging.getLogger(__name__)

bp = Blueprint("calendar_feeds", __name__)

FEED_HEADERS = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": "private, no-store",
    "Content-Disposition": 'inline; filename="training.ics"',
    "X-Robots-Tag": "noindex",
}
NO_STORE = {"Cache-Control": "no-store"}


FEED_PREFIX = "/calendar/"


class _NoCookieForTheFeed(NoCookieForTokens):
    """The app's sessions (no cookie for an API token's request either), except that a feed
    request gets an empty session that is never saved: whatever cookie it brings is not read,
    and its answer sets none."""

    def open_session(self, app, request):
        if request.path.startswith(FEED_PREFIX):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if request.path.startswith(FEED_PREFIX):
            return
        super().save_session(app, session, response)


@bp.record_once
def _install_session_interface(state) -> None:
    state.app.session_interface = _NoCookieForTheFeed()


@bp.route("/calendar/<token>.ics")
@public
def feed(token: str):
    record = calendar_feeds.find(token)
    if record is None:
        # The same answer for a token that never existed and one revoked or replaced.
        return Response("Not found\n", 404, {"Content-Type": "text/plain; charset=utf-8"})
    return Response(calendar_feeds.read(record), 200, FEED_HEADERS)


def _me():
    return current_user._get_current_object()


def _shown_once(issued, replaced: bool):
    page = render_template("account/calendar_feed_created.html", issued=issued, replaced=replaced)
    # Kept out of every cache and the browser's history: this is its only showing.
    return page, 200, NO_STORE


@bp.route("/account/calendar-feed", methods=["POST"])
@requires("view")
def create():
    form = BaseForm()
    if form.validate_on_submit():
        try:
            issued = calendar_feeds.create(_me())
        except ServiceError as error:
            flash(error.message, "error")
        else:
            return _shown_once(issued, replaced=False)
    else:
        flash("The form had expired. Try again.", "error")
    return redirect(url_for("account.index", _anchor="calendar-feed"))


@bp.route("/account/calendar-feed/replace", methods=["GET", "POST"])
@requires("view")
def replace():
    return _confirm("replace")


@bp.route("/account/calendar-feed/revoke", methods=["GET", "POST"])
@requires("view")
def revoke():
    return _confirm("revoke")


def _confirm(action: str):
    record = calendar_feeds.feed_of(_me())
    if record is None:
        flash("You have no calendar feed address.", "success")
        return redirect(url_for("account.index", _anchor="calendar-feed"))
    form = BaseForm()
    if form.validate_on_submit():
        try:
            if action == "replace":
                return _shown_once(calendar_feeds.replace(_me()), replaced=True)
            calendar_feeds.revoke(_me())
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(
                "Revoked your calendar feed address: calendars subscribed to it get nothing "
                "more from the tracker.",
                "success",
            )
        return redirect(url_for("account.index", _anchor="calendar-feed"))
    status = 400 if form.errors else 200
    page = render_template(
        "account/calendar_feed_confirm.html", action=action, feed=record, form=form
    )
    return page, status


@bp.after_app_request
def _deliver_calendar_mail(response):
    """Calendar e-mails this request's transactions committed go out once the answer has gone
    (an enrolment of twenty people does not wait for the mail server)."""
    message_ids = calendar_invites.committed_ids()
    if message_ids:
        app = current_app._get_current_object()

        def deliver() -> None:
            try:
                with app.app_context():
                    calendar_invites.deliver_committed(message_ids)
                    db.session.remove()
            except Exception:  # never the visitor's problem; the scheduler retries
                log.exception("Delivering calendar messages failed")

        response.call_on_close(deliver)
    return response
