"""Editing a programme's timeline templates."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.forms.base import BaseForm
from programme.forms.templates import TemplateItemForm
from programme.services import programmes, timeline
from programme.services.errors import ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("templates", __name__, url_prefix="/programmes/<programme_slug>/templates")


def _template(programme_slug: str, key: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return programme, or_404(lambda: timeline.get_template(programme, key))


@bp.route("/")
@requires("view")
def index(programme_slug: str):
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    return render_template("templates/index.html", programme=programme)


@bp.route("/<key>")
@requires("view")
def show(programme_slug: str, key: str):
    programme, template = _template(programme_slug, key)
    return render_template("templates/show.html", programme=programme, template=template)


def _save_item(programme, template, item):
    form = TemplateItemForm(obj=item)
    if form.validate_on_submit():
        try:
            timeline.save_template_item(
                template,
                current_user,
                item=item,
                workstream=form.workstream.data,
                title=form.title.data,
                description=form.description.data or "",
                offset_amount=form.offset_amount.data,
                offset_unit=form.offset_unit.data,
                gate_critical=form.gate_critical.data,
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(
                f"Saved “{form.title.data}”. Localities already planned keep their milestones; "
                "apply the template to add new items to them.",
                "success",
            )
            return redirect(url_for(".show", programme_slug=programme.slug, key=template.key))
    return render_form(
        "templates/item.html",
        programme=programme,
        template=template,
        item=item,
        form=form,
        workstreams=[w.name for w in programme.workstreams],
    )


@bp.route("/<key>/items/new", methods=["GET", "POST"])
@requires("manage_programme")
def new_item(programme_slug: str, key: str):
    programme, template = _template(programme_slug, key)
    return _save_item(programme, template, None)


@bp.route("/<key>/items/<int:item_id>/edit", methods=["GET", "POST"])
@requires("manage_programme")
def edit_item(programme_slug: str, key: str, item_id: int):
    programme, template = _template(programme_slug, key)
    item = or_404(lambda: timeline.get_template_item(template, item_id))
    return _save_item(programme, template, item)


@bp.route("/<key>/items/<int:item_id>/remove", methods=["POST"])
@requires("manage_programme")
def remove_item(programme_slug: str, key: str, item_id: int):
    programme, template = _template(programme_slug, key)
    item = or_404(lambda: timeline.get_template_item(template, item_id))
    form = BaseForm()
    if form.validate_on_submit():
        title = item.title
        try:
            timeline.remove_template_item(item, current_user)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(url_for(".show", programme_slug=programme.slug, key=template.key))
        flash(
            f"Removed “{title}” from the template. Milestones already made from it stay.", "success"
        )
    return redirect(url_for(".show", programme_slug=programme.slug, key=template.key))
