"""The programme's audit trail: every change recorded in the programme, its localities' and its own
(gate criteria and thresholds, exceptions, members and roles, imports, downloads, go-live
decisions), with the locality trail's filters and two more: which locality, and which channel."""

from flask import Blueprint, request

from programme.auth import requires
from programme.forms.audit import ProgrammeAuditFilterForm
from programme.services import programmes
from programme.views import audit_pages
from programme.views.common import or_404

bp = Blueprint("programme_audit", __name__, url_prefix="/programmes/<programme_slug>")


@bp.route("/audit")
@requires("view_audit")
def trail(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return audit_pages.trail_page(
        programme,
        ProgrammeAuditFilterForm(request.args),
        "programmes/audit.html",
        f"{programme.slug}-audit-trail",
        f"{programme.name} audit trail",
        programme.name,
        programme=programme,
    )
