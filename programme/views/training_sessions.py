"""Changing a session: correcting its details, rescheduling it, and cancelling it through a
confirmation page that says who will be told."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.formatting import clock_time, count, long_date
from programme.domain.numbers import whole_number
from programme.forms.training import CancelSessionForm, EditSessionForm
from programme.services import users
from programme.services.errors import ServiceError, StaleEdit
from programme.services.training import registers, session_changes
from programme.views.training import _session, bp, trainer_choices


def _session_url(programme, session) -> str:
    return url_for(".session", programme_slug=programme.slug, session_id=session.id)


def _name(session) -> str:
    return f"{session.course.name}, module {session.module.number}"


def _version(form) -> int:
    """The version the form was opened at; anything unreadable counts as stale."""
    version = whole_number(str(form.version.data or ""))
    return -1 if version is None else version


def _refuse_if_cancelled(programme, session):
    """A cancelled session's pages send back to it, saying why (nothing there to change)."""
    if session.cancelled:
        flash(
            f"{_name(session)} on {long_date(session.on)} was cancelled: it cannot be changed.",
            "error",
        )
        return redirect(_session_url(programme, session))
    return None


def _edit_form(session) -> EditSessionForm:
    form = EditSessionForm()
    form.trainer.choices = trainer_choices(session.programme_id, session.trainer)
    form.capacity.description = "How many places. It cannot be less than the number enrolled."
    form.cost.description = "In pounds, such as 1500 or 1500.50."
    if not form.is_submitted():
        _fill(form, session)
    return form


def _fill(form: EditSessionForm, session) -> None:
    form.on.data = session.on
    form.starts_at.data = session.starts_at
    form.venue.data = session.venue
    form.trainer.data = session.trainer.email if session.trainer else ""
    form.capacity.data = session.capacity
    form.cost.data = Decimal(session.cost_pence) / 100
    form.version.data = str(session.version)


@bp.route("/training/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires("manage_training")
def edit_session(programme_slug: str, session_id: int):
    programme, session = _session(programme_slug, session_id)
    if (refused := _refuse_if_cancelled(programme, session)) is not None:
        return refused
    form = _edit_form(session)
    stale = False
    if form.validate_on_submit():
        try:
            change = session_changes.edit_session(
                session,
                current_user,
                expected_version=_version(form),
                on=form.on.data,
                starts_at=form.starts_at.data,
                venue=form.venue.data or "",
                trainer=users.find_user(form.trainer.data) if form.trainer.data else None,
                capacity=form.capacity.data,
                cost_pence=form.cost_pence(),
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            programme, session = _session(programme_slug, session_id)
            # Saving again after reviewing the current values is a deliberate overwrite.
            form.version.data = str(session.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(_edited(change), "success")
            return redirect(_session_url(programme, change.session))
    page = render_template(
        "training/edit_session.html",
        programme=programme,
        session=session,
        form=form,
        stale=stale,
        enrolled=len(session.places),
        recorded=sum(1 for place in session.places if place.status is not None),
    )
    return page, 409 if stale else (400 if form.errors else 200)


def _edited(change: session_changes.SessionChange) -> str:
    session = change.session
    if not change.changed:
        return "Nothing changed."
    if not change.rescheduled:
        return f"Saved the changes to {_name(session)}."
    told = len(change.told)
    when = long_date(session.on) + (
        f" at {clock_time(session.starts_at)}" if session.starts_at else ""
    )
    return f"Rescheduled {_name(session)} to {when}. " + (
        f"Sent the {count(told, 'person', 'people')} on it an updated invitation."
        if told
        else "Nobody is enrolled yet, so nobody was told."
    )


@bp.route("/training/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires("manage_training")
def cancel_session(programme_slug: str, session_id: int):
    programme, session = _session(programme_slug, session_id)
    if (refused := _refuse_if_cancelled(programme, session)) is not None:
        return refused
    form = CancelSessionForm()
    if not form.is_submitted():
        form.version.data = str(session.version)
    stale = False
    if form.validate_on_submit():
        try:
            told = session_changes.cancel_session(
                session, current_user, form.reason.data, expected_version=_version(form)
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            programme, session = _session(programme_slug, session_id)
            form.version.data = str(session.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Cancelled {_name(session)} on {long_date(session.on)}. "
                + (
                    f"Told the {count(len(told), 'person', 'people')} on it; "
                    "their places are released."
                    if told
                    else "Nobody was enrolled."
                ),
                "success",
            )
            return redirect(_session_url(programme, session))
    places = registers.register(session)
    page = render_template(
        "training/cancel_session.html",
        programme=programme,
        session=session,
        form=form,
        places=places,
        held=session_changes.held_reason(session),
        stale=stale,
        today=today(),
    )
    return page, 409 if stale else (400 if form.errors else 200)
