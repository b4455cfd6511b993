"""The form for a group supervision session."""

from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from programme.domain.supervision import ACTIONS_LENGTH
from programme.forms.base import BaseForm


class SupervisionForm(BaseForm):
    version = HiddenField()
    held_on = DateField(
        "Held on",
        validators=[Optional()],
        description="The date of the session, for example 27 11 2026. Not a date to come.",
    )
    # Text, read by the service, so "three" or "-1" is refused with a sentence saying why.
    families_discussed = StringField(
        "Families discussed",
        validators=[Length(max=10)],
        description="How many families the team discussed, 0 if none.",
    )
    psychologist_present = BooleanField("A psychologist was present")
    actions = TextAreaField(
        "Actions agreed by the team manager",
        validators=[Length(max=ACTIONS_LENGTH)],
        description="What the team agreed to do, in a few lines. Do not name families, children "
        "or adults: write “family A” or the case reference your team uses.",
    )


class RemoveSessionForm(BaseForm):
    """The confirmation that removes a session, at the version the page showed."""

    version = HiddenField()
