"""The programme's roles (with the other names spreadsheets use for them) and which post
statuses count as recruited."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.recruitment import PostStatus
from programme.forms.base import select_choices
from programme.forms.recruitment import RecruitedStatusesForm, RoleForm
from programme.services import programmes
from programme.services.errors import ServiceError
from programme.services.recruitment.roles import (
    agencies,
    agency_label,
    create_role,
    get_role,
    set_recruited_statuses,
    update_role,
)
from programme.views.common import or_404, render_form

bp = Blueprint("roles", __name__, url_prefix="/programmes/<programme_slug>")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


@bp.route("/roles")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template("recruitment/roles.html", programme=programme, agency_label=agency_label)


def _role_form(programme, role=None) -> RoleForm:
    form = RoleForm(obj=role)
    form.agency.choices = select_choices(agencies().items())
    if role is not None and not form.is_submitted():
        form.other_names.data = "\n".join(role.names)
    return form


def _save_role(programme, form: RoleForm, role=None):
    values = {
        "name": form.name.data,
        "adult_specialist": form.adult_specialist.data,
        "agency": form.agency.data,
        "names": (form.other_names.data or "").splitlines(),
    }
    if role is None:
        return create_role(programme, current_user, **values)
    return update_role(role, current_user, **values, today=today())


@bp.route("/roles/new", methods=["GET", "POST"])
@requires("manage_programme")
def new_role(programme_slug: str):
    return _role_page(_programme(programme_slug), None)


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
@requires("manage_programme")
def edit_role(programme_slug: str, role_id: int):
    programme = _programme(programme_slug)
    return _role_page(programme, or_404(lambda: get_role(programme, role_id)))


def _role_page(programme, role):
    form = _role_form(programme, role)
    if form.validate_on_submit():
        try:
            saved = _save_role(programme, form, role)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Saved the role {saved.name}.", "success")
            return redirect(url_for(".index", programme_slug=programme.slug))
    return render_form("recruitment/role.html", form=form, programme=programme, role=role)


@bp.route("/recruitment/settings", methods=["GET", "POST"])
@requires("manage_programme")
def settings(programme_slug: str):
    programme = _programme(programme_slug)
    form = RecruitedStatusesForm()
    if not form.is_submitted():
        form.statuses.data = list(programme.recruited)
    if form.validate_on_submit():
        try:
            set_recruited_statuses(programme, form.statuses.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash("Saved which statuses count as recruited.", "success")
            return redirect(url_for("recruitment.overview", programme_slug=programme.slug))
    return render_form(
        "recruitment/settings.html",
        form=form,
        programme=programme,
        default=[PostStatus.APPOINTED.label, PostStatus.IN_POST.label],
    )
