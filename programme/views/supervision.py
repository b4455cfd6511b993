"""Group supervision after go-live: every live team's record with its red flag, and each team's
sessions, recorded, changed and removed."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain import supervision as rules
from programme.domain.formatting import short_date
from programme.domain.numbers import whole_number
from programme.forms.supervision import RemoveSessionForm, SupervisionForm
from programme.services import programmes
from programme.services import supervision as service
from programme.services.errors import ServiceError, StaleEdit
from programme.views.common import or_404, render_form

bp = Blueprint("supervision", __name__, url_prefix="/programmes/<programme_slug>/supervision")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _team(programme, team_id: int):
    return or_404(lambda: service.get_team(programme, team_id))


def _session(team, session_id: int):
    return or_404(lambda: service.get_session(team, session_id))


def _team_url(programme, team) -> str:
    return url_for(".team", programme_slug=programme.slug, team_id=team.id)


def _version(form) -> int:
    """The version the form was opened at; anything unreadable counts as stale."""
    version = whole_number(str(form.version.data or ""))
    return -1 if version is None else version


def _values(form: SupervisionForm) -> dict:
    return {
        "held_on": form.held_on.data,
        "families_discussed": form.families_discussed.data,
        "psychologist_present": form.psychologist_present.data,
        "actions": form.actions.data,
    }


@bp.route("")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    rows = service.team_supervision(programme, today())
    return render_template(
        "supervision/index.html",
        programme=programme,
        rows=rows,
        flagged=[row for row in rows if row.flagged],
        rules=rules,
    )


def _team_page(programme, team, form, status: int = 200):
    page = render_template(
        "supervision/team.html",
        programme=programme,
        team=team,
        row=service.team_row(team, today()),
        sessions=service.sessions_of(team),
        form=form,
        rules=rules,
        supervised=team.kind == rules.SUPERVISED_KIND,
    )
    return page, 400 if form.errors else status


@bp.route("/teams/<int:team_id>")
@requires("view")
def team(programme_slug: str, team_id: int):
    programme = _programme(programme_slug)
    return _team_page(programme, _team(programme, team_id), SupervisionForm())


@bp.route("/teams/<int:team_id>", methods=["POST"])
@requires("record_supervision")
def record(programme_slug: str, team_id: int):
    programme = _programme(programme_slug)
    team = _team(programme, team_id)
    form = SupervisionForm()
    if form.validate_on_submit():
        try:
            session = service.record_session(team, current_user, today=today(), **_values(form))
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Recorded the group supervision of {team.name} on {short_date(session.held_on)}.",
                "success",
            )
            return redirect(_team_url(programme, team))
    return _team_page(programme, team, form)


@bp.route("/teams/<int:team_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires("record_supervision")
def edit(programme_slug: str, team_id: int, session_id: int):
    programme = _programme(programme_slug)
    team = _team(programme, team_id)
    session = _session(team, session_id)
    form = SupervisionForm(obj=session)
    if not form.is_submitted():
        form.families_discussed.data = str(session.families_discussed)
        form.version.data = str(session.version)
    stale = False
    if form.validate_on_submit():
        try:
            changed = service.update_session(
                session,
                current_user,
                today=today(),
                expected_version=_version(form),
                **_values(form),
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            session = _session(team, session_id)
            # Saving again after reviewing the values now saved is a deliberate overwrite.
            form.version.data = str(session.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash("Saved the session." if changed else "Nothing changed.", "success")
            return redirect(_team_url(programme, team))
    page, status = render_form(
        "supervision/edit.html",
        form=form,
        programme=programme,
        team=team,
        session=session,
        stale=stale,
    )
    return page, 409 if stale else status


@bp.route("/teams/<int:team_id>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@requires("record_supervision")
def delete(programme_slug: str, team_id: int, session_id: int):
    programme = _programme(programme_slug)
    team = _team(programme, team_id)
    session = _session(team, session_id)
    form = RemoveSessionForm()
    if not form.is_submitted():
        form.version.data = str(session.version)
    stale = False
    if form.validate_on_submit():
        held_on = session.held_on
        try:
            service.delete_session(session, current_user, expected_version=_version(form))
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            session = _session(team, session_id)
            form.version.data = str(session.version)
        else:
            flash(
                f"Removed the group supervision of {team.name} on {short_date(held_on)}.",
                "success",
            )
            return redirect(_team_url(programme, team))
    page = render_template(
        "supervision/delete.html",
        form=form,
        programme=programme,
        team=team,
        session=session,
        stale=stale,
    )
    return page, 409 if stale else 200
