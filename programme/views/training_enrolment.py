"""Enrolling people: the picker, over-capacity confirmation, un-enrol and move."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.domain.formatting import long_date
from programme.domain.numbers import whole_number
from programme.forms.training import EnrolForm, MovePlaceForm
from programme.services.errors import ServiceError
from programme.services.training import enrolment, places, schedule
from programme.services.training.enrolment import OverCapacity
from programme.services.training.picker import Picker, picker
from programme.views.common import or_404
from programme.views.training import _session, _session_page, bp


def page_picker(session, form: EnrolForm) -> Picker:
    """The picker as the page asks for it: filters from the query string on a GET, from the
    form's hidden fields when a POST is shown again; the chosen people stay ticked."""
    if form.is_submitted():
        everyone, query, person_id = form.show.data == "everyone", form.q.data or "", None
    else:
        everyone = request.args.get("show") == "everyone"
        query = request.args.get("q", "")[:100]
        person_id = whole_number(request.args.get("person", ""))
    ticked = {value for value in (form.staff.data or []) if isinstance(value, int)}
    return picker(session, everyone=everyone, query=query, person_id=person_id, ticked=ticked)


def _back(programme, session, anchor: str = "enrolled"):
    return url_for(".session", programme_slug=programme.slug, session_id=session.id, _anchor=anchor)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


@bp.route("/training/sessions/<int:session_id>/enrol", methods=["POST"])
@requires("manage_training")
def enrol(programme_slug: str, session_id: int):
    programme, session = _session(programme_slug, session_id)
    if session.cancelled:  # its page has no enrol form to show an error on
        flash("This session is cancelled: nobody can be enrolled on it.", "error")
        return redirect(_back(programme, session))
    form = EnrolForm()
    chooser = page_picker(session, form)
    if not chooser.candidates:
        flash("Everyone in post in the programme is already enrolled.", "error")
        return redirect(_back(programme, session))
    if form.validate_on_submit():
        chosen = list(form.staff.data or [])
        if form.team.data:  # "Enrol the whole team" without JavaScript: the team's people shown
            team_id = whole_number(form.team.data)
            members = chooser.team_members(team_id) if team_id else []
            if not members:
                form.add_service_error("staff", "Nobody shown in that team can be enrolled.")
            chosen += [member for member in members if member not in chosen]
        elif not chosen:
            form.add_service_error("staff", "Choose the people to enrol, or a team.")
        if not form.errors:
            try:
                result = enrolment.enrol(
                    session, chosen, current_user, confirm_over_capacity=form.confirm.data == "yes"
                )
            except OverCapacity as over:
                return render_template(
                    "training/confirm_enrol.html",
                    programme=programme,
                    session=session,
                    over=over,
                    form=form,
                    chosen=chosen,
                )
            except ServiceError as error:
                form.add_service_error("staff", error.message)
            else:
                _flash_enrolment(result)
                return redirect(_back(programme, session))
    return _session_page(programme, session, form)


def _flash_enrolment(result: enrolment.Enrolment) -> None:
    if result.added:
        flash(f"Enrolled {_people(len(result.added))}.", "success")
    else:
        flash("Everyone chosen was already enrolled: nothing changed.", "success")
    if result.over_capacity:
        flash(
            f"The session is over capacity: {result.enrolled} enrolled for "
            f"{result.capacity} places.",
            "warning",
        )


@bp.route("/training/sessions/<int:session_id>/places/<int:staff_id>/remove", methods=["POST"])
@requires("manage_training")
def unenrol(programme_slug: str, session_id: int, staff_id: int):
    programme, session = _session(programme_slug, session_id)
    form = EnrolForm()  # only its CSRF token is read
    if not form.validate_on_submit():
        flash("The form expired. Reload the page and try again.", "error")
        return redirect(_back(programme, session))
    try:
        staff = places.unenrol(session, staff_id, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"Removed {staff.name} from this session.", "success")
    return redirect(_back(programme, session))


@bp.route("/training/sessions/<int:session_id>/places/<int:staff_id>/move", methods=["GET", "POST"])
@requires("manage_training")
def move_place(programme_slug: str, session_id: int, staff_id: int):
    programme, session = _session(programme_slug, session_id)
    place = or_404(lambda: places.get_place(session, staff_id))
    form = MovePlaceForm()
    over = None
    if form.validate_on_submit():
        target_id = whole_number(form.target.data or "")
        target = None
        if target_id is not None:
            target = or_none(lambda: schedule.get_session(programme, target_id))
        try:
            staff = places.move(
                session,
                staff_id,
                target,
                current_user,
                confirm_over_capacity=form.confirm.data == "yes",
            )
        except OverCapacity as refusal:
            over = refusal
        except ServiceError as error:
            form.add_service_error("target", error.message)
        else:
            flash(f"Moved {staff.name} to the session on {long_date(target.on)}.", "success")
            return redirect(_back(programme, session))
    return render_template(
        "training/move_place.html",
        programme=programme,
        session=session,
        place=place,
        form=form,
        targets=places.move_targets(session),
        over=over,
    ), 400 if form.errors else 200


def or_none(lookup):
    try:
        return lookup()
    except ServiceError:
        return None
