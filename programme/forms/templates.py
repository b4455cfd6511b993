from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from programme.domain.timeline import OFFSET_UNITS
from programme.forms.base import BaseForm, select_choices


class TemplateItemForm(BaseForm):
    title = StringField(
        "Milestone title",
        validators=[DataRequired("Enter the milestone's title."), Length(max=300)],
    )
    workstream = StringField(
        "Workstream", validators=[DataRequired("Enter the workstream."), Length(max=200)]
    )
    offset_amount = IntegerField(
        "How long before go-live",
        validators=[
            InputRequired("Enter how long before go-live, as a whole number."),
            NumberRange(0, 520, "Enter a whole number from 0 to 520."),
        ],
        description="0 means on the go-live date itself.",
    )
    offset_unit = SelectField(
        "Unit", choices=select_choices((unit, unit.capitalize()) for unit in OFFSET_UNITS)
    )
    description = TextAreaField("Description", validators=[Length(max=5000)])
    gate_critical = BooleanField("Gate-critical: must be done before go-live")
