"""Forms for partner organisations: adding or changing one, and merging two."""

from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from programme.domain.organisations import CONTACT_LENGTH, NAME_LENGTH
from programme.forms.base import BaseForm


class OrganisationForm(BaseForm):
    version = HiddenField()
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the organisation's name."),
            Length(max=NAME_LENGTH, message=f"The name must be {NAME_LENGTH} characters or fewer."),
        ],
        description="As the organisation calls itself, for example Westshire County Council.",
    )
    type = SelectField(
        "Type",
        choices=[],
        description="What kind of partner it is. Its posts count under this type.",
    )
    other_names = TextAreaField(
        "Other names spreadsheets use",
        validators=[Length(max=5000)],
        description="One per line, for example HMPPS. Imports match them by their words, "
        "ignoring case, punctuation, word order and plurals. A new name keeps the old one here.",
    )
    agreement_signed_on = DateField(
        "Partnership agreement signed",
        validators=[Optional()],
        description="The date the partnership agreement was signed, if it has been.",
    )
    contact = StringField(
        "Contact",
        validators=[
            Length(
                max=CONTACT_LENGTH,
                message=f"The contact must be {CONTACT_LENGTH} characters or fewer.",
            )
        ],
        description="The name or e-mail address of the partner's contact for the programme.",
    )


class MergeForm(BaseForm):
    into = SelectField("Merge it into", coerce=int, choices=[], validate_choice=False)
