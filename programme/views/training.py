"""Training: shares trained and costs, the schedule of sessions, a session's register and
enrolment, each locality's completion matrix, and adding staff to a team."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import can, requires
from programme.clock import today
from programme.domain.formatting import long_date, person
from programme.domain.numbers import whole_number
from programme.domain.permissions import role_label
from programme.domain.training import ATTENDANCE_LABELS, ATTENDANCE_STATUSES, CRITERIA
from programme.forms.base import select_choices
from programme.forms.training import EnrolForm, SessionForm, StaffForm
from programme.services import localities, memberships, programmes, users
from programme.services.errors import ServiceError
from programme.services.exports.training_tables import matrix_table, sessions_table, staff_table
from programme.services.recruitment.posts import get_team
from programme.services.training import (
    catalogue,
    completion,
    register_versions,
    registers,
    schedule,
    staff_members,
)
from programme.services.training.schedule import trainer_candidates
from programme.views.common import or_404, render_form
from programme.views.downloads import requested_format, send_table

bp = Blueprint("training", __name__, url_prefix="/programmes/<programme_slug>")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _locality(programme_slug: str, slug: str):
    return or_404(lambda: localities.get_locality(programme_slug, slug))


def _session(programme_slug: str, session_id: int):
    programme = _programme(programme_slug)
    return programme, or_404(lambda: schedule.get_session(programme, session_id))


@bp.route("/training")
@requires("view")
def overview(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "training/overview.html",
        programme=programme,
        summary=completion.programme_training(programme, today(), today()),
        criteria=CRITERIA,
        attendance_labels=ATTENDANCE_LABELS,
    )


@bp.route("/training/sessions")
@requires("view")
def sessions(programme_slug: str):
    programme = _programme(programme_slug)
    sessions = schedule.schedule(programme, today())
    if fmt := requested_format():
        return send_table(
            sessions_table(sessions, today()),
            f"{programme.slug}-training-sessions",
            fmt,
            programme_name=programme.name,
            name="Training sessions",
        )
    return render_template(
        "training/sessions.html", programme=programme, schedule=sessions, today=today()
    )


def _module_choices(courses) -> list[tuple[str, str]]:
    return [
        (f"{course.key}:{module.number}", f"{course.name} — module {module.number}: {module.title}")
        for course in courses
        for module in course.modules
    ]


def trainer_choices(programme_id: int, current=None) -> list:
    """The Trainer field's choices: the programme's active trainers and programme managers. A
    session's current trainer stays on the list, marked, once deactivated, given another role or
    no longer a member, so saving another change does not silently drop them."""
    people = [
        (user.email, person(user.name, role_label(role)))
        for user, role in trainer_candidates(programme_id)
    ]
    if current is not None and current.email not in {email for email, _label in people}:
        if not current.active:
            note = "deactivated"
        elif (role := memberships.role_in(current, programme_id)) is None:
            note = "not a member"
        else:
            note = f"{role_label(role)}, not a trainer now"
        people.append((current.email, person(current.name, note)))
    return select_choices([("", "No trainer yet"), *people])


@bp.route("/training/sessions/new", methods=["GET", "POST"])
@requires("manage_training")
def new_session(programme_slug: str):
    programme = _programme(programme_slug)
    courses = catalogue.list_courses(programme)
    form = SessionForm()
    form.module.choices = select_choices(
        [("", "Choose a course and module"), *_module_choices(courses)]
    )
    form.trainer.choices = trainer_choices(programme.id)
    if not form.is_submitted():
        capacities = {course.capacity for course in courses}
        form.capacity.data = capacities.pop() if len(capacities) == 1 else None
        if can(current_user, "run_sessions"):
            form.trainer.data = current_user.email
    if form.validate_on_submit():
        key, number = form.module_choice()
        try:
            session = schedule.create_session(
                catalogue.get_course(programme, key),
                number,
                form.on.data,
                current_user,
                trainer=users.find_user(form.trainer.data) if form.trainer.data else None,
                capacity=form.capacity.data,
                venue=form.venue.data or "",
                starts_at=form.starts_at.data,
                cost_pence=form.cost_pence(),
            )
        except ServiceError as error:
            form.add_service_error(
                "module" if error.field == "course" else error.field, error.message
            )
        else:
            flash(
                f"Scheduled {session.course.name}, module {session.module.number}, "
                f"on {long_date(session.on)}.",
                "success",
            )
            return redirect(
                url_for(".session", programme_slug=programme.slug, session_id=session.id)
            )
    return render_form("training/new_session.html", form=form, programme=programme)


def _session_page(
    programme, session, enrol_form: EnrolForm | None = None, register: "RegisterState | None" = None
):
    places = registers.register(session)
    register_open = session.on <= today()
    wants_candidates = can(current_user, "manage_training") or (
        register_open and can(current_user, "record_attendance")
    )
    enrol_form = enrol_form or EnrolForm(formdata=None)
    chooser = training_enrolment.page_picker(session, enrol_form) if wants_candidates else None
    summary = schedule.SessionSummary(
        session, len(places), sum(1 for place in places if place.status)
    )
    return render_template(
        "training/session.html",
        programme=programme,
        session=session,
        summary=summary,
        places=places,
        register_open=register_open,
        candidates=chooser.candidates if chooser else [],
        picker=chooser,
        enrol_form=enrol_form,
        statuses=ATTENDANCE_STATUSES,
        attendance_labels=ATTENDANCE_LABELS,
        today=today(),
        register=register or RegisterState(),
        # The marks the register form was opened with: kept through a re-shown form (its own
        # problems, "mark everyone present"); after a stale save, the marks recorded now.
        register_seen=register_versions.seen_token(places)
        if register is None or register.seen is None
        else register.seen,
    ), _session_status(enrol_form, register)


def _session_status(enrol_form, register: "RegisterState | None") -> int:
    if register and register.changes:
        return 409
    return 400 if enrol_form.errors or (register and register.problems) else 200


@bp.route("/training/sessions/<int:session_id>")
@requires("view")
def session(programme_slug: str, session_id: int):
    programme, session = _session(programme_slug, session_id)
    return _session_page(programme, session)


@dataclass(frozen=True)
class RegisterState:
    """The register form as the page shows it: the marks (None: as recorded), the problems
    (each a message and the field it links to), a notice of what was done but not saved, and
    the walk-ins chosen (for the walk-in picker to show chosen again), the marks the form was
    opened with (None: as recorded now) and, after a stale save, whose marks changed since."""

    marks: dict[int, str] | None = None
    problems: tuple[dict[str, str], ...] = ()
    notice: str | None = None
    unmarked: frozenset[int] = frozenset()
    walk_ins: frozenset[int] = frozenset()
    seen: str | None = None
    changes: tuple[register_versions.MarkChange, ...] = ()


@bp.route("/training/sessions/<int:session_id>/register", methods=["POST"])
@requires("record_attendance")
def save_register(programme_slug: str, session_id: int):
    """Save the register; "Mark everyone present" (a second submit button) only shows it again
    with everyone unmarked set to present; anyone left unmarked refuses the save, naming them."""
    programme, session = _session(programme_slug, session_id)
    marks = {
        place.staff_id: request.form[f"mark-{place.staff_id}"]
        for place in registers.register(session)
        if request.form.get(f"mark-{place.staff_id}")
    }
    walk_ins = [
        number
        for value in request.form.getlist("walk_ins")
        if (number := whole_number(value)) is not None
    ]
    seen = request.form.get("register_seen")  # absent (an older page): not checked
    if request.form.get("action") == "mark_all" and session.on <= today():
        filled = registers.mark_everyone_present(session, marks)
        added = sum(1 for staff_id in filled if staff_id not in marks)
        notice = (
            f"{added} {'person' if added == 1 else 'people'} marked present. Nothing is saved "
            "until you save the register."
        )
        state = RegisterState(filled, notice=notice, walk_ins=frozenset(walk_ins), seen=seen)
        return _session_page(programme, session, register=state)
    try:
        changed = registers.save_register(
            session,
            marks,
            current_user,
            today=today(),
            walk_ins=walk_ins,
            everyone=True,
            seen=register_versions.read_token(seen),
        )
    except register_versions.StaleRegister as error:
        # Nothing was saved: the form is shown again with this user's marks, and their save
        # from it now replaces the marks shown as changed (a deliberate overwrite).
        state = RegisterState(
            marks,
            ({"message": error.message, "href": "#register-changes"},),
            walk_ins=frozenset(walk_ins),
            changes=tuple(error.changes),
        )
        return _session_page(programme, session, register=state)
    except registers.Unmarked as error:
        problems = tuple(
            {
                "message": f"Mark the attendance of {person.name}",
                "href": f"#mark-{person.id}-{ATTENDANCE_STATUSES[0].value}",
            }
            for person in error.people
        )
        state = RegisterState(
            marks,
            problems,
            unmarked=frozenset(person.id for person in error.people),
            walk_ins=frozenset(walk_ins),
            seen=seen,
        )
        return _session_page(programme, session, register=state)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            f"Saved the register: {changed} changed." if changed else "Nothing changed.", "success"
        )
    return redirect(
        url_for(
            ".session", programme_slug=programme.slug, session_id=session.id, _anchor="register"
        )
    )


@bp.route("/localities/<slug>/training")
@requires("view")
def locality(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    as_of = today()
    summary = completion.locality_training(locality, as_of)
    if fmt := requested_format("staff"):
        return send_table(
            staff_table(summary, with_email=can(current_user, "import_spreadsheets")),
            f"{locality.slug}-staff",
            fmt,
            programme_name=locality.programme.name,
            name=f"{locality.name} staff",
        )
    if fmt := requested_format("matrix"):
        return send_table(
            matrix_table(summary),
            f"{locality.slug}-training-matrix",
            fmt,
            programme_name=locality.programme.name,
            name=f"{locality.name} training",
        )
    teams = list(zip(summary.groups, summary.matrices, strict=True))
    return render_template(
        "training/locality.html",
        locality=locality,
        programme=locality.programme,
        summary=summary,
        teams=teams,
        today=as_of,
    )


@bp.route("/localities/<slug>/teams/<int:team_id>/staff/new", methods=["GET", "POST"])
@requires("manage_training")
def new_staff(programme_slug: str, slug: str, team_id: int):
    locality = _locality(programme_slug, slug)
    team = or_404(lambda: get_team(locality, team_id))
    form = StaffForm()
    form.role.choices = [(role.id, role.name) for role in locality.programme.roles]
    if form.validate_on_submit():
        try:
            staff = staff_members.create_staff(
                team,
                current_user,
                name=form.name.data,
                email=form.email.data,
                role_id=form.role.data,
                start_date=form.start_date.data,
                leaving_date=form.leaving_date.data,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Added {staff.name} to {team.name}.", "success")
            return redirect(
                url_for(
                    ".locality",
                    programme_slug=programme_slug,
                    slug=slug,
                    _anchor=f"team-{team.id}",
                )
            )
    return render_form(
        "training/new_staff.html",
        form=form,
        team=team,
        locality=locality,
        programme=locality.programme,
    )


# The parts of a trainer's week attach their routes to this blueprint, each in its own module.
from programme.views import (  # noqa: E402, F401
    sign_in_sheets,
    staff_records,
    training_enrolment,
    training_progress,
    training_sessions,
)
