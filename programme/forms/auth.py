from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from programme.forms.base import BaseForm

PASSWORD_HINT = "At least 12 characters. Three random words make a good one."


class LoginForm(BaseForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter your e-mail address."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgottenPasswordForm(BaseForm):
    email = EmailField(
        "E-mail address",
        validators=[
            DataRequired("Enter your e-mail address."),
            Length(max=254, message="The e-mail address must be 254 characters or fewer."),
            Email("Enter an e-mail address in the correct format, like name@example.org."),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field() -> PasswordField:
    return PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password."),
            Length(max=256, message="The new password must be 256 characters or fewer."),
        ],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        "Confirm new password",
        validators=[
            DataRequired("Enter your new password again, to confirm it."),
            Length(max=256),
            EqualTo("password", "The passwords do not match: type the same new password twice."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChoosePasswordForm(BaseForm):
    """Choosing a password from an invitation or reset link."""

    password = new_password_field()
    confirm = confirm_password_field()
