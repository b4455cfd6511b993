"""Downloads of a whole programme: the programme workbook (.xlsx)."""

from flask import Blueprint, Response

from programme.auth import requires
from programme.clock import today
from programme.services import programmes
from programme.services.exports.workbook import programme_workbook, workbook_filename
from programme.views.common import or_404
from programme.views.downloads import audit_download

bp = Blueprint("exports", __name__, url_prefix="/programmes/<programme_slug>")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/workbook.xlsx")
@requires("export_workbook")
def workbook(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    day = today()
    audit_download("the programme workbook", workbook_filename(programme, day))
    return Response(
        programme_workbook(programme, day),
        mimetype=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{workbook_filename(programme, day)}"',
            "Cache-Control": "no-store",
        },
    )
