"""Spreadsheet imports of every kind: upload, map columns, preview every row, apply all or none,
undo the last."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import can, requires
from programme.clock import today
from programme.domain.formatting import count, listed
from programme.domain.numbers import whole_number
from programme.domain.sheet_rows import unused_columns
from programme.domain.spreadsheet import SkippedRow
from programme.forms.recruitment import BlankCellsForm, ConfirmForm, UploadForm, mapping_form
from programme.services import imports, programmes, value_mappings
from programme.services.errors import ServiceError
from programme.services.exports.admin_tables import imports_table
from programme.services.importers import IMPORTERS, importer_for
from programme.views.common import or_404, render_form
from programme.views.downloads import audit_download, requested_format, send_table

bp = Blueprint("imports", __name__, url_prefix="/programmes/<programme_slug>/imports")

# Who may import each kind of file, and where the user goes once it is applied.
PERMISSION = {
    "recruitment": "manage_recruitment",
    "staff": "import_spreadsheets",
    "attendance": "record_attendance",
    "spend": "manage_finance",
    "indicators": "record_outcomes",
}
AFTER_APPLY = {
    "recruitment": "recruitment.overview",
    "staff": "training.overview",
    "attendance": "training.overview",
    "spend": "imports.index",
    "indicators": "imports.index",
}
# Field names a plan's changes may use beyond the importer's own columns.
CHANGE_LABELS = {
    "team_id": "Team",
    "role_id": "Role",
    "organisation_id": "Employing organisation",
    "status": "Status",
    "post_id": "Post reference",
}


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _importer(kind: str):
    importer = or_404(lambda: importer_for(kind))
    if not can(current_user, PERMISSION[kind]):
        abort(403)
    return importer


def _record(programme, import_id: int):
    record = or_404(lambda: imports.get_import(programme, import_id))
    return _importer(record.kind), record


def _limits():
    return imports.read_limits(current_app.config)


@bp.route("")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    records = imports.list_imports(programme)
    if fmt := requested_format():
        return send_table(
            imports_table(records),
            f"{programme.slug}-imports",
            fmt,
            programme_name=programme.name,
            name="Imports",
        )
    latest = [imports.last_applied(programme, kind) for kind, i in IMPORTERS.items() if i.undo]
    return render_template(
        "imports/index.html",
        programme=programme,
        records=records,
        undoable={record.id for record in latest if record and record.state == "applied"},
        importers=IMPORTERS,
        permission=PERMISSION,
        confirm=ConfirmForm(),
    )


@bp.route("/names")
@requires("manage_recruitment")
def names(programme_slug: str):
    """The words the programme's spreadsheets use for its localities, teams and statuses."""
    programme = _programme(programme_slug)
    return render_template(
        "imports/names.html",
        programme=programme,
        names=value_mappings.remembered_names(programme),
        confirm=ConfirmForm(),
    )


@bp.route("/names/<int:alias_id>/forget", methods=["POST"])
@requires("manage_recruitment")
def forget_name(programme_slug: str, alias_id: int):
    programme = _programme(programme_slug)
    if ConfirmForm().validate_on_submit():
        alias = or_404(lambda: value_mappings.forget(programme, alias_id, current_user))
        flash(f"Forgot “{alias.name}”. Files that use it will ask what it means again.", "success")
    return redirect(url_for(".names", programme_slug=programme.slug))


@bp.route("/<kind>/new", methods=["GET", "POST"])
@requires("import_spreadsheets")
def upload(programme_slug: str, kind: str):
    programme = _programme(programme_slug)
    importer = _importer(kind)
    form = UploadForm()
    status = None
    if form.validate_on_submit():
        file = form.file.data
        try:
            imports.check_upload_rate(current_user, current_app.config["IMPORT_UPLOADS_PER_HOUR"])
            record, preview = importer.upload(
                programme,
                file.read(),
                file.filename or "upload",
                current_user,
                _limits(),
                today=today(),
            )
        except imports.TooManyUploads as error:
            form.add_service_error("file", error.message)
            status = 429
        except ServiceError as error:
            form.add_service_error("file", error.message)
        else:
            endpoint = ".columns" if preview.missing else ".show"
            return redirect(url_for(endpoint, programme_slug=programme.slug, import_id=record.id))
    page, code = render_form(
        "imports/upload.html",
        form=form,
        programme=programme,
        importer=importer,
        max_bytes=current_app.config["IMPORT_MAX_BYTES"],
        max_rows=current_app.config["IMPORT_MAX_ROWS"],
    )
    return page, status or code


@bp.route("/<int:import_id>/columns", methods=["GET", "POST"])
@requires("import_spreadsheets")
def columns(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    if record.state == "expired":
        return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))
    form = mapping_form(importer.fields, record.headers, record.mapping)
    if form.validate_on_submit():
        choices = {
            name: whole_number(value)
            for name in importer.fields
            if (value := getattr(form, name).data) is not None
        }
        try:
            importer.set_mapping(record, choices)
        except ServiceError as error:
            form.add_service_error(None, error.message)
        else:
            flash("Saved the columns. Files with the same headers will use them too.", "success")
            return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))
    return render_form(
        "imports/columns.html",
        form=form,
        programme=programme,
        record=record,
        fields=importer.fields,
        importer=importer,
    )


def _render_preview(programme, importer, record, status: int = 200, form_errors=()):
    """A previewed import shows what applying it now would do; a finished one, what it did."""
    preview = None
    if record.state == "previewed":
        try:
            preview = importer.preview_record(record, _limits(), today=today())
        except ServiceError as error:
            # The file was read when it was uploaded: what fails now is a column chosen since
            # (an employer column of numbers), so the user goes back to choose again.
            flash(error.message, "error")
            return redirect(url_for(".columns", programme_slug=programme.slug, import_id=record.id))
        if preview.plan is None:
            return redirect(url_for(".columns", programme_slug=programme.slug, import_id=record.id))
    labels = {**CHANGE_LABELS, **{name: spec.label for name, spec in importer.fields.items()}}
    if preview:
        skipped, unused = preview.table.skipped, preview.unused
    else:
        skipped = [SkippedRow.from_dict(entry) for entry in record.skipped or []]
        unused = unused_columns(record.headers, record.mapping)
    blank_form = BlankCellsForm(
        formdata=None, blank_cells="clear" if record.blank_cells_clear else "keep"
    )
    return render_template(
        "imports/show.html",
        programme=programme,
        record=record,
        importer=importer,
        preview=preview,
        choices=value_mappings.choices_for(importer, record, preview and preview.plan),
        field_label=lambda name: labels.get(name, name),
        form_errors=form_errors,
        skipped=skipped,
        skipped_count=sum(entry.count for entry in skipped),
        unused=listed(f"“{header}”" for header in unused),
        unused_count=len(unused),
        blank_form=blank_form,
        blank_fields=listed(labels.get(name, name).lower() for name in importer.blank_cells),
    ), status


@bp.route("/<int:import_id>")
@requires("import_spreadsheets")
def show(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    return _render_preview(programme, importer, record)


@bp.route("/<int:import_id>/values", methods=["POST"])
@requires("import_spreadsheets")
def values(programme_slug: str, import_id: int):
    """The user's choice for each unknown value: a known value it stands for, or none."""
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    lookups = importer.lookups_of(record)
    if lookups is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _render_preview(programme, importer, record, 400, ["The form expired. Try again."])
    try:
        value_mappings.choose(record, lookups, _value_choices(request.form))
    except ServiceError as error:
        return _render_preview(programme, importer, record, 400, [error.message])
    flash("Checked the file again with your choices. They are remembered once you save.", "success")
    return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))


def _value_choices(form) -> dict[str, dict[str, str]]:
    """`value-N` (the value as written), `field-N` and `choice-N` (a known key or "")."""
    choices: dict[str, dict[str, str]] = {}
    for name, written in form.items():
        if name.startswith("value-"):
            number = name.removeprefix("value-")
            field = form.get(f"field-{number}", "")
            choices.setdefault(field, {})[written] = form.get(f"choice-{number}", "")
    return choices


@bp.route("/<int:import_id>/apply", methods=["POST"])
@requires("import_spreadsheets")
def apply(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    if not ConfirmForm().validate_on_submit():
        return _render_preview(programme, importer, record, 400, ["The form expired. Try again."])
    try:
        plan = importer.apply_import(
            record,
            current_user,
            today=today(),
            limits=_limits(),
            confirmed=request.form.get("plan") or None,
        )
    except ServiceError as error:
        _importer_again, record = _record(programme, import_id)
        return _render_preview(programme, importer, record, 409, [error.message])
    counts = plan.counts
    flash(
        f"Imported {record.original_name}: {counts['created']} created, {counts['updated']} "
        f"updated, {counts['unchanged']} unchanged.",
        "success",
    )
    return redirect(url_for(AFTER_APPLY[importer.kind], programme_slug=programme.slug))


@bp.route("/<int:import_id>/blank-cells", methods=["POST"])
@requires("import_spreadsheets")
def blank_cells(programme_slug: str, import_id: int):
    """The user's choice, for this import, of whether blank cells clear stored values."""
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    if not importer.blank_cells:
        abort(404)
    form = BlankCellsForm()
    if not form.validate_on_submit():
        errors = form.blank_cells.errors or ["The form expired. Try again."]
        return _render_preview(programme, importer, record, 400, errors)
    try:
        importer.set_blank_cells(record, form.blank_cells.data == "clear")
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            "Blank cells now clear the stored value: check the preview again."
            if record.blank_cells_clear
            else "Blank cells now leave the stored value alone: check the preview again.",
            "success",
        )
    return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))


@bp.route("/<int:import_id>/undo", methods=["GET", "POST"])
@requires("import_spreadsheets")
def undo(programme_slug: str, import_id: int):
    """GET says exactly what the undo would revert, or why it cannot; only the POST from that
    page undoes."""
    programme = _programme(programme_slug)
    importer, record = _record(programme, import_id)
    if importer.undo is None or importer.describe_undo is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                restored = importer.undo(record, current_user)
            except ServiceError as error:
                flash(error.message, "error")
            else:
                flash(
                    f"Undid the import of {record.original_name}: "
                    f"{count(restored, 'row')} put back.",
                    "success",
                )
        return redirect(url_for(".index", programme_slug=programme.slug))
    return render_template(
        "imports/undo.html",
        programme=programme,
        record=record,
        importer=importer,
        summary=importer.describe_undo(record),
    )


@bp.route("/<int:import_id>/file")
@requires("import_spreadsheets")
def download(programme_slug: str, import_id: int):
    programme = _programme(programme_slug)
    _importer_of_record, record = _record(programme, import_id)
    if record.content is None:
        if record.file_deleted_at is not None:
            flash(
                "The file was deleted: its retention period ended, or a person it named "
                "was erased. The import's counts are kept.",
                "error",
            )
        else:
            flash("The file was deleted when this preview expired.", "error")
        return redirect(url_for(".show", programme_slug=programme.slug, import_id=record.id))
    audit_download(f"the original file of import {record.id}", record.stored_name)
    return Response(
        record.content,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{record.stored_name}"'},
    )
