"""A locality: its milestones by workstream, timeline view, teams, go-live date and audit trail."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.formatting import count
from programme.forms.audit import AuditFilterForm
from programme.forms.base import select_choices
from programme.forms.programmes import LocalityEditForm, LocalityForm, TeamForm, TeamServesForm
from programme.services import (
    go_live_moves,
    localities,
    milestones,
    programmes,
    teams_served,
    timeline,
)
from programme.services.errors import NeedsConfirmation, ServiceError
from programme.services.recruitment import posts
from programme.views import audit_pages
from programme.views.common import or_404, render_form
from programme.views.milestone_lists import render_locality_page

bp = Blueprint("localities", __name__, url_prefix="/programmes/<programme_slug>/localities")


def _locality(programme_slug: str, slug: str):
    return or_404(lambda: localities.get_locality(programme_slug, slug))


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_programme")
def new(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    form = LocalityForm()
    needs_confirmation = False
    if form.validate_on_submit():
        try:
            locality = localities.create_locality(
                programme,
                form.name.data,
                form.go_live.data,
                current_user,
                today=today(),
                wave=form.wave.data,
                slug=form.slug.data or None,
                confirm_past_go_live=form.confirm_past_go_live.data,
            )
        except ServiceError as error:
            needs_confirmation = _show_refusal(form, error)
        else:
            flash(
                f"Added {locality.name}. Apply a timeline template to create its milestones.",
                "success",
            )
            return redirect(url_for(".show", programme_slug=programme.slug, slug=locality.slug))
    return render_form(
        "localities/new.html",
        programme=programme,
        form=form,
        needs_confirmation=needs_confirmation,
    )


@bp.route("/<slug>")
@requires("view")
def show(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    return render_locality_page(locality, request.args)


@bp.route("/<slug>/timeline")
@requires("view")
def timeline_view(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    return render_template(
        "localities/timeline.html",
        locality=locality,
        programme=locality.programme,
        timeline=milestones.locality_timeline(locality, today()),
        today=today(),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("manage_programme")
def edit(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    form = LocalityEditForm(obj=locality)
    needs_confirmation = False
    if form.validate_on_submit():
        try:
            move = localities.update_locality(
                locality,
                current_user,
                today=today(),
                name=form.name.data,
                wave=form.wave.data,
                go_live=form.go_live.data,
                confirm_past_go_live=form.confirm_past_go_live.data,
            )
        except ServiceError as error:
            needs_confirmation = _show_refusal(form, error)
        else:
            if not (move.moved or move.left_alone):
                return _saved(locality)
            # Post/redirect/get: the summary is a page of its own, so a refresh moves nothing.
            return redirect(
                url_for(".moved", programme_slug=programme_slug, slug=slug, event_id=move.event.id)
            )
    return render_form(
        "localities/edit.html",
        locality=locality,
        programme=locality.programme,
        form=form,
        needs_confirmation=needs_confirmation,
    )


@bp.route("/<slug>/moved/<int:event_id>")
@requires("manage_programme")
def moved(programme_slug: str, slug: str, event_id: int):
    """What moving the go-live date did, read back from the change's audit entry."""
    locality = _locality(programme_slug, slug)
    go_live, move = or_404(lambda: go_live_moves.move_summary(locality, event_id))
    return render_template(
        "localities/moved.html",
        locality=locality,
        programme=locality.programme,
        move=move,
        go_live=go_live,
    )


def _show_refusal(form, error: ServiceError) -> bool:
    """Put the refusal on the form; True when the user only needs to confirm a past date."""
    if isinstance(error, NeedsConfirmation):
        form.add_service_error(error.field, f"{error.message} Tick the box if that is right.")
        return True
    form.add_service_error(error.field, error.message)
    return False


def _saved(locality):
    flash(f"Saved {locality.name}.", "success")
    return redirect(url_for(".show", programme_slug=locality.programme.slug, slug=locality.slug))


@bp.route("/<slug>/apply-timeline", methods=["POST"])
@requires("manage_programme")
def apply_timeline(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    key = request.form.get("template", "lancashire")
    try:
        result = timeline.apply_template(locality, current_user, key)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        if result.created:
            flash(
                f"Created {count(result.created, 'milestone')} from {result.template.name}.",
                "success",
            )
        else:
            flash(
                f"Every milestone of {result.template.name} is already here; nothing was added.",
                "info",
            )
    return redirect(url_for(".show", programme_slug=programme_slug, slug=slug))


@bp.route("/<slug>/teams/new", methods=["GET", "POST"])
@requires("manage_programme")
def new_team(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    form = TeamForm()
    form.establishment.choices = select_choices(
        [
            ("", "No template: add posts later"),
            *(
                (t.key, f"{t.name} ({count(t.post_count, 'post')})")
                for t in locality.programme.establishment_templates
            ),
        ]
    )
    _serves_choices(form, locality)
    if form.validate_on_submit():
        try:
            team = localities.create_team(
                locality,
                form.name.data,
                current_user,
                form.kind.data,
                establishment=form.establishment.data or None,
                today=today(),
                serves_all=form.serves_all.data,
                serves=form.serves.data or [],
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            posts = f" with {count(len(team.posts), 'post')}" if team.posts else ""
            flash(f"Added {team.name}{posts}.", "success")
            return redirect(url_for(".show", programme_slug=programme_slug, slug=slug))
    return render_form(
        "localities/new_team.html", locality=locality, programme=locality.programme, form=form
    )


def _serves_choices(form, locality) -> None:
    """The localities a team of this locality may serve: the programme's others."""
    form.serves.choices = [
        (other.slug, other.name) for other in locality.programme.localities if other != locality
    ]


@bp.route("/<slug>/teams/<int:team_id>/serves", methods=["GET", "POST"])
@requires("manage_programme")
def team_serves(programme_slug: str, slug: str, team_id: int):
    locality = _locality(programme_slug, slug)
    team = or_404(lambda: posts.get_team(locality, team_id))
    form = TeamServesForm()
    _serves_choices(form, locality)
    if not form.is_submitted():
        form.serves_all.data = team.serves_all
        form.serves.data = [other.slug for other in team.served]
    if form.validate_on_submit():
        try:
            teams_served.set_served(
                team, current_user, serves_all=form.serves_all.data, slugs=form.serves.data or []
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Saved the localities {team.name} serves.", "success")
            return redirect(url_for(".show", programme_slug=programme_slug, slug=slug))
    return render_form(
        "localities/team_serves.html",
        locality=locality,
        programme=locality.programme,
        team=team,
        form=form,
    )


@bp.route("/<slug>/audit")
@requires("view_audit")
def audit_trail(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    return audit_pages.trail_page(
        locality,
        AuditFilterForm(request.args),
        "localities/audit.html",
        f"{locality.slug}-audit-trail",
        f"{locality.name} audit trail",
        locality.programme.name,
        locality=locality,
        programme=locality.programme,
    )
