"""Board packs: a programme's packs, issuing one for a meeting, a pack's page and its file as
issued, and the changes since the last pack worked out live."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.formatting import long_date
from programme.domain.pack_changes import MOVEMENT_WORDS, brief
from programme.forms.board_packs import IssuePackForm
from programme.services import programmes
from programme.services.board_packs import issue, listing
from programme.services.board_packs.sheet import summary_line
from programme.services.errors import ServiceError
from programme.views.common import or_404, render_form
from programme.views.downloads import audit_download

bp = Blueprint("board_packs", __name__, url_prefix="/programmes/<programme_slug>/board-packs")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


@bp.route("")
@requires("export_workbook")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "board_packs/index.html", programme=programme, packs=listing.packs_of(programme)
    )


@bp.route("/changes")
@requires("export_workbook")
def changes(programme_slug: str):
    programme = _programme(programme_slug)
    as_of = today()
    previous, found = listing.changes_since_last_pack(programme, as_of)
    return render_template(
        "board_packs/changes.html",
        programme=programme,
        previous=previous,
        changes=found,
        summary=summary_line(found),
        movement_words=MOVEMENT_WORDS,
        brief=brief,
        as_of=as_of,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("issue_board_pack")
def new(programme_slug: str):
    programme = _programme(programme_slug)
    form = IssuePackForm()
    if form.validate_on_submit():
        try:
            pack = issue.issue_pack(programme, form.meeting_date.data, current_user, today())
        except ServiceError as error:
            form.meeting_date.errors = [error.message]
        else:
            flash(f"Issued the board pack for {long_date(pack.meeting_date)}.", "success")
            return redirect(url_for(".show", programme_slug=programme.slug, pack_id=pack.id))
    return render_form(
        "board_packs/new.html",
        form=form,
        programme=programme,
        latest=listing.latest_pack(programme),
        as_of=today(),
    )


@bp.route("/<int:pack_id>")
@requires("export_workbook")
def show(programme_slug: str, pack_id: int):
    programme = _programme(programme_slug)
    pack = or_404(lambda: listing.get_pack(programme, pack_id))
    return render_template(
        "board_packs/show.html",
        programme=programme,
        pack=pack,
        changes=pack.changes,
        summary=summary_line(pack.changes),
        movement_words=MOVEMENT_WORDS,
        brief=brief,
    )


@bp.route("/<int:pack_id>/download")
@requires("export_workbook")
def download(programme_slug: str, pack_id: int):
    programme = _programme(programme_slug)
    pack = or_404(lambda: listing.get_pack(programme, pack_id, with_workbook=True))
    audit_download("a board pack", pack.filename)
    return Response(
        pack.workbook,
        mimetype=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{pack.filename}"',
            "Cache-Control": "no-store",
        },
    )
