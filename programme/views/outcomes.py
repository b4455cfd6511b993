"""Outcome indicators: every indicator by locality, one indicator's trends with the localities
lined up on months since go-live, and the forms that add indicators, set baselines and targets,
and record values."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.numbers import whole_number
from programme.domain.outcomes import (
    QUARTERLY,
    parse_number,
    period_key,
    period_label,
    read_value,
    value_text,
)
from programme.forms.outcomes import IndicatorForm, TargetForm, ValueForm
from programme.forms.recruitment import ConfirmForm
from programme.services import localities, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.services.outcomes import catalogue, pages, targets, values
from programme.views.common import or_404, render_form

bp = Blueprint("outcomes", __name__, url_prefix="/programmes/<programme_slug>/outcomes")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _indicator(programme, indicator_key: str):
    return or_404(lambda: catalogue.get_indicator(programme, indicator_key))


def _locality(programme, slug: str):
    return or_404(lambda: localities.get_locality(programme.slug, slug))


def _indicator_page(programme, indicator) -> str:
    return url_for(".indicator", programme_slug=programme.slug, indicator_key=indicator.key)


def _version(text: str | None) -> int:
    """The version a form was opened at: 0 when there was nothing yet, -1 when unreadable."""
    if not text:
        return 0
    version = whole_number(text)
    return -1 if version is None else version


@bp.route("")
@requires("view")
def overview(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "outcomes/overview.html",
        programme=programme,
        rows=pages.overview(programme),
        localities=pages.localities_of(programme),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("record_outcomes")
def new_indicator(programme_slug: str):
    programme = _programme(programme_slug)
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            added = catalogue.add_indicator(
                programme,
                current_user,
                name=form.name.data,
                unit=form.unit.data,
                lower_is_better=form.direction.data == "lower",
                frequency=form.frequency.data,
                group=form.group.data,
                description=form.description.data or "",
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Added the indicator {added.name}.", "success")
            return redirect(_indicator_page(programme, added))
    return render_form("outcomes/new_indicator.html", form=form, programme=programme)


@bp.route("/<indicator_key>")
@requires("view")
def indicator(programme_slug: str, indicator_key: str):
    programme = _programme(programme_slug)
    found = _indicator(programme, indicator_key)
    return render_template(
        "outcomes/indicator.html",
        programme=programme,
        page=pages.indicator_page(programme, found),
        QUARTERLY=QUARTERLY,
    )


def _number(form, field: str, required: bool, what: str) -> float | None:
    """The field's number; None when blank (and allowed). A refusal names the field."""
    text = (getattr(form, field).data or "").strip()
    if not text:
        if required:
            form.add_service_error(field, f"Enter the {what}.")
        return None
    number = parse_number(text)
    if number is None:
        form.add_service_error(field, f"The {what} must be a number, like 12.5 or -30.")
    return number


def _value_of(form, indicator) -> float | None:
    """The value field read as the indicator import reads a value (a percentage sign only for a
    percentage); None, with the refusal on the field, when it is blank or not a number."""
    text = (form.value.data or "").strip()
    if not text:
        form.add_service_error("value", "Enter the value.")
        return None
    try:
        return read_value(text, indicator.unit, indicator.name)
    except ValueError as refused:
        form.add_service_error("value", str(refused))
        return None


@bp.route("/<indicator_key>/<slug>/target", methods=["GET", "POST"])
@requires("record_outcomes")
def target(programme_slug: str, indicator_key: str, slug: str):
    programme = _programme(programme_slug)
    found = _indicator(programme, indicator_key)
    locality = _locality(programme, slug)
    current = targets.target_of(locality, found)
    form = TargetForm()
    if not form.is_submitted() and current is not None:
        form.baseline_value.data = f"{current.baseline_value:g}"
        form.baseline_on.data = current.baseline_on
        form.target_value.data = "" if current.target_value is None else f"{current.target_value:g}"
        change = current.target_change_percent
        form.target_change_percent.data = "" if change is None else f"{change:g}"
        form.version.data = str(current.version)
    stale = False
    if form.validate_on_submit():
        numbers = {
            "baseline_value": _number(form, "baseline_value", True, "baseline value"),
            "target_value": _number(form, "target_value", False, "target value"),
            "target_change_percent": _number(form, "target_change_percent", False, "target change"),
        }
        if form.baseline_on.data is None and not form.baseline_on.errors:
            form.add_service_error("baseline_on", "Enter the date the baseline was measured.")
        if not form.errors:
            try:
                targets.set_target(
                    locality,
                    found,
                    current_user,
                    **numbers,
                    baseline_on=form.baseline_on.data,
                    today=today(),
                    expected_version=_version(form.version.data),
                )
            except StaleEdit as error:
                stale = True
                form.add_service_error(None, error.message)
                current = targets.target_of(locality, found)
                form.version.data = str(current.version) if current else ""
            except ServiceError as error:
                form.add_service_error(error.field, error.message)
            else:
                flash(f"Saved {locality.name}'s baseline and target for {found.name}.", "success")
                return redirect(_indicator_page(programme, found))
    page, status = render_form(
        "outcomes/target.html",
        form=form,
        programme=programme,
        indicator=found,
        locality=locality,
        current=current,
        stale=stale,
        value_text=value_text,
    )
    return page, 409 if stale else status


def _period_hint(indicator) -> str:
    if indicator.frequency == QUARTERLY:
        return "The quarter, for example Q1 2026/27 (April to June 2026), or a month in it."
    return "The month, for example 2026-05 or May 2026."


@bp.route("/<indicator_key>/<slug>/values/new", methods=["GET", "POST"])
@requires("record_outcomes")
def new_value(programme_slug: str, indicator_key: str, slug: str):
    programme = _programme(programme_slug)
    found = _indicator(programme, indicator_key)
    locality = _locality(programme, slug)
    form = ValueForm()
    form.period.description = _period_hint(found)
    if form.validate_on_submit():
        if not (form.period.data or "").strip():
            form.add_service_error("period", "Enter the period the value is for.")
        number = _value_of(form, found)
        if not form.errors:
            try:
                row = values.record_value(
                    locality, found, form.period.data, number, current_user, replace=False
                )
            except ServiceError as error:
                form.add_service_error(error.field, error.message)
            else:
                label = period_label(row.period, found.frequency)
                flash(f"Recorded {found.name} for {locality.name}, {label}.", "success")
                return redirect(_indicator_page(programme, found))
    return render_form(
        "outcomes/value.html",
        form=form,
        programme=programme,
        indicator=found,
        locality=locality,
        row=None,
        stale=False,
    )


def _value(programme, indicator_key: str, slug: str, period: str):
    found = _indicator(programme, indicator_key)
    locality = _locality(programme, slug)
    return found, locality, or_404(lambda: values.get_value(locality, found, period))


@bp.route("/<indicator_key>/<slug>/values/<period>", methods=["GET", "POST"])
@requires("record_outcomes")
def edit_value(programme_slug: str, indicator_key: str, slug: str, period: str):
    programme = _programme(programme_slug)
    found, locality, row = _value(programme, indicator_key, slug, period)
    form = ValueForm()
    if not form.is_submitted():
        form.value.data = f"{row.value:g}"
        form.version.data = str(row.version)
    stale = False
    if form.validate_on_submit():
        number = _value_of(form, found)
        if not form.errors:
            try:
                changed = values.change_value(
                    row, number, current_user, _version(form.version.data)
                )
            except StaleEdit as error:
                stale = True
                form.add_service_error(None, error.message)
                row = values.get_value(locality, found, period)
                form.version.data = str(row.version)
            except ServiceError as error:
                form.add_service_error(error.field, error.message)
            else:
                label = period_label(row.period, found.frequency)
                flash(
                    f"Saved {found.name} for {locality.name}, {label}."
                    if changed
                    else "Nothing changed.",
                    "success",
                )
                return redirect(_indicator_page(programme, found))
    page, status = render_form(
        "outcomes/value.html",
        form=form,
        programme=programme,
        indicator=found,
        locality=locality,
        row=row,
        period=period_label(row.period, found.frequency),
        current=value_text(row.value, found.unit),
        stale=stale,
    )
    return page, 409 if stale else status


@bp.route("/<indicator_key>/<slug>/values/<period>/delete", methods=["GET", "POST"])
@requires("record_outcomes")
def delete_value(programme_slug: str, indicator_key: str, slug: str, period: str):
    programme = _programme(programme_slug)
    found, locality, row = _value(programme, indicator_key, slug, period)
    form = ConfirmForm()
    label = period_label(row.period, found.frequency)
    if form.validate_on_submit():
        try:
            values.delete_value(row, current_user, _version(request.form.get("version")))
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(
                url_for(
                    ".edit_value",
                    programme_slug=programme.slug,
                    indicator_key=found.key,
                    slug=locality.slug,
                    period=period_key(row.period, found.frequency),
                )
            )
        flash(f"Removed {found.name} for {locality.name}, {label}.", "success")
        return redirect(_indicator_page(programme, found))
    return render_template(
        "outcomes/delete_value.html",
        form=form,
        programme=programme,
        indicator=found,
        locality=locality,
        row=row,
        period=label,
        current=value_text(row.value, found.unit),
    )
