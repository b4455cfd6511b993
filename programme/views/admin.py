"""Administering users: add (by e-mailed invitation), resend an invitation, change role,
deactivate and reactivate."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from programme.auth import requires
from programme.forms.admin import NewUserForm, RoleForm
from programme.forms.base import BaseForm
from programme.services import account_mail, users
from programme.services.errors import NotFound, ServiceError
from programme.views.common import or_404, render_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires("manage_users")
def user_list():
    return render_template("admin/users.html", users=users.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@requires("manage_users")
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            invited = account_mail.invite_new_user(
                form.email.data, form.name.data, form.role.data, current_user
            )
        except ServiceError as error:
            form.add_service_error(error.field, error.message)
        else:
            user, sending = invited.user, invited.sending
            flash(
                f"Added {user.name} as {user.role_label}. {sending.sentence()}",
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
            flash(f"{user.name} is now {user.role_label}.", "success")
            return redirect(url_for(".user_list"))
    return render_form("admin/edit_user.html", user=user, form=form)


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
