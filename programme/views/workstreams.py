"""A programme's workstreams and who leads each."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.forms.programmes import WorkstreamLeadForm
from programme.services import programmes, users
from programme.services.errors import ServiceError
from programme.views.common import or_404, owner_choices, render_form

bp = Blueprint("workstreams", __name__, url_prefix="/programmes/<programme_slug>/workstreams")


@bp.route("/")
@requires("view")
def index(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return render_template("workstreams/index.html", programme=programme)


@bp.route("/<int:workstream_id>", methods=["GET", "POST"])
@requires("manage_programme")
def edit(programme_slug: str, workstream_id: int):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    workstream = or_404(lambda: programmes.get_workstream(programme, workstream_id))
    form = WorkstreamLeadForm()
    form.lead.choices = owner_choices(nobody="No lead", current=workstream.lead)
    if not form.is_submitted():
        form.lead.data = workstream.lead.email if workstream.lead else ""
    if form.validate_on_submit():
        try:
            lead = users.require_user(form.lead.data) if form.lead.data else None
            programmes.set_workstream_lead(workstream, lead, current_user)
        except ServiceError as error:
            form.add_service_error("lead", error.message)
        else:
            flash(f"Saved the lead of {workstream.name}.", "success")
            return redirect(url_for(".index", programme_slug=programme.slug))
    return render_form(
        "workstreams/edit.html", programme=programme, workstream=workstream, form=form
    )
