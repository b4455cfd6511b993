"""Data protection for administrators: erasing a person, and the subject access export of
everything held about one e-mail address (docs/DATA-PROTECTION.md)."""

from flask import Blueprint, Response, flash, redirect, url_for
from flask_login import current_user

from programme.auth import requires
from programme.forms.data_protection import ErasureForm, SubjectAccessForm
from programme.services import erasure, subject_access
from programme.services.errors import ServiceError
from programme.views.common import render_form

bp = Blueprint("data_protection", __name__, url_prefix="/admin")

MIMETYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.route("/erasure", methods=["GET", "POST"])
@requires("erase_personal_data")
def erase():
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erased = erasure.erase(form.email.data, form.reason.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Erased: the person is now {erased.label} everywhere. Their records stay, "
                "so counts and readiness figures are unchanged.",
                "success",
            )
            return redirect(url_for(".erase"))
    return render_form("admin/erasure.html", form=form)


@bp.route("/subject-access", methods=["GET", "POST"])
@requires("subject_access_export")
def subject_access_export():
    """The form; a valid submission answers with the file itself (audited)."""
    form = SubjectAccessForm()
    if form.validate_on_submit():
        kind = form.format.data
        found = subject_access.collect(form.email.data)
        subject_access.record_export(form.email.data, kind, current_user, found)
        data = subject_access.as_json(found) if kind == "json" else subject_access.as_xlsx(found)
        return Response(
            data,
            mimetype=MIMETYPES[kind],
            headers={"Content-Disposition": f'attachment; filename="subject-access.{kind}"'},
        )
    return render_form("admin/subject_access.html", form=form)
