"""The go-live gate: the board's view, each locality's readiness and its go-live decision, and the
gate's settings. The JSON routes for scripts are in `programme/api/readiness.py`."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from programme.auth import can, requires
from programme.clock import today
from programme.domain.formatting import percent
from programme.domain.gate_criteria import ALL_OR_NOTHING, CriterionKind
from programme.domain.numbers import whole_number
from programme.forms.base import select_choices
from programme.forms.readiness import (
    CriterionForm,
    ExceptionForm,
    RescindForm,
    SignOffForm,
    ThresholdForm,
)
from programme.services import localities, programmes
from programme.services.board_packs import listing as board_packs
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.readiness import board as readiness_board  # `board` is the view below
from programme.services.readiness import (
    decisions,
    gate_criteria,
    gate_exceptions,
    locality_page,
    rule_as_written,
    sign_offs,
)
from programme.services.training import catalogue
from programme.services.users import active_members
from programme.views.common import or_404, owner_choices, render_form

bp = Blueprint("readiness", __name__, url_prefix="/programmes/<programme_slug>")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _locality(programme_slug: str, slug: str):
    return or_404(lambda: localities.get_locality(programme_slug, slug))


def _criterion(programme, criterion_id: int):
    return or_404(lambda: gate_criteria.get_criterion(programme, criterion_id))


# --- The board's view ---------------------------------------------------------------------------


@bp.route("/readiness")
@requires("view")
def board(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "readiness/board.html",
        programme=programme,
        board=readiness_board.board(programme, today()),
        printable=request.args.get("print") == "1",
        packs=board_packs.packs_of(programme) if can(current_user, "export_workbook") else [],
    )


# --- A locality's readiness and its go-live decision ------------------------------------------


def _locality_page(locality, rescind_form=None, status=200):
    as_of = today()
    return (
        render_template(
            "readiness/locality.html",
            locality=locality,
            programme=locality.programme,
            page=locality_page.locality_readiness(locality, as_of, as_of),
            rescind_form=rescind_form or RescindForm(formdata=None),
            sign_off_form=SignOffForm(formdata=None),
        ),
        status,
    )


@bp.route("/localities/<slug>/readiness")
@requires("view")
def locality(programme_slug: str, slug: str):
    return _locality_page(_locality(programme_slug, slug))


# The confirmation (GET) and the decision it records (POST) are in `go_live_confirmation`.


@bp.route("/localities/<slug>/rescind", methods=["POST"])
@requires("decide_go_live")
def rescind(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    form = RescindForm()
    if form.validate_on_submit():
        try:
            decisions.rescind(locality, current_user, form.reason.data)
        except Conflict as error:  # nothing in force to rescind: a refusal, not a bad reason
            form.add_service_error(None, error.message)
            return _locality_page(locality, rescind_form=form, status=409)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"The go-live decision for {locality.name} is rescinded.", "success")
            return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))
    return _locality_page(locality, rescind_form=form, status=400)


@bp.route("/localities/<slug>/decisions/<int:decision_id>")
@requires("view")
def decision(programme_slug: str, slug: str, decision_id: int):
    locality = _locality(programme_slug, slug)
    found = or_404(lambda: decisions.get_decision(locality, decision_id))
    return render_template(
        "readiness/decision.html",
        locality=locality,
        programme=locality.programme,
        decision=found,
        # The evidence is kept as the JSON document it was; its day is ISO text there.
        evidence_as_of=date.fromisoformat(found.evidence["as_of"]),
    )


@bp.route("/localities/<slug>/checks/<int:criterion_id>/sign-off", methods=["POST"])
@requires("view")
def sign_off(programme_slug: str, slug: str, criterion_id: int):
    locality = _locality(programme_slug, slug)
    criterion = _criterion(locality.programme, criterion_id)
    form = SignOffForm()
    if not form.validate_on_submit():
        flash(" ".join(form.note.errors) or "The form expired. Reload the page and try again.")
    else:
        try:
            sign_offs.sign_off(locality, criterion, current_user, today(), form.note.data or "")
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Signed off “{criterion.label}” for {locality.name}.", "success")
    return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))


@bp.route("/localities/<slug>/checks/<int:criterion_id>/withdraw", methods=["POST"])
@requires("view")
def withdraw_sign_off(programme_slug: str, slug: str, criterion_id: int):
    locality = _locality(programme_slug, slug)
    criterion = _criterion(locality.programme, criterion_id)
    try:
        sign_offs.withdraw_sign_off(locality, criterion, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"Withdrew the sign-off of “{criterion.label}”.", "success")
    return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))


@bp.route(
    "/localities/<slug>/exceptions/<int:criterion_id>",
    methods=["GET", "POST"],
    endpoint="exception",
)
@requires("manage_gate")
def set_exception(programme_slug: str, slug: str, criterion_id: int):
    locality = _locality(programme_slug, slug)
    criterion = _criterion(locality.programme, criterion_id)
    current = next(
        (e for e in gate_exceptions.exceptions(locality) if e.criterion_id == criterion.id), None
    )
    form = ExceptionForm(obj=current)
    if form.validate_on_submit():
        try:
            gate_exceptions.set_exception(
                locality,
                criterion,
                form.reason.data,
                current_user,
                threshold=form.threshold.data,
                waived=form.waived.data,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Saved the exception for {locality.name}.", "success")
            return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))
    return render_form(
        "readiness/exception.html",
        form=form,
        locality=locality,
        programme=locality.programme,
        criterion=criterion,
        current=current,
    )


@bp.route("/localities/<slug>/exceptions/<int:criterion_id>/clear", methods=["POST"])
@requires("manage_gate")
def clear_exception(programme_slug: str, slug: str, criterion_id: int):
    locality = _locality(programme_slug, slug)
    criterion = _criterion(locality.programme, criterion_id)
    try:
        gate_exceptions.clear_exception(locality, criterion, current_user)
    except NotFound:
        abort(404)
    flash(
        f"{locality.name} is back to the programme's threshold for “{criterion.label}”.", "success"
    )
    return redirect(url_for(".locality", programme_slug=programme_slug, slug=slug))


# --- The gate's settings ----------------------------------------------------------------------


@bp.route("/readiness/gate")
@requires("view")
def gate(programme_slug: str):
    return _gate_page(_programme(programme_slug))


def _signer_choices(programme, criteria) -> list:
    """Who a manual check may name as its signer: the programme's active members, and whoever a
    check names now (so saving does not silently change it)."""
    people = [user for user, _role in active_members(programme.id)]
    named = [c.signer for c in criteria if c.signer is not None and c.signer not in people]
    return sorted([*people, *dict.fromkeys(named)], key=lambda user: (user.name, user.id))


def _gate_page(programme, failed=None, errors=(), status=200):
    """The gate's criteria, each threshold in its own form; `failed` is (criterion, form) for a
    submission that was refused, shown with its `errors` in the error summary and beside its
    field (a done-or-not criterion has no threshold field to point at)."""
    criteria = gate_criteria.criteria(programme)
    forms = {
        criterion.id: ThresholdForm(
            formdata=None, threshold=criterion.threshold, version=criterion.version
        )
        for criterion in criteria
    }
    failed_id = None
    if failed is not None:
        criterion, form = failed
        forms[criterion.id] = form
        if CriterionKind(criterion.kind) not in ALL_OR_NOTHING:
            failed_id = criterion.id
    return (
        render_template(
            "readiness/gate.html",
            programme=programme,
            criteria=criteria,
            forms=forms,
            failed_id=failed_id,
            errors=list(errors),
            people=_signer_choices(programme, criteria),
            courses={course.key: course.name for course in catalogue.list_courses(programme)},
            rule_offer=rule_as_written.offer(programme),
        ),
        status,
    )


@bp.route("/readiness/gate/<int:criterion_id>/threshold", methods=["POST"])
@requires("manage_gate")
def threshold(programme_slug: str, criterion_id: int):
    programme = _programme(programme_slug)
    criterion = _criterion(programme, criterion_id)
    form = ThresholdForm()
    if not form.validate_on_submit():
        errors = form.threshold.errors or ["The form expired. Reload the page and try again."]
        return _gate_page(programme, (criterion, form), errors, 400)
    version = whole_number(form.version.data)
    try:
        changed = gate_criteria.set_threshold(criterion, form.threshold.data, current_user, version)
    except ServiceError as error:
        status = 409 if isinstance(error, Conflict) else 400
        return _gate_page(programme, (criterion, form), [error.message], status)
    message = f"“{criterion.label}” now needs {percent(criterion.threshold)}."
    flash(message if changed else "Nothing changed.", "success")
    return redirect(url_for(".gate", programme_slug=programme_slug, _anchor=f"c-{criterion.key}"))


@bp.route("/readiness/gate/<int:criterion_id>/signer", methods=["POST"])
@requires("manage_gate")
def signer(programme_slug: str, criterion_id: int):
    programme = _programme(programme_slug)
    criterion = _criterion(programme, criterion_id)
    try:
        changed = gate_criteria.set_signer(
            criterion, request.form.get("signer_email", ""), current_user
        )
    except ServiceError as error:
        flash(error.message, "error")
    else:
        who = criterion.signer.name
        flash(f"{who} now signs off “{criterion.label}”." if changed else "Nothing changed.")
    return redirect(url_for(".gate", programme_slug=programme_slug, _anchor=f"c-{criterion.key}"))


@bp.route("/readiness/gate/new", methods=["GET", "POST"])
@requires("manage_gate")
def new_criterion(programme_slug: str):
    programme = _programme(programme_slug)
    form = CriterionForm()
    form.workstream_id.choices = select_choices(
        [("", "Choose a workstream"), *((str(w.id), w.name) for w in programme.workstreams)]
    )
    form.signer_email.choices = owner_choices("Choose a person")
    form.courses.choices = select_choices(
        (course.key, course.name) for course in catalogue.list_courses(programme)
    )
    if form.validate_on_submit():
        try:
            criterion = gate_criteria.add_criterion(
                programme,
                gate_criteria.NewCriterion(
                    kind=form.kind.data,
                    label=form.label.data,
                    threshold=form.threshold.data,
                    milestone_title=form.milestone_title.data,
                    workstream_id=form.workstream_id.data,
                    signer_email=form.signer_email.data,
                    courses=form.courses.data,
                ),
                current_user,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Added “{criterion.label}” to the go-live gate.", "success")
            return redirect(url_for(".gate", programme_slug=programme_slug))
    return render_form(
        "readiness/new_criterion.html",
        form=form,
        programme=programme,
        kinds=[kind.value for kind in CriterionKind],
    )


@bp.route("/readiness/gate/<int:criterion_id>/remove", methods=["POST"])
@requires("manage_gate")
def remove_criterion(programme_slug: str, criterion_id: int):
    programme = _programme(programme_slug)
    criterion = _criterion(programme, criterion_id)
    try:
        gate_criteria.remove_criterion(criterion, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"Removed “{criterion.label}” from the go-live gate.", "success")
    return redirect(url_for(".gate", programme_slug=programme_slug))


@bp.route("/readiness/gate/rule-as-written", methods=["POST"])
@requires("manage_gate")
def use_rule_as_written(programme_slug: str):
    programme = _programme(programme_slug)
    rule = rule_as_written.use_rule_as_written(programme, current_user)
    if rule is None:
        flash("Nothing changed: the gate already follows the rule as written.")
    else:
        flash(f"The gate now follows the rule as written: “{rule.new.label}”.", "success")
    return redirect(url_for(".gate", programme_slug=programme_slug))


# The go-live confirmation's routes join this blueprint.
from programme.views import go_live_confirmation  # noqa: E402, F401
