"""The business case: the programme's cumulative cost against each cost-avoidance scenario's
cumulative avoided cost, the year each pays back; and the forms for the scenarios."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.financial_years import year_label
from programme.domain.formatting import money
from programme.domain.numbers import whole_number
from programme.forms.business_case import AvoidedCostsForm, DeleteScenarioForm, ScenarioForm
from programme.services import business_case, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.views.common import or_404, render_form

bp = Blueprint(
    "business_case", __name__, url_prefix="/programmes/<programme_slug>/finance/business-case"
)


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _scenario(programme, scenario_id: int):
    return or_404(lambda: business_case.get_scenario(programme, scenario_id))


def _show(programme, scenario=None) -> str:
    anchor = f"scenario-{scenario.id}" if scenario is not None else None
    return url_for(".show", programme_slug=programme.slug, _anchor=anchor)


def _version(value) -> int:
    """The version a form was opened at; anything unreadable counts as stale."""
    version = whole_number(str(value or ""))
    return -1 if version is None else version


@bp.route("")
@requires("view")
def show(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "business_case/show.html",
        programme=programme,
        case=business_case.business_case(programme, today()),
    )


@bp.route("/scenarios/new", methods=["GET", "POST"])
@requires("manage_finance")
def new(programme_slug: str):
    programme = _programme(programme_slug)
    form = ScenarioForm()
    if form.validate_on_submit():
        try:
            added = business_case.add_scenario(programme, form.name.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Added the {added.name} scenario: enter the costs it avoids each year.", "success"
            )
            return redirect(
                url_for(".edit_years", programme_slug=programme.slug, scenario_id=added.id)
            )
    return render_form(
        "business_case/scenario_form.html",
        form=form,
        programme=programme,
        scenario=None,
        stale=False,
    )


@bp.route("/scenarios/<int:scenario_id>/rename", methods=["GET", "POST"])
@requires("manage_finance")
def rename(programme_slug: str, scenario_id: int):
    programme = _programme(programme_slug)
    scenario = _scenario(programme, scenario_id)
    form = ScenarioForm(obj=scenario)
    if not form.is_submitted():
        form.version.data = str(scenario.version)
    stale = False
    if form.validate_on_submit():
        old = scenario.name
        try:
            renamed = business_case.rename_scenario(
                scenario, form.name.data, current_user, _version(form.version.data)
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            scenario = _scenario(programme, scenario_id)
            form.version.data = str(scenario.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Renamed the {old} scenario {scenario.name}." if renamed else "Nothing changed.",
                "success",
            )
            return redirect(_show(programme, scenario))
    page, status = render_form(
        "business_case/scenario_form.html",
        form=form,
        programme=programme,
        scenario=scenario,
        stale=stale,
    )
    return page, 409 if stale else status


@bp.route("/scenarios/<int:scenario_id>/years", methods=["GET", "POST"])
@requires("manage_finance")
def edit_years(programme_slug: str, scenario_id: int):
    programme = _programme(programme_slug)
    scenario = _scenario(programme, scenario_id)
    years = business_case.form_years(programme, today(), scenario)
    form = AvoidedCostsForm.for_years(years)()
    if not form.is_submitted():
        form.version.data = str(scenario.version)
        for one in scenario.years:
            form[business_case.year_field(one.financial_year)].data = money(one.avoided_pence)
    stale = False
    if form.validate_on_submit():
        try:
            changed = business_case.set_avoided_costs(
                scenario, form.amounts(), current_user, _version(form.version.data)
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            scenario = _scenario(programme, scenario_id)
            form.version.data = str(scenario.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Saved the {scenario.name} scenario's avoided costs for "
                + ", ".join(year_label(year) for year in changed)
                + "."
                if changed
                else "Nothing changed.",
                "success",
            )
            return redirect(_show(programme, scenario))
    page, status = render_form(
        "business_case/years.html",
        form=form,
        programme=programme,
        scenario=scenario,
        stale=stale,
        year_label=year_label,
    )
    return page, 409 if stale else status


@bp.route("/scenarios/<int:scenario_id>/delete", methods=["GET", "POST"])
@requires("manage_finance")
def delete(programme_slug: str, scenario_id: int):
    """The confirmation page, and the button that deletes the scenario."""
    programme = _programme(programme_slug)
    scenario = _scenario(programme, scenario_id)
    form = DeleteScenarioForm()
    if not form.is_submitted():
        form.version.data = str(scenario.version)
    stale = False
    if form.validate_on_submit():
        try:
            name = business_case.delete_scenario(
                scenario, current_user, _version(form.version.data)
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            scenario = _scenario(programme, scenario_id)
            form.version.data = str(scenario.version)
        else:
            flash(f"Deleted the {name} scenario.", "success")
            return redirect(_show(programme))
    page = render_template(
        "business_case/delete.html", form=form, programme=programme, scenario=scenario
    )
    return page, 409 if stale else 200
