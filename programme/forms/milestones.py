from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from programme.forms.base import BaseForm, select_choices
from programme.models import MilestoneStatus

STATUS_CHOICES = select_choices((status.value, status.label) for status in MilestoneStatus)


class MilestoneEditForm(BaseForm):
    version = HiddenField(validators=[InputRequired()])
    status = SelectField("Status", choices=STATUS_CHOICES)
    owner = SelectField("Owner", choices=[], validate_choice=False)
    due = DateField(
        "Due date",
        validators=[Optional()],
        description="Changing it here fixes it: moving the go-live date will no longer move it.",
    )
    notes = TextAreaField("Notes", validators=[Length(max=5000)])


class MilestoneNewForm(BaseForm):
    title = StringField(
        "Title", validators=[DataRequired("Enter the milestone's title."), Length(max=300)]
    )
    workstream = SelectField("Workstream", choices=[], validate_choice=False)
    due = DateField("Due date", validators=[Optional()])
    owner = SelectField("Owner", choices=[], validate_choice=False)
    description = TextAreaField("Description", validators=[Length(max=5000)], default="")
    gate_critical = BooleanField("Gate-critical: must be done before go-live")
