"""Milestones: the programme-wide list, changing one row or the selected rows, editing one,
adding one (to a locality or programme-wide), and "my milestones"."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import can_edit_milestone, requires
from programme.clock import today
from programme.domain.numbers import whole_number
from programme.forms.base import select_choices
from programme.forms.milestone_lists import BulkForm, RowStatusForm
from programme.forms.milestones import MilestoneEditForm, MilestoneNewForm
from programme.services import localities, milestone_bulk, milestones, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.services.exports.milestone_tables import my_milestones_table
from programme.views.common import or_404, owner_choices, render_form
from programme.views.downloads import requested_format, send_table
from programme.views.milestone_lists import (
    Problem,
    Problems,
    back_to,
    back_to_row,
    render_back,
    render_programme_list,
    row_html,
    wants_json,
)

bp = Blueprint("milestones", __name__)


def _seen_version(text: str | None) -> int:
    """The version a form was opened at; anything unreadable counts as stale."""
    version = whole_number(text)
    return -1 if version is None else version


def _back_to_locality(milestone):
    locality = milestone.locality
    if locality is None:
        return url_for(
            "milestones.programme_list",
            programme_slug=milestone.workstream.programme.slug,
            _anchor=f"milestone-{milestone.id}",
        )
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
                expected_version=_seen_version(form.version.data),
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
        # The board's go-live decision sets its status: no status field for it.
        follows_decision=milestones.follows_decision(milestone),
        back_url=_back_to_locality(milestone),
    ), 409 if stale else (400 if form.errors else 200)


@bp.route("/programmes/<programme_slug>/localities/<slug>/milestones/new", methods=["GET", "POST"])
@requires("edit_milestones")
def new(programme_slug: str, slug: str):
    locality = or_404(lambda: localities.get_locality(programme_slug, slug))
    return _new_milestone_page(locality.programme, locality)


@bp.route("/my-milestones")
@requires("view")
def mine():
    rows = milestones.milestones_owned_by(current_user, today())
    if fmt := requested_format():
        return send_table(my_milestones_table(rows), "my-milestones", fmt, name="My milestones")
    return render_template("milestones/mine.html", rows=rows)


@bp.route("/programmes/<programme_slug>/milestones")
@requires("view")
def programme_list(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return render_programme_list(programme, request.args)


@bp.route("/programmes/<programme_slug>/milestones/new", methods=["GET", "POST"])
@requires("edit_milestones")
def new_programme_wide(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return _new_milestone_page(programme, None)


def _new_milestone_page(programme, locality):
    """Add a milestone to `locality`, or to the whole programme when it is None."""
    form = MilestoneNewForm()
    form.workstream.choices = select_choices((w.name, w.name) for w in programme.workstreams)
    form.owner.choices = owner_choices()
    if form.validate_on_submit():
        try:
            change = milestones.create_milestone(
                locality,
                current_user,
                programme=programme,
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
            whole = "" if locality else " for the whole programme"
            flash(f"Added “{change.milestone.title}”{whole}.", "success")
            return redirect(_back_to_locality(change.milestone))
    return render_form("milestones/new.html", locality=locality, programme=programme, form=form)


def _row_refused(back, milestone_id: int, message: str, status: int):
    if wants_json():
        answer = {"message": message, "row_html": row_html(milestone_id, back, message)}
        return jsonify(answer), status
    return render_back(back, Problems.on_row(milestone_id, message), status)


@bp.route("/milestones/<int:milestone_id>/status", methods=["POST"])
@requires("view")
def set_status(milestone_id: int):
    milestone = or_404(lambda: milestones.get_milestone(milestone_id))
    if not can_edit_milestone(current_user, milestone):
        abort(403)
    form = RowStatusForm()
    back = back_to_row(form.next.data, milestone)
    if not form.validate_on_submit():
        return _row_refused(back, milestone.id, "Choose a status, then save.", 400)
    title = milestone.title
    try:
        change = milestones.update_milestone(
            milestone.id,
            current_user,
            today=today(),
            expected_version=_seen_version(form.version.data),
            status=form.status.data,
        )
    except StaleEdit as error:
        return _row_refused(back, milestone_id, error.message, 409)
    except ServiceError as error:
        return _row_refused(back, milestone_id, error.message, 400)
    message = (
        f"Saved “{title}”."
        if change.changed
        else f"Nothing changed: “{title}” already had that status."
    )
    if wants_json():
        return jsonify({"message": message, "row_html": row_html(milestone_id, back, None)})
    flash(message, "success")
    return redirect(f"{back.url}#milestone-{milestone_id}")


def _selected_versions(form_data) -> dict[int, int] | str:
    versions: dict[int, int] = {}
    for value in form_data.getlist("milestone"):
        version = form_data.get(f"version-{value}", "")
        milestone_id, seen = whole_number(value), whole_number(version)
        if milestone_id is None or seen is None:
            return "The form was incomplete. Reload the page and try again."
        versions[milestone_id] = seen
    return versions


FORM_EXPIRED = "The form expired. Reload the page and try again."
# The control on the list page each of the bulk form's fields is.
_BULK_CONTROLS = {
    "days": "#bulk-days",
    "action": "#bulk-days",
    "status": "#bulk-status",
    "owner": "#bulk-owner",
}


def _bulk_form_refused(back, versions: dict[int, int], form):
    """The list page again, each of the bulk form's errors linked to its control."""
    problems = Problems(selected=set(versions))
    for name, messages in form.errors.items():
        if name == "csrf_token":
            problems.summary.append(Problem(FORM_EXPIRED))
            continue
        href = _BULK_CONTROLS.get(name)
        problems.summary.extend(Problem(message, href) for message in messages)
    return render_back(back, problems, 400)


def _bulk_refused(back, versions: dict[int, int], error: milestone_bulk.BulkRefused):
    """The list page again, saying why the bulk change was refused, linked to the row at fault
    (its checkbox), else the control, else the first selected row."""
    selected = list(versions)
    first_row = f"#select-{selected[0]}" if selected else None
    row = error.milestone_id
    href = f"#select-{row}" if row is not None else _BULK_CONTROLS.get(error.field, first_row)
    problems = Problems(summary=[Problem(error.message, href)], selected=set(selected))
    if row is not None and error.stale:
        # A stale row is said on the row too, as a one-row change says it (the summary links
        # to other refused rows' checkboxes).
        problems.rows[row] = error.message
    return render_back(back, problems, 409 if error.stale else 400)


@bp.route("/programmes/<programme_slug>/milestones/bulk", methods=["POST"])
@requires("edit_milestones")
def bulk(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    form = BulkForm()
    form.owner.choices = owner_choices()
    back = back_to(form.next.data, programme.slug)
    versions = _selected_versions(request.form)
    if isinstance(versions, str):
        return render_back(back, Problems(summary=[Problem(versions)]), 400)
    if not form.validate_on_submit():
        return _bulk_form_refused(back, versions, form)
    try:
        change = milestone_bulk.bulk_update(
            programme,
            current_user,
            versions,
            action=form.action.data,
            today=today(),
            status=form.status.data,
            owner_email=form.owner.data or None,
            working_days=form.working_days(),
        )
    except milestone_bulk.BulkRefused as error:
        return _bulk_refused(back, versions, error)
    except ServiceError as error:  # e.g. a race lost when the transaction commits
        stale = isinstance(error, StaleEdit)
        refused = milestone_bulk.BulkRefused(error.message, error.field, stale=stale)
        return _bulk_refused(back, versions, refused)
    for warning in change.warnings:
        flash(warning, "warning")
    flash(change.summary, "success")
    return redirect(back.url)
