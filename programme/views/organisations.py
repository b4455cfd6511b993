"""Partner organisations: the list with what each employs, adding, changing and merging them."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.numbers import whole_number
from programme.forms.base import select_choices
from programme.forms.organisations import MergeForm, OrganisationForm
from programme.forms.recruitment import ConfirmForm
from programme.services import organisation_merge, organisations, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.services.organisation_summaries import organisation_summaries
from programme.services.recruitment.roles import agencies
from programme.views.common import or_404, render_form

bp = Blueprint("organisations", __name__, url_prefix="/programmes/<programme_slug>/organisations")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _organisation(programme, organisation_id: int):
    return or_404(lambda: organisations.get_organisation(programme, organisation_id))


def _index(programme) -> str:
    return url_for(".index", programme_slug=programme.slug)


@bp.route("")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "organisations/index.html",
        programme=programme,
        summaries=organisation_summaries(programme, today()),
        type_label=organisations.type_label,
    )


def _form(organisation=None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation)
    form.type.choices = select_choices(agencies().items())
    if organisation is not None and not form.is_submitted():
        form.other_names.data = "\n".join(organisation.names)
        form.version.data = str(organisation.version)
    return form


def _values(form: OrganisationForm) -> dict:
    return {
        "name": form.name.data,
        "type": form.type.data,
        "names": (form.other_names.data or "").splitlines(),
        "agreement_signed_on": form.agreement_signed_on.data,
        "contact": form.contact.data or "",
    }


def _field(name: str | None) -> str | None:
    return "other_names" if name == "names" else name


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_organisations")
def new(programme_slug: str):
    programme = _programme(programme_slug)
    form = _form()
    if form.validate_on_submit():
        values = _values(form)
        try:
            added = organisations.create_organisation(
                programme, values.pop("name"), values.pop("type"), current_user, **values
            )
        except ServiceError as error:
            form.add_service_error(_field(error.field), error.message)
        else:
            flash(f"Added {added.name}.", "success")
            return redirect(_index(programme))
    return render_form(
        "organisations/form.html", form=form, programme=programme, organisation=None, stale=False
    )


def _version(form: OrganisationForm) -> int:
    """The version the form was opened at; anything unreadable counts as stale."""
    value = str(form.version.data or "")
    version = whole_number(value)
    return -1 if version is None else version


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires("manage_organisations")
def edit(programme_slug: str, organisation_id: int):
    programme = _programme(programme_slug)
    organisation = _organisation(programme, organisation_id)
    form = _form(organisation)
    stale = False
    if form.validate_on_submit():
        try:
            changed = organisations.update_organisation(
                organisation, current_user, **_values(form), expected_version=_version(form)
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            organisation = _organisation(programme, organisation_id)
            # Saving again after reviewing the current values is a deliberate overwrite.
            form.version.data = str(organisation.version)
        except ServiceError as error:
            form.add_service_error(_field(error.field), error.message)
        else:
            flash(f"Saved {organisation.name}." if changed else "Nothing changed.", "success")
            return redirect(_index(programme))
    page, status = render_form(
        "organisations/form.html",
        form=form,
        programme=programme,
        organisation=organisation,
        stale=stale,
        type_label=organisations.type_label,
    )
    return page, 409 if stale else status


@bp.route("/<int:organisation_id>/merge", methods=["GET", "POST"])
@requires("manage_organisations")
def merge(programme_slug: str, organisation_id: int):
    """Choose the organisation to merge this one into; the next page says what will move."""
    programme = _programme(programme_slug)
    source = _organisation(programme, organisation_id)
    form = MergeForm()
    others = [o for o in organisations.organisations_of(programme) if o.id != source.id]
    form.into.choices = [(o.id, f"{o.name} ({organisations.type_label(o.type)})") for o in others]
    if form.validate_on_submit():
        if form.into.data in {o.id for o in others}:
            return redirect(
                url_for(
                    ".confirm_merge",
                    programme_slug=programme.slug,
                    organisation_id=source.id,
                    into_id=form.into.data,
                )
            )
        form.add_service_error("into", "Choose the organisation to merge it into.")
    return render_form(
        "organisations/merge.html", form=form, programme=programme, source=source, others=others
    )


@bp.route("/<int:organisation_id>/merge/<int:into_id>", methods=["GET", "POST"])
@requires("manage_organisations")
def confirm_merge(programme_slug: str, organisation_id: int, into_id: int):
    """What merging will move, and the button that does it."""
    programme = _programme(programme_slug)
    source = _organisation(programme, organisation_id)
    into = _organisation(programme, into_id)
    form = ConfirmForm()
    try:
        outline = organisation_merge.merge_outline(source, into)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(_index(programme))
    if form.validate_on_submit():
        name, into_name = source.name, into.name  # the source is gone once merged
        try:
            done = organisation_merge.merge_organisations(source, into, current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Merged {name} into {into_name}: {done.moves} moved.", "success")
        return redirect(_index(programme))
    return render_template(
        "organisations/confirm_merge.html",
        programme=programme,
        outline=outline,
        form=form,
    )
