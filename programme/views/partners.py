"""Partner contributions: each partner organisation's pledges by financial year, what it has
paid and the posts of its that are filled; adding, changing and removing pledges."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.financial_years import parse_year, year_label
from programme.domain.formatting import money
from programme.domain.money import parse_pounds
from programme.domain.numbers import whole_number
from programme.forms.partner_pledges import PledgeForm
from programme.forms.recruitment import ConfirmForm
from programme.services import organisations, partner_pledges, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.views.common import or_404, render_form

bp = Blueprint("partners", __name__, url_prefix="/programmes/<programme_slug>/finance/partners")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _pledge(programme, pledge_id: int):
    return or_404(lambda: partner_pledges.get_pledge(programme, pledge_id))


def _index(programme) -> str:
    return url_for(".index", programme_slug=programme.slug)


@bp.route("")
@requires("view")
def index(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "partners/index.html",
        programme=programme,
        standings=partner_pledges.partner_standings(programme, today()),
        year_label=year_label,
        type_label=organisations.type_label,
    )


def _form(programme, pledge=None) -> PledgeForm:
    form = PledgeForm()
    form.organisation_id.choices = [
        (o.id, o.name) for o in organisations.organisations_of(programme)
    ]
    if pledge is not None and not form.is_submitted():
        form.organisation_id.data = pledge.organisation_id
        form.financial_year.data = year_label(pledge.financial_year)
        form.pledged.data = _pounds(pledge.pledged_pence)
        form.posts_pledged.data = pledge.posts_pledged
        form.received.data = _pounds(pledge.received_pence)
        form.note.data = pledge.note
        form.version.data = str(pledge.version)
    return form


def _pounds(pence: int | None) -> str:
    """An amount as the form shows it to be changed ("£85,000"), or blank for none."""
    return "" if pence is None else money(pence)


def _values(form: PledgeForm) -> dict | None:
    """The form's values for the service, or None when a field could not be read (its error
    is then on the form)."""
    ok = True
    year = parse_year(form.financial_year.data or "")
    if year is None:
        form.add_service_error("financial_year", "Enter the financial year, such as 2025/26.")
        ok = False
    amounts = {}
    for name, words in (("pledged", "money pledged"), ("received", "money received")):
        text = (getattr(form, name).data or "").strip()
        amounts[name] = parse_pounds(text, shorthand=True) if text else None
        if text and amounts[name] is None:
            form.add_service_error(
                name, f"Enter the {words} in pounds, such as 85,000 or 1,500.50."
            )
            ok = False
    if not ok:
        return None
    return {
        "organisation_id": form.organisation_id.data,
        "financial_year": year,
        "pledged_pence": amounts["pledged"],
        "posts_pledged": form.posts_pledged.data,
        "received_pence": amounts["received"],
        "note": form.note.data or "",
    }


def _version(form) -> int:
    version = whole_number(str(form.version.data or ""))
    return -1 if version is None else version


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_finance")
def new(programme_slug: str):
    programme = _programme(programme_slug)
    form = _form(programme)
    if form.validate_on_submit() and (values := _values(form)) is not None:
        try:
            pledge = partner_pledges.create_pledge(programme, current_user, **values)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Recorded the pledge of {partner_pledges.describe(pledge)}.", "success")
            return redirect(_index(programme))
    return render_form(
        "partners/form.html",
        form=form,
        programme=programme,
        pledge=None,
        stale=False,
        year_label=year_label,
    )


@bp.route("/<int:pledge_id>/edit", methods=["GET", "POST"])
@requires("manage_finance")
def edit(programme_slug: str, pledge_id: int):
    programme = _programme(programme_slug)
    pledge = _pledge(programme, pledge_id)
    form = _form(programme, pledge)
    stale = False
    if form.validate_on_submit() and (values := _values(form)) is not None:
        try:
            changed = partner_pledges.update_pledge(
                pledge, current_user, expected_version=_version(form), **values
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            pledge = _pledge(programme, pledge_id)
            form.version.data = str(pledge.version)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Saved the pledge of {partner_pledges.describe(pledge)}."
                if changed
                else "Nothing changed.",
                "success",
            )
            return redirect(_index(programme))
    page, status = render_form(
        "partners/form.html",
        form=form,
        programme=programme,
        pledge=pledge,
        stale=stale,
        year_label=year_label,
    )
    return page, 409 if stale else status


@bp.route("/<int:pledge_id>/delete", methods=["GET", "POST"])
@requires("manage_finance")
def delete(programme_slug: str, pledge_id: int):
    """GET asks to confirm; only the POST from that page removes the pledge. The page carries
    the version it showed: a pledge changed since is not removed unseen (409)."""
    programme = _programme(programme_slug)
    pledge = _pledge(programme, pledge_id)
    form = ConfirmForm()
    error, status = None, 200
    if form.validate_on_submit():
        label = partner_pledges.describe(pledge)
        version = whole_number(request.form.get("version", ""))
        if version is None:
            error, status = "The form was incomplete. Reload the page and try again.", 400
        else:
            try:
                partner_pledges.delete_pledge(pledge, current_user, expected_version=version)
            except StaleEdit as stale:
                error, status = stale.message, 409
                pledge = _pledge(programme, pledge_id)
            else:
                flash(f"Removed the pledge of {label}.", "success")
                return redirect(_index(programme))
    page = render_template(
        "partners/delete.html",
        programme=programme,
        pledge=pledge,
        error=error,
        year_label=year_label,
    )
    return page, status
