"""A programme's members: the list, adding someone who has an account, inviting someone new,
changing a member's role and removing them (after a confirmation page). Programme managers of
the programme and administrators (`manage_members`).

The change and remove pages also serve an administrator's user page: `?from=user` sends them
back there afterwards.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from programme.auth import requires
from programme.domain.permissions import ROLES, permits
from programme.forms.base import BaseForm
from programme.forms.members import AddMemberForm, InviteMemberForm, MemberRoleForm
from programme.models import Programme
from programme.services import account_mail, membership_admin, memberships, programmes, users
from programme.services.errors import Conflict, ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("members", __name__, url_prefix="/programmes/<programme_slug>/members")


def _programme(programme_slug: str) -> Programme:
    """The programme, if the signed-in user may manage its members: 404 to a non-member."""
    programme = or_404(lambda: programmes.get_programme(programme_slug))
    role = memberships.role_in(current_user, programme.id)
    if role is None:
        abort(404)
    if not permits(role, "manage_members"):
        abort(403)
    return programme


def _list(programme: Programme, add_form=None, status: int = 200):
    page = render_template(
        "members/index.html",
        programme=programme,
        members=membership_admin.members_of(programme),
        form=add_form or AddMemberForm(formdata=None),
    )
    return page, status


def _back(programme: Programme, user_id: int):
    """Where a change or removal goes next: the admin's user page it came from, the members page,
    or, for someone who just gave up managing this programme's members, what they can still see."""
    if request.args.get("from") == "user" and current_user.is_admin:
        return redirect(url_for("admin.edit_user", user_id=user_id))
    role = memberships.role_in(current_user, programme.id)
    if role is None:
        return redirect(url_for("programmes.index"))
    if not permits(role, "manage_members"):
        return redirect(url_for("programmes.overview", slug=programme.slug))
    return redirect(url_for(".index", programme_slug=programme.slug))


@bp.route("")
@requires("manage_members")
def index(programme_slug: str):
    return _list(_programme(programme_slug))


@bp.route("", methods=["POST"])
@requires("manage_members")
def add(programme_slug: str):
    """Add someone who already has an account, by e-mail address."""
    programme = _programme(programme_slug)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            user = users.find_user(form.email.data)
            if user is None:
                raise ServiceError(
                    f"There is no user with the e-mail address {form.email.data}. To add "
                    "someone new, invite them.",
                    "email",
                )
            membership_admin.add_member(user, programme, form.role.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field or "email", error.message)
        else:
            flash(f"Added {user.name} to {programme.name} as {ROLES[form.role.data]}.", "success")
            return redirect(url_for(".index", programme_slug=programme.slug))
    return _list(programme, form, 400)


@bp.route("/invite", methods=["GET", "POST"])
@requires("manage_members")
def invite(programme_slug: str):
    """Invite someone new: an account, a membership of this programme and an e-mailed link."""
    programme = _programme(programme_slug)
    form = InviteMemberForm()
    if form.validate_on_submit():
        try:
            invited = account_mail.invite_new_user(
                form.email.data, form.name.data, form.role.data, current_user, [programme]
            )
        except Conflict as error:
            already = users.find_user(form.email.data) if error.field == "email" else None
            message = error.message
            if already is not None:
                message += " Add them on the members page instead."
            form.add_service_error(error.field, message)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            user, sending = invited.user, invited.sending
            flash(
                f"Added {user.name} to {programme.name} as {ROLES[form.role.data]}. "
                + sending.sentence(),
                "warning" if sending.failed else "success",
            )
            return redirect(url_for(".index", programme_slug=programme.slug))
    return render_form("members/invite.html", form=form, programme=programme)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires("manage_members")
def change(programme_slug: str, user_id: int):
    programme = _programme(programme_slug)
    user = or_404(lambda: users.get_user(user_id))
    member = or_404(lambda: membership_admin.require_membership(user, programme))
    form = MemberRoleForm(obj=member)
    if form.validate_on_submit():
        try:
            membership_admin.change_member_role(user, programme, form.role.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"{user.name} is now {ROLES[form.role.data]} in {programme.name}.", "success")
            return _back(programme, user.id)
    return render_form("members/change.html", form=form, programme=programme, member=member)


@bp.route("/<int:user_id>/remove", methods=["GET", "POST"])
@requires("manage_members")
def remove(programme_slug: str, user_id: int):
    """A confirmation page; the POST removes the member."""
    programme = _programme(programme_slug)
    user = or_404(lambda: users.get_user(user_id))
    member = or_404(lambda: membership_admin.require_membership(user, programme))
    form = BaseForm()
    if form.validate_on_submit():
        try:
            membership_admin.remove_member(user, programme, current_user)
        except ServiceError as error:
            form.add_service_error(None, error.message)
        else:
            flash(f"Removed {user.name} from {programme.name}.", "success")
            return _back(programme, user.id)
    return render_form("members/remove.html", form=form, programme=programme, member=member)
