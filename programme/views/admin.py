"""Administering users: add (by e-mailed invitation, joining programmes), resend an invitation,
change the account's role and the programmes they belong to, deactivate and reactivate."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.domain.formatting import listed
from programme.domain.permissions import INSTANCE_WIDE_ROLES, MEMBER_ROLES, ROLES
from programme.forms.admin import NewUserForm, RoleForm
from programme.forms.base import BaseForm, select_choices
from programme.forms.members import AddMembershipForm
from programme.services import account_mail, membership_admin, programmes, users
from programme.services.errors import NotFound, ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires("manage_users")
def user_list():
    return render_template(
        "admin/users.html",
        users=users.list_users(),
        programme_names=membership_admin.programme_names_by_user(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires("manage_users")
def new_user():
    form = NewUserForm()
    form.programmes.choices = select_choices(
        (programme.slug, programme.name) for programme in programmes.list_programmes()
    )
    if form.validate_on_submit():
        try:
            joined = membership_admin.programmes_named(form.programmes.data or [])
            if joined and form.role.data in INSTANCE_WIDE_ROLES:
                raise ServiceError(
                    "Administrators see every programme and join none: untick the programmes, "
                    "or choose another role.",
                    "programmes",
                )
            invited = account_mail.invite_new_user(
                form.email.data, form.name.data, form.role.data, current_user, joined
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            user, sending = invited.user, invited.sending
            names = listed([programme.name for programme in joined])
            member_of = f", member of {names}" if joined else ""
            flash(
                f"Added {user.name} as {user.role_label}{member_of}. {sending.sentence()}",
                "warning" if sending.failed else "success",
            )
            return redirect(url_for(".user_list"))
    return render_form("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("manage_users")
def edit_user(user_id: int):
    user = or_404(lambda: users.get_user(user_id))
    form = RoleForm(obj=user)
    if form.validate_on_submit():
        try:
            users.change_role(user.id, form.role.data, current_user)
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            flash(f"{user.name}'s account role is now {user.role_label}.", "success")
            return redirect(url_for(".user_list"))
    return _user_page(user, form, _membership_form(user, formdata=None))


def _membership_form(user, **kwargs) -> AddMembershipForm:
    form = AddMembershipForm(**kwargs)
    held = {membership.programme_id for membership in membership_admin.memberships_of(user)}
    form.programme.choices = select_choices(
        (programme.slug, programme.name)
        for programme in programmes.list_programmes()
        if programme.id not in held
    )
    if not form.is_submitted() and user.role in MEMBER_ROLES:
        form.member_role.data = user.role
    return form


def _user_page(user, form, add_form, status: int | None = None):
    page = render_template(
        "admin/edit_user.html",
        user=user,
        form=form,
        add_form=add_form,
        memberships=membership_admin.memberships_of(user),
    )
    return page, status or (400 if form.errors or add_form.errors else 200)


@bp.route("/users/<int:user_id>/memberships", methods=["POST"])
@requires("manage_users")
def add_membership(user_id: int):
    """Add the user to a programme, from their page."""
    user = or_404(lambda: users.get_user(user_id))
    add_form = _membership_form(user)
    if add_form.validate_on_submit():
        try:
            programme = programmes.get_programme(add_form.programme.data)
            membership_admin.add_member(user, programme, add_form.member_role.data, current_user)
        except ServiceError as error:
            add_form.add_service_error("programme", error.message)
        else:
            flash(
                f"Added {user.name} to {programme.name} as {ROLES[add_form.member_role.data]}.",
                "success",
            )
            return redirect(url_for(".edit_user", user_id=user.id))
    return _user_page(user, RoleForm(obj=user, formdata=None), add_form, 400)


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@requires("manage_users")
def set_active(user_id: int, action: str):
    form = BaseForm()
    if form.validate_on_submit():
        try:
            user = users.set_active(user_id, action == "reactivate", current_user)
        except NotFound:
            return or_404(lambda: users.get_user(user_id))
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.name} is {'active again' if user.active else 'deactivated'}.", "success")
    return redirect(url_for(".user_list"))


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@requires("manage_users")
def resend_invitation(user_id: int):
    """A new invitation (the earlier link stops working), for someone who has not joined."""
    form = BaseForm()
    if form.validate_on_submit():
        try:
            invited = account_mail.resend_invitation(user_id, current_user)
        except NotFound:
            return or_404(lambda: users.get_user(user_id))
        except ServiceError as error:
            flash(error.message, "error")
        else:
            sending = invited.sending
            flash(
                f"Sent {invited.user.name} a new invitation: the earlier link no longer works. "
                + sending.sentence(),
                "warning" if sending.failed else "success",
            )
    return redirect(url_for(".user_list"))
