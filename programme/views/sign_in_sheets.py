"""A session's printable sign-in sheet, as a page and as .xlsx the attendance import reads."""

from flask import Response, render_template

from programme.auth import requires
from programme.domain.sign_in_sheet import attendance_key
from programme.services.training import sign_in_sheets
from programme.views.common import or_404
from programme.views.downloads import MIMETYPES, audit_download, requested_format
from programme.views.training import _session, bp


@bp.route("/training/sessions/<int:session_id>/sign-in-sheet")
@requires("record_attendance")
def sign_in_sheet(programme_slug: str, session_id: int):
    """The sheet to print (A4), or with `?download=xlsx` the same as a workbook."""
    programme, session = _session(programme_slug, session_id)
    if requested_format() == "xlsx":
        data, filename = or_404(lambda: sign_in_sheets.workbook(programme, session))
        audit_download("a sign-in sheet", filename)
        response = Response(data, content_type=MIMETYPES["xlsx"])
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template(
        "training/sign_in_sheet.html",
        programme=programme,
        session=session,
        sheet=or_404(lambda: sign_in_sheets.sign_in_sheet(programme, session)),
        attendance_key=attendance_key(),
    )
