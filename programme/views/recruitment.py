"""Recruitment: the programme's and each locality's posts and post edits. Roles and what counts
as recruited are in `roles.py`."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.clock import today
from programme.domain.formatting import count
from programme.domain.numbers import whole_number
from programme.domain.recruitment import POST_STATUSES
from programme.forms.base import select_choices
from programme.forms.recruitment import (
    ConfirmForm,
    EstablishmentForm,
    PostFilterForm,
    PostForm,
)
from programme.services import localities, organisations, programmes
from programme.services.errors import ServiceError, StaleEdit
from programme.services.exports.recruitment_tables import (
    locality_posts_table,
    programme_shares_table,
)
from programme.services.organisations import type_label
from programme.services.recruitment import establishments, posts
from programme.services.recruitment.overview import (
    PostFilters,
    locality_recruitment,
    programme_recruitment,
)
from programme.services.recruitment.roles import (
    agencies,
    agency_label,
)
from programme.views.common import or_404, render_form
from programme.views.downloads import requested_format, send_table

bp = Blueprint("recruitment", __name__, url_prefix="/programmes/<programme_slug>")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _locality(programme_slug: str, slug: str):
    return or_404(lambda: localities.get_locality(programme_slug, slug))


@bp.route("/recruitment")
@requires("view")
def overview(programme_slug: str):
    programme = _programme(programme_slug)
    summary = programme_recruitment(programme, today())
    if fmt := requested_format():
        return send_table(
            programme_shares_table(summary),
            f"{programme.slug}-recruitment",
            fmt,
            programme_name=programme.name,
            name="Adult specialists recruited",
        )
    return render_template("recruitment/overview.html", programme=programme, summary=summary)


def _filters(form: PostFilterForm, programme) -> PostFilters:
    form.role.choices = select_choices(
        [("", "All roles"), *((str(role.id), role.name) for role in programme.roles)]
    )
    form.status.choices = select_choices(
        [("", "All statuses"), *((status.value, status.label) for status in POST_STATUSES)]
    )
    form.organisation.choices = select_choices(
        [("", "All organisations")]
        + [(str(o.id), o.name) for o in organisations.organisations_of(programme)]
    )
    form.type.choices = select_choices([("", "All types"), *agencies().items()])
    role = form.role.data or ""
    status = form.status.data or ""
    employer = form.organisation.data or ""
    kind = form.type.data or ""
    return PostFilters(
        role_id=whole_number(role),
        status=status if status in {s.value for s in POST_STATUSES} else None,
        organisation_id=whole_number(employer),
        type=kind if kind in agencies() else None,
    )


@bp.route("/localities/<slug>/recruitment")
@requires("view")
def locality(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    form = PostFilterForm(request.args)
    filters = _filters(form, locality.programme)
    result = locality_recruitment(locality, filters, today())
    if fmt := requested_format():
        return _posts_download(locality, result, fmt)
    establishment = EstablishmentForm()
    establishment.template.choices = _template_choices(locality.programme)
    return render_template(
        "recruitment/locality.html",
        locality=locality,
        programme=locality.programme,
        result=result,
        filters=filters,
        form=form,
        establishment=establishment,
    )


@bp.route("/localities/<slug>/recruitment.csv")
@requires("view")
def locality_csv(programme_slug: str, slug: str):
    locality = _locality(programme_slug, slug)
    filters = _filters(PostFilterForm(request.args), locality.programme)
    return _posts_download(locality, locality_recruitment(locality, filters, today()), "csv")


def _posts_download(locality, result, fmt: str):
    """The posts the page shows under its filters; `recruitment.csv` (the first download, kept
    for links already saved) and `?download=` give the same file."""
    return send_table(
        locality_posts_table(result),
        f"{locality.slug}-posts",
        fmt,
        programme_name=locality.programme.name,
        name=f"{locality.name} posts",
    )


def _template_choices(programme):
    return select_choices(
        (template.key, f"{template.name} ({count(template.post_count, 'post')})")
        for template in programme.establishment_templates
    )


@bp.route("/localities/<slug>/teams/<int:team_id>/establishment", methods=["POST"])
@requires("manage_recruitment")
def apply_establishment(programme_slug: str, slug: str, team_id: int):
    locality = _locality(programme_slug, slug)
    team = or_404(lambda: posts.get_team(locality, team_id))
    form = EstablishmentForm()
    form.template.choices = _template_choices(locality.programme)
    if form.validate_on_submit():
        try:
            added = establishments.apply_establishment(
                team, form.template.data, current_user, today=today()
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"Added {len(added)} posts to {team.name}.", "success")
    else:
        flash("Choose an establishment template.", "error")
    return redirect(
        url_for(".locality", programme_slug=programme_slug, slug=slug, _anchor=f"team-{team.id}")
    )


def _post_form_choices(form: PostForm, programme, post=None) -> None:
    """Roles, and organisations with their type; a new post may take its role's usual one."""
    form.role.choices = [(role.id, role.name) for role in programme.roles]
    employers = [
        (str(o.id), f"{o.name} ({type_label(o.type)})")
        for o in organisations.organisations_of(programme)
    ]
    if post is None:
        employers.insert(0, ("", "The usual employer of the role"))
    form.organisation.choices = select_choices(employers)


def _post_input(form: PostForm) -> posts.PostInput:
    return posts.PostInput(
        role_id=form.role.data,
        organisation_id=int(form.organisation.data) if form.organisation.data else None,
        fte=form.fte.data,
        reference=form.reference.data,
        status=form.status.data,
        holder_name=form.holder_name.data or "",
        holder_email=form.holder_email.data or "",
        start_date=form.start_date.data,
        notes=form.notes.data or "",
    )


@bp.route("/localities/<slug>/teams/<int:team_id>/posts/new", methods=["GET", "POST"])
@requires("manage_recruitment")
def new_post(programme_slug: str, slug: str, team_id: int):
    locality = _locality(programme_slug, slug)
    team = or_404(lambda: posts.get_team(locality, team_id))
    form = PostForm()
    _post_form_choices(form, locality.programme)
    if form.validate_on_submit():
        try:
            post = posts.create_post(team, _post_input(form), current_user, today=today())
        except ServiceError as error:
            form.add_service_error(_field(error.field), error.message)
        else:
            flash(f"Added a {post.role.name} post to {team.name}.", "success")
            return redirect(_back(post))
    return render_form(
        "recruitment/new_post.html",
        form=form,
        team=team,
        locality=locality,
        programme=locality.programme,
    )


def _field(name: str | None) -> str | None:
    return {"role_id": "role", "organisation_id": "organisation"}.get(name, name)


def _back(post) -> str:
    locality = post.team.locality
    return url_for(
        ".locality",
        programme_slug=locality.programme.slug,
        slug=locality.slug,
        _anchor=f"team-{post.team_id}",
    )


def _post(programme_slug: str, post_id: int):
    programme = _programme(programme_slug)
    return or_404(lambda: posts.get_post(programme, post_id))


@bp.route("/posts/<int:post_id>")
@requires("view")
def post(programme_slug: str, post_id: int):
    """A post's details, its dated history through the pipeline and its audit trail."""
    post = _post(programme_slug, post_id)
    return render_template(
        "recruitment/post.html",
        post=post,
        locality=post.team.locality,
        programme=post.team.locality.programme,
        agency_label=agency_label,
        events=posts.post_trail(post),
        back_url=_back(post),
    )


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@requires("manage_recruitment")
def edit_post(programme_slug: str, post_id: int):
    post = _post(programme_slug, post_id)
    form = PostForm(obj=post)
    _post_form_choices(form, post.team.locality.programme, post)
    if not form.is_submitted():
        form.role.data, form.version.data = post.role_id, str(post.version)
        form.organisation.data = str(post.organisation_id)
    stale = False
    if form.validate_on_submit():
        try:
            changed = posts.update_post(
                post,
                _post_input(form),
                current_user,
                today=today(),
                expected_version=_version(form),
            )
        except StaleEdit as error:
            stale = True
            form.add_service_error(None, error.message)
            post = _post(programme_slug, post_id)
            # Resubmitting after reviewing the current values is a deliberate overwrite.
            form.version.data = str(post.version)
        except ServiceError as error:
            form.add_service_error(_field(error.field), error.message)
        else:
            flash(f"Saved the {post.role.name} post." if changed else "Nothing changed.", "success")
            return redirect(url_for(".post", programme_slug=programme_slug, post_id=post.id))
    return render_template(
        "recruitment/edit_post.html",
        post=post,
        locality=post.team.locality,
        programme=post.team.locality.programme,
        form=form,
        stale=stale,
        agency_label=agency_label,
    ), 409 if stale else (400 if form.errors else 200)


def _version(form) -> int:
    return _as_version(form.version.data)


def _as_version(value: str | None) -> int:
    """The version a form was opened at; anything unreadable counts as stale."""
    version = whole_number(value)
    return -1 if version is None else version


@bp.route("/posts/<int:post_id>/freeze", methods=["POST"])
@requires("manage_recruitment")
def freeze(programme_slug: str, post_id: int):
    post = _post(programme_slug, post_id)
    frozen = request.form.get("frozen") == "yes"
    try:
        posts.set_frozen(post, frozen, current_user, _as_version(request.form.get("version")))
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            f"Froze the {post.role.name} post: it no longer counts in the establishment."
            if frozen
            else f"Unfroze the {post.role.name} post: it counts in the establishment again.",
            "success",
        )
    return redirect(url_for(".post", programme_slug=programme_slug, post_id=post_id))


@bp.route("/posts/<int:post_id>/remove", methods=["GET", "POST"])
@requires("manage_recruitment")
def remove(programme_slug: str, post_id: int):
    post = _post(programme_slug, post_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        back = _back(post)
        name, team = post.role.name, post.team.name
        try:
            posts.remove_post(post, current_user, _as_version(request.form.get("version")))
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(url_for(".post", programme_slug=programme_slug, post_id=post_id))
        flash(f"Removed the {name} post from {team}.", "success")
        return redirect(back)
    return render_template(
        "recruitment/remove.html",
        post=post,
        locality=post.team.locality,
        programme=post.team.locality.programme,
        form=form,
    )
