"""The security log, for administrators: sign-ins, failures, two-factor changes and refused
requests, filtered and a page at a time, newest first."""

from flask import Blueprint, render_template, request

from programme.auth import requires
from programme.clock import zone
from programme.domain.audit_channels import channel_label
from programme.domain.numbers import whole_number
from programme.domain.security_events import WARNING_KINDS, kind_label
from programme.forms.audit import parse_day
from programme.forms.security_log import SecurityLogFilterForm
from programme.services import security_events

bp = Blueprint("security_log", __name__, url_prefix="/admin/security")


@bp.context_processor
def _labels() -> dict:
    return {
        "kind_label": kind_label,
        "channel_label": channel_label,
        "warning_kinds": WARNING_KINDS,
    }


def _filters(form: SecurityLogFilterForm) -> security_events.SecurityFilters:
    """The filters that are valid (one in error is left out and shown as an error)."""

    def valid(field) -> str | None:
        return (field.data or "").strip() or None if not field.errors else None

    return security_events.SecurityFilters(
        kind=valid(form.kind),
        email=valid(form.email),
        address=valid(form.address),
        date_from=parse_day(valid(form.date_from)),
        date_to=parse_day(valid(form.date_to)),
    )


@bp.route("")
@requires("view_security_log")
def index():
    form = SecurityLogFilterForm(request.args)
    form.offer(security_events.kind_choices())
    form.validate()
    filters = _filters(form)
    page = whole_number(request.args.get("page", "")) or 1
    result = security_events.log_page(filters, zone(), page)
    html = render_template("admin/security_log.html", form=form, filters=filters, result=result)
    return html, 400 if form.errors else 200
