"""Adding, changing and deleting budget lines, and recording, changing and deleting spend.
A save over someone else's change answers 409 with the values saved now; a delete is confirmed
on a page of its own."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user

from programme.auth import requires
from programme.domain.finance_terms import FUNDING_SOURCES, SPEND_CATEGORIES, category_label
from programme.domain.financial_years import parse_year, quarter_label, year_label
from programme.domain.formatting import money
from programme.domain.money import parse_pounds
from programme.domain.numbers import whole_number
from programme.forms.base import select_choices
from programme.forms.finance import BudgetLineForm, EditSpendForm, SpendForm
from programme.forms.recruitment import ConfirmForm
from programme.services.errors import ServiceError, StaleEdit
from programme.services.finance import budget_lines, spend
from programme.services.organisations import organisations_of
from programme.views.common import or_404, render_form
from programme.views.finance import _line, _programme, bp, line_url, overview_url


def _as_version(value) -> int:
    """The version a form was opened at; anything unreadable counts as stale."""
    version = whole_number(str(value or ""))
    return -1 if version is None else version


def _spend(programme, spend_id: int):
    return or_404(lambda: spend.get_spend(programme, spend_id))


# --- Budget lines -------------------------------------------------------------------------------


def _line_form(programme, line=None) -> BudgetLineForm:
    form = BudgetLineForm(obj=None)
    form.category.choices = select_choices([("", "Choose the category"), *SPEND_CATEGORIES.items()])
    form.organisation_id.choices = select_choices(
        [("", "None"), *((str(o.id), o.name) for o in organisations_of(programme))]
    )
    if line is not None and not form.is_submitted():
        form.financial_year.data = year_label(line.financial_year)
        form.category.data = line.category
        form.funding_source.data = line.funding_source
        form.organisation_id.data = str(line.organisation_id or "")
        form.amount.data = money(line.amount_pence)
        form.forecast.data = "" if line.forecast_pence is None else money(line.forecast_pence)
        form.note.data = line.note
        form.version.data = str(line.version)
    return form


def _line_values(form: BudgetLineForm) -> budget_lines.LineValues:
    return budget_lines.LineValues(
        financial_year=parse_year(form.financial_year.data),
        category=form.category.data,
        funding_source=form.funding_source.data,
        amount_pence=parse_pounds(form.amount.data, shorthand=True),
        forecast_pence=parse_pounds(form.forecast.data, shorthand=True)
        if form.forecast.data
        else None,
        organisation_id=whole_number(form.organisation_id.data or ""),
        note=form.note.data or "",
    )


def _line_field(name: str | None) -> str | None:
    return {"amount_pence": "amount", "forecast_pence": "forecast"}.get(name, name)


def _line_page(form, programme, line, stale=False, status=None):
    page, form_status = render_form(
        "finance/line_form.html",
        form=form,
        programme=programme,
        line=line,
        stale=stale,
        sources=FUNDING_SOURCES,
        category_label=category_label,
        year_label=year_label,
    )
    return page, status or form_status


@bp.route("/budget-lines/new", methods=["GET", "POST"])
@requires("manage_finance")
def new_line(programme_slug: str):
    programme = _programme(programme_slug)
    form = _line_form(programme)
    if form.validate_on_submit():
        try:
            added = budget_lines.add_line(programme, _line_values(form), current_user)
        except ServiceError as error:
            form.add_service_error(_line_field(error.field), error.message)
        else:
            flash(f"Added the budget line {budget_lines.line_name(added)}.", "success")
            return redirect(overview_url(programme))
    return _line_page(form, programme, None)


@bp.route("/budget-lines/<int:line_id>/edit", methods=["GET", "POST"])
@requires("manage_finance")
def edit_line(programme_slug: str, line_id: int):
    programme = _programme(programme_slug)
    line = _line(programme, line_id)
    form = _line_form(programme, line)
    if form.validate_on_submit():
        try:
            changed = budget_lines.change_line(
                line,
                _line_values(form),
                current_user,
                expected_version=_as_version(form.version.data),
            )
        except StaleEdit as error:
            form.add_service_error(None, error.message)
            line = _line(programme, line_id)
            # Saving again after reviewing the current values is a deliberate overwrite.
            form.version.data = str(line.version)
            return _line_page(form, programme, line, stale=True, status=409)
        except ServiceError as error:
            form.add_service_error(_line_field(error.field), error.message)
        else:
            name = budget_lines.line_name(line)
            flash(f"Saved the budget line {name}." if changed else "Nothing changed.", "success")
            return redirect(line_url(programme, line))
    return _line_page(form, programme, line)


@bp.route("/budget-lines/<int:line_id>/delete", methods=["GET", "POST"])
@requires("manage_finance")
def delete_line(programme_slug: str, line_id: int):
    programme = _programme(programme_slug)
    line = _line(programme, line_id)
    form = ConfirmForm()
    entries = len(spend.spend_of(line))
    status, problem = 200, None
    if form.validate_on_submit():
        try:
            name = budget_lines.delete_line(
                line, current_user, expected_version=_as_version(request.form.get("version"))
            )
        except StaleEdit as error:
            status, problem = 409, error.message
            line = _line(programme, line_id)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(line_url(programme, line))
        else:
            flash(f"Deleted the budget line {name}.", "success")
            return redirect(overview_url(programme))
    page = render_template(
        "finance/delete_line.html",
        programme=programme,
        line=line,
        name=budget_lines.line_name(line),
        entries=entries,
        problem=problem,
    )
    return page, status


# --- Spend --------------------------------------------------------------------------------------


def _spend_values(form: SpendForm) -> spend.SpendValues:
    return spend.SpendValues(
        quarter=whole_number(form.quarter.data or ""),
        amount_pence=parse_pounds(form.amount.data, shorthand=True),
        is_refund=bool(form.is_refund.data),
        description=form.description.data or "",
    )


def _spend_page(form, programme, line, entry=None, stale=False, status=None):
    page, form_status = render_form(
        "finance/spend_form.html",
        form=form,
        programme=programme,
        line=line,
        entry=entry,
        name=budget_lines.line_name(line) if line is not None else None,
        stale=stale,
        quarter_label=quarter_label,
    )
    return page, status or form_status


@bp.route("/spend/new", methods=["GET", "POST"])
@requires("manage_finance")
def new_spend(programme_slug: str):
    """Record spend against a budget line chosen from the list (the line's page preselects
    it): spend can only be recorded against a year that has a line."""
    programme = _programme(programme_slug)
    lines = budget_lines.lines_of(programme)
    form = SpendForm()
    form.budget_line.choices = select_choices(
        [("", "Choose the budget line"), *((str(x.id), budget_lines.line_name(x)) for x in lines)]
    )
    if not form.is_submitted() and request.args.get("line"):
        form.budget_line.data = request.args["line"]
    if form.validate_on_submit():
        by_id = {str(x.id): x for x in lines}
        line = by_id.get(form.budget_line.data or "")
        if line is None:
            form.add_service_error("budget_line", "Choose the budget line the spend is against.")
        else:
            try:
                recorded = spend.record_spend(line, _spend_values(form), current_user)
            except ServiceError as error:
                form.add_service_error(error.field, error.message)
            else:
                flash(
                    f"Recorded {money(recorded.amount_pence)} in {spend.spend_name(recorded)}.",
                    "success",
                )
                return redirect(line_url(programme, line))
    return _spend_page(form, programme, None)


def _edit_spend_form(entry) -> EditSpendForm:
    form = EditSpendForm()
    if not form.is_submitted():
        form.quarter.data = str(entry.quarter)
        form.amount.data = money(abs(entry.amount_pence))
        form.is_refund.data = entry.is_refund
        form.description.data = entry.description
        form.version.data = str(entry.version)
    return form


@bp.route("/spend/<int:spend_id>/edit", methods=["GET", "POST"])
@requires("manage_finance")
def edit_spend(programme_slug: str, spend_id: int):
    programme = _programme(programme_slug)
    entry = _spend(programme, spend_id)
    form = _edit_spend_form(entry)
    if form.validate_on_submit():
        try:
            changed = spend.change_spend(
                entry,
                _spend_values(form),
                current_user,
                expected_version=_as_version(form.version.data),
            )
        except StaleEdit as error:
            form.add_service_error(None, error.message)
            entry = _spend(programme, spend_id)
            form.version.data = str(entry.version)
            return _spend_page(form, programme, entry.budget_line, entry, stale=True, status=409)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Saved the spend in {spend.spend_name(entry)}." if changed else "Nothing changed.",
                "success",
            )
            return redirect(line_url(programme, entry.budget_line))
    return _spend_page(form, programme, entry.budget_line, entry)


@bp.route("/spend/<int:spend_id>/delete", methods=["GET", "POST"])
@requires("manage_finance")
def delete_spend(programme_slug: str, spend_id: int):
    programme = _programme(programme_slug)
    entry = _spend(programme, spend_id)
    line = entry.budget_line
    form = ConfirmForm()
    status, problem = 200, None
    if form.validate_on_submit():
        try:
            what = spend.delete_spend(
                entry, current_user, expected_version=_as_version(request.form.get("version"))
            )
        except StaleEdit as error:
            status, problem = 409, error.message
            entry = _spend(programme, spend_id)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(line_url(programme, line))
        else:
            flash(f"Deleted {what}.", "success")
            return redirect(line_url(programme, line))
    page = render_template(
        "finance/delete_spend.html",
        programme=programme,
        entry=entry,
        line=line,
        name=spend.spend_name(entry),
        problem=problem,
    )
    return page, status
