from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from programme.domain.permissions import ROLES
from programme.forms.base import BaseForm, select_choices
from programme.forms.recruitment import MultiCheckboxField

ROLE_CHOICES = select_choices(ROLES.items())


class NewUserForm(BaseForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter an e-mail address."), Length(max=254)],
        description="We will e-mail an invitation to this address, with a link to choose a "
        "password. The link works once, for 7 days.",
    )
    role = SelectField(
        "Role",
        choices=ROLE_CHOICES,
        description="Administrators see and manage every programme. Anyone else holds this role "
        "in each programme ticked below.",
    )
    programmes = MultiCheckboxField(
        "Programmes to join",
        choices=[],
        description="Not for administrators. Leave all unticked to add the programmes later.",
    )


class RoleForm(BaseForm):
    role = SelectField(
        "Account role",
        choices=ROLE_CHOICES,
        description="Administrator: sees and manages every programme. Any other role is the role "
        "offered when they join a programme; what they may do in each programme is their role "
        "there, below.",
    )
