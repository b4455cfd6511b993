"""The programme list and each programme's overview."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.forms.programmes import ProgrammeForm
from programme.services import programmes
from programme.services.errors import ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("programmes", __name__)


@bp.route("/")
@requires("view")
def index():
    all_programmes = programmes.list_programmes(current_user)
    if len(all_programmes) == 1:
        return redirect(url_for("programmes.overview", slug=all_programmes[0].slug))
    return render_template("programmes/index.html", programmes=all_programmes)


@bp.route("/programmes/new", methods=["GET", "POST"])
@requires("manage_programme")
def new():
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            programme = programmes.create_programme(form.name.data, form.slug.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"Created {programme.name}.", "success")
            return redirect(url_for("programmes.overview", slug=programme.slug))
    return render_form("programmes/new.html", form=form)


@bp.route("/programmes/<slug>")
@requires("view")
def overview(slug: str):
    programme = or_404(lambda: programmes.get_programme(slug))
    return render_template(
        "programmes/overview.html",
        programme=programme,
        summaries=programmes.overview(programme, today()),
    )
