"""The form for a partner organisation's pledged contribution for one financial year."""

from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from programme.forms.base import BaseForm


class PledgeForm(BaseForm):
    version = HiddenField()
    organisation_id = SelectField(
        "Partner organisation", coerce=int, choices=[], validate_choice=False
    )
    financial_year = StringField(
        "Financial year",
        validators=[
            DataRequired("Enter the financial year, such as 2025/26."),
            Length(max=20, message="Enter the financial year, such as 2025/26."),
        ],
        description="April to March, for example 2025/26.",
    )
    pledged = StringField(
        "Money pledged (£)",
        validators=[Length(max=30, message="Enter the money pledged, such as 85,000.")],
        description="Optional. The contribution promised for the year, such as 85,000.",
    )
    posts_pledged = IntegerField(
        "Posts pledged",
        validators=[
            Optional(),
            NumberRange(0, 1000, "Enter the posts pledged as a whole number, such as 2."),
        ],
        description="Optional. The posts it promised to second into the teams.",
    )
    received = StringField(
        "Money received so far (£)",
        validators=[Length(max=30, message="Enter the money received, such as 40,000.")],
        description="Blank if nothing has been paid yet.",
    )
    note = TextAreaField(
        "Note",
        validators=[Length(max=500, message="The note must be 500 characters or fewer.")],
        description="Optional. For example, where the agreement is recorded.",
    )
