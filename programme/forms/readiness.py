"""Forms for the go-live gate: thresholds, new criteria, locality exceptions, sign-offs and the
board's go-live decision."""

from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from programme.domain.gate_criteria import ADDABLE_KINDS
from programme.domain.go_live import NOTE_MIN_WORDS, note_problem
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


def _note_of_a_few_words(_form, field) -> None:
    problem = note_problem(field.data)
    if problem:
        raise StopValidation(problem)


class GoLiveForm(BaseForm):
    """The confirmation of a go-live decision: the minutes note, an explicit confirmation and
    the fingerprint of the evidence shown (a changed fingerprint means the evidence moved)."""

    note = TextAreaField(
        "Minutes note",
        validators=[_note_of_a_few_words, Length(max=NOTE_MAX)],
        description=f"The meeting that decided and its date, in at least {NOTE_MIN_WORDS} words; "
        "for example “Operational board, 30 Nov 2026, item 4”.",
    )
    confirmed = BooleanField(
        "The operational board decided this locality goes live on its go-live date, on the "
        "evidence shown here",
        validators=[DataRequired("Confirm that the board made this decision on this evidence.")],
    )
    fingerprint = HiddenField(validators=[InputRequired("the evidence shown is missing")])


class RescindForm(BaseForm):
    reason = TextAreaField(
        "Reason for rescinding",
        validators=[DataRequired("Give the reason the decision is rescinded."), Length(max=5000)],
    )
