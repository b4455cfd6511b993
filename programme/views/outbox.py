"""The admin outbox: every e-mail the app sent or will send, filtered and a page at a time; one
message in full; sending one again (after a confirmation)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.domain.numbers import whole_number
from programme.domain.outbox import KIND_LABELS, RESENDABLE, STATUS_LABELS, STATUS_TAGS
from programme.domain.weeks import parse_iso_week
from programme.forms.base import BaseForm
from programme.forms.outbox import OutboxFilterForm
from programme.services.errors import ServiceError
from programme.services.exports.admin_tables import outbox_table
from programme.services.mail import browse, outbox
from programme.views.common import or_404
from programme.views.downloads import requested_format, send_table

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.context_processor
def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "status_tags": STATUS_TAGS, "kind_labels": KIND_LABELS}


def _filters(form: OutboxFilterForm) -> browse.OutboxFilters:
    """The filters that are valid (one in error is left out and shown as an error)."""

    def valid(field) -> str | None:
        return field.data or None if not field.errors else None

    week = valid(form.week)
    return browse.OutboxFilters(
        status=valid(form.status),
        kind=valid(form.kind),
        recipient=valid(form.recipient),
        week=parse_iso_week(week) if week else None,
    )


@bp.route("")
@requires("manage_mail")
def index():
    form = OutboxFilterForm(request.args)
    form.validate()
    filters = _filters(form)
    if fmt := requested_format():
        return send_table(
            outbox_table(browse.matching(filters)), "outbox", fmt, name="E-mail outbox"
        )
    page = request.args.get("page", "")
    result = browse.browse(filters, whole_number(page) or 1)
    page_html = render_template(
        "admin/outbox.html",
        form=form,
        filters=filters,
        result=result,
        counts=browse.status_counts(),
    )
    return page_html, 400 if form.errors else 200


@bp.route("/<int:message_id>")
@requires("manage_mail")
def show(message_id: int):
    message = or_404(lambda: browse.get_message(message_id))
    return render_template(
        "admin/outbox_message.html",
        message=message,
        bodies=browse.bodies_to_show(message),
        resendable=message.status in RESENDABLE,
    )


@bp.route("/<int:message_id>/resend", methods=["GET", "POST"])
@requires("manage_mail")
def resend(message_id: int):
    message = or_404(lambda: browse.get_message(message_id))
    back = url_for(".show", message_id=message_id)
    if message.status not in RESENDABLE:
        flash("This message is already waiting to be sent: there is nothing to resend.", "warning")
        return redirect(back)
    form = BaseForm()
    if form.validate_on_submit():
        try:
            outbox.resend(message_id, current_user)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(back)
        flash(*_what_happened(outbox.deliver([message_id])))
        return redirect(back)
    return render_template("admin/outbox_resend.html", message=message, form=form)


def _what_happened(delivery: outbox.Delivery) -> tuple[str, str]:
    """The flash message (and its category) for a resend's immediate delivery."""
    if delivery.sent:
        return f"Sent again to {delivery.sent[0].recipient}.", "success"
    if delivery.stored:
        return "Stored again, not sent: MAIL_TRANSPORT is set to outbox.", "success"
    if delivery.failed:
        return f"The server refused it: {delivery.failed[0].last_error}", "error"
    if delivery.retrying:
        return (
            f"Not sent yet ({delivery.retrying[0].last_error}). It will be tried again "
            "automatically.",
            "warning",
        )
    return "Queued to be sent again.", "success"
