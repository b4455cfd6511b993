from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, StopValidation

from programme.domain.api_tokens import NAME_MAX, name_problem
from programme.forms.auth import confirm_password_field, new_password_field
from programme.forms.base import BaseForm


def _token_name(_form, field) -> None:
    problem = name_problem(field.data or "")
    if problem:
        raise StopValidation(problem)


class NewTokenForm(BaseForm):
    name = StringField(
        "Token name",
        validators=[_token_name, Length(max=NAME_MAX)],
        description="Say what will use it, so you know which token to revoke later.",
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = confirm_password_field()
