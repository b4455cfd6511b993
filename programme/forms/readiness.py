"""Forms for the go-live gate: thresholds, new criteria, locality exceptions, sign-offs and the
board's go-live decision."""

from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from programme.domain.gate_criteria import ADDABLE_KINDS
from programme.forms.base import BaseForm, select_choices
from programme.forms.recruitment import MultiCheckboxField

_PERCENT = NumberRange(0, 100, "Enter a threshold from 0 to 100.")
NOTE_MAX = 5000


class ThresholdForm(BaseForm):
    threshold = IntegerField(
        "Threshold (%)", validators=[InputRequired("Enter a threshold from 0 to 100."), _PERCENT]
    )
    version = HiddenField()


class CriterionForm(BaseForm):
    kind = SelectField(
        "What must be true",
        choices=select_choices((kind.value, kind.label) for kind in ADDABLE_KINDS),
        validators=[DataRequired("Choose what kind of criterion to add.")],
    )
    label = StringField(
        "Name the criterion",
        validators=[
            DataRequired("Enter what the criterion checks."),
            Length(max=200, message="Keep the name to 200 characters or fewer."),
        ],
        description="As the board will read it: “Information-sharing agreement signed”.",
    )
    milestone_title = StringField(
        "Milestone",
        validators=[Optional(), Length(max=300)],
        description="For “a named milestone done”: its title, as in the localities' timelines.",
    )
    workstream_id = SelectField(
        "Workstream",
        choices=[],
        coerce=lambda value: int(value) if value not in (None, "") else None,
        validate_choice=False,
        description="For “a share of a workstream's milestones done”.",
    )
    courses = MultiCheckboxField(
        "Courses",
        choices=[],
        description="For “relevant staff trained”: a person counts once they completed every "
        "course chosen (one course makes a one-course criterion, such as trained_mi).",
    )
    threshold = IntegerField(
        "Threshold (%)",
        validators=[Optional(), _PERCENT],
        description="For staff trained or a workstream: the share that must be reached.",
    )
    signer_email = SelectField(
        "Who signs it off", choices=[], description="For “a check signed off by a named person”."
    )


class ExceptionForm(BaseForm):
    waived = BooleanField("This criterion does not apply to this locality")
    threshold = IntegerField(
        "Threshold for this locality (%)",
        validators=[Optional(), _PERCENT],
        description="Leave blank if the criterion is waived.",
    )
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Give the reason for the exception; the board will read it."),
            Length(max=2000),
        ],
    )


class SignOffForm(BaseForm):
    note = StringField("Note (optional)", validators=[Optional(), Length(max=500)])


class GoLiveForm(BaseForm):
    note = TextAreaField(
        "Minutes note",
        validators=[Optional(), Length(max=NOTE_MAX)],
        description="What the board minuted, for example the meeting and its date.",
    )


class RescindForm(BaseForm):
    reason = TextAreaField(
        "Reason for rescinding",
        validators=[DataRequired("Give the reason the decision is rescinded."), Length(max=5000)],
    )
