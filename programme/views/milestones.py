"""Editing a milestone, adding one, and "my milestones"."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import can_edit_milestone, requires
from programme.clock import today
from programme.forms.base import select_choices
from programme.forms.milestones import MilestoneEditForm, MilestoneNewForm
from programme.services import localities, milestones
from programme.services.errors import ServiceError, StaleEdit
from programme.services.exports.milestone_tables import my_milestones_table
from programme.views.common import or_404, owner_choices, render_form
from programme.views.downloads import requested_format, send_table

bp = Blueprint("milestones", __name__)


def _back_to_locality(milestone):
    locality = milestone.locality
    if locality is None:
        return url_for("programmes.overview", slug=milestone.workstream.programme.slug)
    return url_for("localities.show", programme_slug=locality.programme.slug, slug=locality.slug)


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@requires("view")
def edit(milestone_id: int):
    milestone = or_404(lambda: milestones.get_milestone(milestone_id))
    if not can_edit_milestone(current_user, milestone):
        abort(403)
    form = MilestoneEditForm(obj=milestone)
    form.owner.choices = owner_choices(current=milestone.owner)
    if not form.is_submitted():
        # The model's `owner` is a User; the form chooses by e-mail address.
        form.owner.data = milestone.owner.email if milestone.owner else ""
    stale = False
    if form.validate_on_submit():
        try:
            change = milestones.update_milestone(
                milestone.id,
                current_user,
                today=today(),
                expected_version=int(form.version.data) if form.version.data.isdigit() else -1,
                status=form.status.data,
                owner_email=form.owner.data or None,
                due=form.due.data,
                notes=form.notes.data,
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            milestone = milestones.get_milestone(milestone_id)
            # Resubmitting after reviewing the current values is a deliberate overwrite.
            form.version.data = str(milestone.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            for warning in change.warnings:
                flash(warning, "warning")
            flash(
                f"Saved “{milestone.title}”." if change.changed else "Nothing changed.", "success"
            )
            return redirect(_back_to_locality(milestone))
    return render_template(
        "milestones/edit.html",
        milestone=milestone,
        programme=milestone.workstream.programme,
        form=form,
        stale=stale,
        back_url=_back_to_locality(milestone),
    ), 409 if stale else (400 if form.errors else 200)


@bp.route("/programmes/<programme_slug>/localities/<slug>/milestones/new", methods=["GET", "POST"])
@requires("edit_milestones")
def new(programme_slug: str, slug: str):
    locality = or_404(lambda: localities.get_locality(programme_slug, slug))
    form = MilestoneNewForm()
    form.workstream.choices = select_choices(
        (w.name, w.name) for w in locality.programme.workstreams
    )
    form.owner.choices = owner_choices()
    if form.validate_on_submit():
        try:
            change = milestones.create_milestone(
                locality,
                current_user,
                workstream_name=form.workstream.data,
                title=form.title.data,
                due=form.due.data,
                description=form.description.data,
                gate_critical=form.gate_critical.data,
                owner_email=form.owner.data or None,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            for warning in change.warnings:
                flash(warning, "warning")
            flash(f"Added “{change.milestone.title}”.", "success")
            return redirect(_back_to_locality(change.milestone))
    return render_form(
        "milestones/new.html", locality=locality, programme=locality.programme, form=form
    )


@bp.route("/my-milestones")
@requires("view")
def mine():
    rows = milestones.milestones_owned_by(current_user, today())
    if fmt := requested_format():
        return send_table(my_milestones_table(rows), "my-milestones", fmt, name="My milestones")
    return render_template("milestones/mine.html", rows=rows)
