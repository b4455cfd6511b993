"""Programme membership forms: adding an existing user, inviting a new person, changing a
member's role, and (for administrators) adding a user to a programme."""

from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from programme.domain.permissions import MEMBER_ROLES, ROLES
from programme.forms.base import BaseForm, select_choices

MEMBER_ROLE_CHOICES = select_choices((role, ROLES[role]) for role in MEMBER_ROLES)


def _role(label: str = "Role in this programme") -> SelectField:
    # Least privilege unless someone chooses more: a slip adds a viewer, not a manager.
    return SelectField(label, choices=MEMBER_ROLE_CHOICES, default="viewer")


class AddMemberForm(BaseForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter the e-mail address of someone who has an account."),
                    Length(max=254)],
        description="Someone who already has an account. To add someone new, invite them.",
    )  # fmt: skip
    role = _role()


class InviteMemberForm(BaseForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter an e-mail address."), Length(max=254)],
        description="We will e-mail an invitation to this address, with a link to choose a "
        "password. The link works once, for 7 days.",
    )
    role = _role()


class MemberRoleForm(BaseForm):
    role = _role()


class AddMembershipForm(BaseForm):
    """An administrator adds a user to a programme from the user's page."""

    programme = SelectField("Programme", choices=[])
    member_role = _role("Role in that programme")
