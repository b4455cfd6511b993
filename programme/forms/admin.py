from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from programme.domain.permissions import ROLES
from programme.forms.base import BaseForm, select_choices

ROLE_CHOICES = select_choices(ROLES.items())


class NewUserForm(BaseForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter an e-mail address."), Length(max=254)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired("Enter a password.")],
        description="At least 12 characters. Three random words make a good one.",
        render_kw={"autocomplete": "new-password"},
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
