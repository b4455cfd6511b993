"""The board's go-live decision on a page: a confirmation showing exactly the evidence that will
be recorded (every criterion, now), which needs the minutes note and an explicit confirmation.
The confirmation carries the fingerprint of the evidence it showed: if an import changed the
evidence meanwhile, the decision is refused and the new evidence shown to confirm again.

The routes belong to the readiness blueprint (`readiness.confirm_go_live`, `readiness.go_live`).
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.go_live import phase_label
from programme.forms.readiness import GoLiveForm
from programme.serialisers import evidence
from programme.services import localities
from programme.services.errors import Conflict, ServiceError
from programme.services.readiness import decisions
from programme.views.common import or_404
from programme.views.readiness import bp


def _confirmation(locality, form=None, readiness=None, refusal=None, status=200):
    """The page: the evidence and the form when a decision can be made; otherwise `refusal`
    (GateNotMet with the readiness that refused it, or another Conflict) and no form."""
    if readiness is None and isinstance(refusal, decisions.GateNotMet):
        readiness = refusal.readiness
    return (
        render_template(
            "readiness/confirm_go_live.html",
            locality=locality,
            programme=locality.programme,
            form=form,
            readiness=readiness,
            document=evidence(readiness) if readiness else None,
            refusal=refusal,
            not_met=isinstance(refusal, decisions.GateNotMet),
            state=phase_label(locality.state, locality.go_live, today()),
        ),
        status,
    )


@bp.route("/localities/<slug>/go-live/confirm")
@requires("decide_go_live")
def confirm_go_live(programme_slug: str, slug: str):
    locality = or_404(lambda: localities.get_locality(programme_slug, slug))
    try:
        readiness = decisions.proposal(locality, today())
    except Conflict as refusal:  # not ready, or decided already
        return _confirmation(locality, refusal=refusal, status=409)
    form = GoLiveForm(formdata=None, fingerprint=decisions.fingerprint(readiness))
    return _confirmation(locality, form, readiness)


@bp.route("/localities/<slug>/go-live", methods=["POST"])
@requires("decide_go_live")
def go_live(programme_slug: str, slug: str):
    locality = or_404(lambda: localities.get_locality(programme_slug, slug))
    form = GoLiveForm()
    valid = form.validate_on_submit()
    try:
        readiness = decisions.proposal(locality, today())
    except Conflict as refusal:
        return _confirmation(locality, refusal=refusal, status=409)
    if form.fingerprint.data and form.fingerprint.data != decisions.fingerprint(readiness):
        return _evidence_changed(locality, form, decisions.EvidenceChanged(locality, readiness))
    if not valid:
        return _confirmation(locality, form, readiness, status=400)
    try:
        decisions.go_live(
            locality, current_user, form.note.data, today(), evidence_seen=form.fingerprint.data
        )
    except decisions.EvidenceChanged as changed:  # an import landed in between
        return _evidence_changed(locality, form, changed)
    except Conflict as refusal:
        return _confirmation(locality, refusal=refusal, status=409)
    except ServiceError as error:
        form.add_service_error(None, error.message)
        return _confirmation(locality, form, readiness, status=409)
    state = phase_label(locality.state, locality.go_live, today())
    flash(f"Recorded the board's go-live decision for {locality.name}: {state}.", "success")
    return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))


def _evidence_changed(locality, form, changed):
    """Refused: the evidence moved. The page shows it as it is now, with its fingerprint, the
    note kept and the confirmation to tick again."""
    form.add_service_error(None, changed.message)
    form.fingerprint.data = decisions.fingerprint(changed.readiness)
    form.confirmed.data = False
    return _confirmation(locality, form, changed.readiness, status=409)
