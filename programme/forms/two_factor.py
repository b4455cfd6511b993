from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from programme.forms.base import BaseForm

CODE_HINT = "The 6-digit code your authenticator app shows now."


def code_field(label: str = "Code", hint: str = CODE_HINT) -> StringField:
    return StringField(
        label,
        validators=[DataRequired("Enter the code."), Length(max=40)],
        description=hint,
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"},
    )


def password_field() -> PasswordField:
    return PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class SignInCodeForm(BaseForm):
    code = code_field(
        "Code from your authenticator app",
        "Enter the 6-digit code your app shows now, or one of your recovery codes.",
    )


class SetUpForm(BaseForm):
    code = code_field()


class TurnOffForm(BaseForm):
    password = password_field()
    code = code_field(hint="The 6-digit code your app shows now, or one of your recovery codes.")


class PasswordForm(BaseForm):
    password = password_field()
