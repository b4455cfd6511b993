"""Spreadsheet imports: upload, map columns, preview every row, apply all or none, undo the last."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.recruitment_import import FIELDS, describe_value
from programme.forms.recruitment import ConfirmForm, UploadForm, mapping_form
from programme.services import imports, programmes, recruitment_import
from programme.services.errors import ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("imports", __name__, url_prefix="/programmes/<programme_slug>/imports")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _record(programme, import_id: int):
    return or_404(lambda: imports.get_import(programme, import_id, recruitment_import.KIND))


def _limits():
    return imports.read_limits(current_app.config)


@bp.route("")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    latest = imports.last_applied(programme)
    return render_template(
        "imports/index.html",
        programme=programme,
        records=imports.list_imports(programme),
        undoable=latest if latest is not None and latest.state == "applied" else None,
        confirm=ConfirmForm(),
    )


@bp.route("/recruitment/new", methods=["GET", "POST"])
@requires("manage_recruitment")
def upload(programme_slug: str):
    programme = _programme(programme_slug)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record, preview = recruitment_import.upload(
                programme, upload.read(), upload.filename or "upload", current_user, _limits()
            )
        except ServiceError as error:
            form.add_service_error("file", error.message)
        else:
            endpoint = ".columns" if preview.missing else ".show"
            return redirect(url_for(endpoint, programme_slug=programme.slug, import_id=record.id))
    return render_form(
        "imports/upload.html",
        form=form,
        programme=programme,
        fields=FIELDS,
        max_mb=current_app.config["IMPORT_MAX_BYTES"] / (1024 * 1024),
        max_rows=current_app.config["IMPORT_MAX_ROWS"],
    )


@bp.route("/<int:import_id>/columns", methods=["GET", "POST"])
@requires("manage_recruitment")
def columns(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    record = _record(programme, import_id)
    form = mapping_form(FIELDS, record.headers, record.mapping)
    if form.validate_on_submit():
        choices = {
            name: (int(value) if value.isdigit() else None)
            for name in FIELDS
            if (value := getattr(form, name).data) is not None
        }
        try:
            recruitment_import.set_mapping(record, choices)
        except ServiceError as error:
            form.add_service_error(None, error.message)
        else:
            flash("Saved the columns. Files with the same headers will use them too.", "success")
            return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))
    return render_form(
        "imports/columns.html", form=form, programme=programme, record=record, fields=FIELDS
    )


def _render_preview(programme, record, status: int = 200, form_errors=()):
    """A previewed import shows what applying it now would do; a finished one, what it did."""
    if record.state != "previewed":
        return render_template(
            "imports/show.html",
            programme=programme,
            record=record,
            preview=None,
            fields=FIELDS,
            form_errors=form_errors,
        ), status
    try:
        preview = recruitment_import.preview_record(record, _limits())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".index", programme_slug=programme.slug))
    if preview.plan is None:
        return redirect(url_for(".columns", programme_slug=programme.slug, import_id=record.id))
    return render_template(
        "imports/show.html",
        programme=programme,
        record=record,
        preview=preview,
        fields=FIELDS,
        describe=lambda name, value: describe_value(name, value, preview.lookups),
        confirm=ConfirmForm(),
        form_errors=form_errors,
    ), status


@bp.route("/<int:import_id>")
@requires("manage_recruitment")
def show(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    return _render_preview(programme, _record(programme, import_id))


@bp.route("/<int:import_id>/apply", methods=["POST"])
@requires("manage_recruitment")
def apply(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    record = _record(programme, import_id)
    if not ConfirmForm().validate_on_submit():
        return _render_preview(programme, record, 400, ["The form expired. Try again."])
    try:
        plan = recruitment_import.apply_import(
            record,
            current_user,
            today=today(),
            limits=_limits(),
            confirmed=request.form.get("plan") or None,
        )
    except ServiceError as error:
        record = _record(programme, import_id)
        return _render_preview(programme, record, 409, [error.message])
    counts = plan.counts
    flash(
        f"Imported {record.original_name}: {counts['created']} created, {counts['updated']} "
        f"updated, {counts['unchanged']} unchanged.",
        "success",
    )
    return redirect(url_for("recruitment.overview", programme_slug=programme.slug))


@bp.route("/<int:import_id>/undo", methods=["POST"])
@requires("manage_recruitment")
def undo(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    record = _record(programme, import_id)
    if ConfirmForm().validate_on_submit():
        try:
            count = recruitment_import.undo_import(record, current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Undid the import of {record.original_name}: {count} posts put back.", "success")
    return redirect(url_for(".index", programme_slug=programme.slug))


@bp.route("/<int:import_id>/file")
@requires("manage_recruitment")
def download(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    record = _record(programme, import_id)
    return Response(
        record.content,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{record.stored_name}"'},
    )
