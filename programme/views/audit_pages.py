"""What the audit trail pages share (a locality's and the programme's): reading their filters from
the query string, offering the choices the trail holds, and the answer to a filter in error (the
page with the error at the field, status 400, the valid filters still applied)."""

from __future__ import annotations

from flask import render_template, request

from programme.clock import zone
from programme.domain.numbers import whole_number
from programme.forms.audit import AuditFilterForm, ProgrammeAuditFilterForm, parse_day
from programme.services import audit_trail
from programme.services.audit_trail import SYSTEM, Scope, TrailFilters
from programme.services.exports.admin_tables import audit_table
from programme.views.downloads import requested_format, send_table


def read_filters(form: AuditFilterForm, offered: audit_trail.TrailChoices) -> TrailFilters:
    """Offer the trail's choices, validate, and keep the filters that are valid (one in error is
    left out and shown as an error)."""
    people = [*offered.people, *([(SYSTEM, "System")] if offered.has_system else [])]
    form.offer(people, offered.kinds)
    if isinstance(form, ProgrammeAuditFilterForm):
        form.offer_places(offered.localities, offered.channels)
    form.validate()

    def valid(field) -> str | None:
        return field.data or None if not field.errors else None

    places = isinstance(form, ProgrammeAuditFilterForm)
    return TrailFilters(
        who=valid(form.who),
        kind=valid(form.kind),
        date_from=parse_day(valid(form.date_from)),
        date_to=parse_day(valid(form.date_to)),
        locality=valid(form.locality) if places else None,
        channel=valid(form.channel) if places else None,
    )


def trail_page(
    scope: Scope,
    form: AuditFilterForm,
    template: str,
    download_name: str,
    title: str,
    programme_name: str,
    **context,
):
    """The trail page (or its download, when one is asked for) under `form`'s filters."""
    filters = read_filters(form, audit_trail.choices(scope))
    if fmt := requested_format():
        return send_table(
            audit_table(
                audit_trail.matching(scope, filters, zone()),
                with_locality=isinstance(form, ProgrammeAuditFilterForm),
            ),
            download_name,
            fmt,
            programme_name=programme_name,
            name=title,
        )
    page = whole_number(request.args.get("page", "")) or 1
    result = audit_trail.trail_page(scope, filters, zone(), page)
    html = render_template(template, form=form, filters=filters, result=result, **context)
    return html, 400 if form.errors else 200
