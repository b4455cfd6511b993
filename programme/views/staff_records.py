"""A page per person: their team, role, post, dates and training history, and its edits."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import can, requires
from programme.domain.formatting import listed
from programme.domain.numbers import whole_number
from programme.forms.training import StaffRecordForm
from programme.services.errors import ServiceError, StaleEdit
from programme.services.training import staff_records
from programme.views.common import or_404, render_form
from programme.views.training import _programme, bp


def _person(programme_slug: str, staff_id: int):
    programme = _programme(programme_slug)
    return programme, or_404(lambda: staff_records.get_staff_member(programme, staff_id))


@bp.route("/staff/<int:staff_id>")
@requires("view")
def staff_member(programme_slug: str, staff_id: int):
    programme, person = _person(programme_slug, staff_id)
    return render_template(
        "training/staff_member.html",
        programme=programme,
        person=person,
        history=staff_records.history(person),
        # E-mail addresses are for those who keep the records, as on the staff lists.
        show_email=can(current_user, "edit_staff") or can(current_user, "import_spreadsheets"),
    )


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@requires("edit_staff")
def edit_staff_member(programme_slug: str, staff_id: int):
    programme, person = _person(programme_slug, staff_id)
    form = StaffRecordForm(obj=person)
    form.team.choices = [
        (team.id, f"{team.name}, {team.locality.name}")
        for team in staff_records.team_choices(programme)
    ]
    form.role.choices = [(role.id, role.name) for role in programme.roles]
    if not form.is_submitted():
        form.team.data, form.role.data = person.team_id, person.role_id
        form.version.data = str(person.version)
    if form.validate_on_submit():
        try:
            change = staff_records.update_staff_member(
                person,
                current_user,
                expected_version=_seen_version(form.version.data),
                name=form.name.data,
                email=form.email.data,
                team_id=form.team.data,
                role_id=form.role.data,
                start_date=form.start_date.data,
                leaving_date=form.leaving_date.data,
            )
        except StaleEdit as error:
            form.add_service_error(None, error.message)
            person = staff_records.get_staff_member(programme, staff_id)
            # The form shows the record as it is now; saving again is a deliberate overwrite.
            form = _current(form, person)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            if change.changed:
                flash(f"Saved {person.name}'s {listed(change.changed)}.", "success")
            else:
                flash("Nothing changed.", "success")
            return redirect(
                url_for(".staff_member", programme_slug=programme.slug, staff_id=person.id)
            )
    return render_form(
        "training/edit_staff_member.html", form=form, programme=programme, person=person
    )


def _seen_version(text: str | None) -> int:
    """The version the form was opened at; anything unreadable counts as stale."""
    version = whole_number(text)
    return -1 if version is None else version


def _current(form: StaffRecordForm, person) -> StaffRecordForm:
    """The form refilled with the record's current values (its errors kept)."""
    form.name.data, form.email.data = person.name, person.email
    form.team.data, form.role.data = person.team_id, person.role_id
    form.start_date.data, form.leaving_date.data = person.start_date, person.leaving_date
    for field in (form.name, form.email, form.start_date, form.leaving_date):
        field.raw_data = None
    form.version.data = str(person.version)
    return form
