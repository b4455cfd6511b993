"""Forms for scheduling training sessions, enrolling people on them and adding staff."""

from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from programme.domain.numbers import whole_number
from programme.forms.base import BaseForm


class RealDateField(DateField):
    """A date field whose error for an unreadable date names the field."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(f"{self.label.text} must be a real date.") from error


class SessionForm(BaseForm):
    # "course key:module number"; the service says which modules a course has, so a module that
    # is not in the course is refused with the course's own numbers rather than "Not a valid
    # choice".
    module = SelectField("Course and module", choices=[], validate_choice=False)
    on = RealDateField("Date", validators=[InputRequired("Enter the session's date.")])
    starts_at = TimeField(
        "Start time",
        validators=[Optional()],
        description="Optional, for example 09:30.",
    )
    venue = StringField("Venue", validators=[Length(max=200)])
    # Only active trainers and programme managers are offered (the view sets the choices); a
    # value not offered is refused in words rather than "Not a valid choice".
    trainer = SelectField(
        "Trainer",
        choices=[],
        validate_choice=False,
        description="Trainers and programme managers.",
    )
    capacity = IntegerField(
        "Capacity",
        validators=[
            Optional(),
            NumberRange(1, 500, "Capacity must be a whole number from 1 to 500."),
        ],
        description="How many places: a cohort is 16. Leave blank for the course's cohort size.",
    )
    cost = DecimalField(
        "Cost in pounds",
        places=2,
        validators=[
            Optional(),
            NumberRange(0, 1_000_000, "Enter the cost in pounds, such as 1500 or 1500.50."),
        ],
        description=(
            "Optional. Leave blank to share the course's cost per cohort across its modules."
        ),
    )

    def validate_module(self, field) -> None:
        key, _, number = (field.data or "").partition(":")
        if not key or whole_number(number) is None:
            raise ValidationError("Choose the course and module.")

    def validate_trainer(self, field) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(
                "Choose the trainer from the list: only active trainers and programme managers "
                "can run a session."
            )

    def module_choice(self) -> tuple[str, int]:
        """The course key and module number chosen (once the form is valid)."""
        key, _, number = self.module.data.partition(":")
        return key, int(number)

    def cost_pence(self) -> int | None:
        return None if self.cost.data is None else int(round(self.cost.data * 100))


class EditSessionForm(SessionForm):
    """A scheduled session's details: the module stays (schedule another session for another
    module); capacity and cost must be given. `version` is the session's version when the form
    was opened, so a save over someone else's change is refused."""

    module = None
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in (
            (self.capacity, "Enter the capacity, a whole number from 1 to 500."),
            (self.cost, "Enter the cost in pounds, such as 1500 or 1500.50 (0 if it is free)."),
        ):
            if field.data is None and not field.errors:
                field.errors.append(message)
                valid = False
        return valid


class CancelSessionForm(BaseForm):
    version = HiddenField()
    reason = TextAreaField(
        "Why is the session cancelled?",
        validators=[
            DataRequired("Enter the reason for cancelling: everyone on the session is told it."),
            Length(max=1000, message="The reason must be 1000 characters or fewer."),
        ],
        description="Everyone enrolled is sent it with the cancellation, for example "
        "“The trainer is ill; the module will be rescheduled.”",
    )


class EnrolForm(BaseForm):
    """The people picker's choices. The checkboxes are drawn by templates/training/_picker.html;
    `team` is the no-JavaScript "Enrol the whole team" button; `confirm` is set on the second
    POST, after the over-capacity question; `show` and `q` carry the picker's filters."""

    staff = SelectMultipleField("People to enrol", choices=[], coerce=int, validate_choice=False)
    team = StringField("Team", validators=[Length(max=20)])  # a team's id
    confirm = HiddenField()
    show = HiddenField()
    q = HiddenField()


class MovePlaceForm(BaseForm):
    target = StringField("Session to move them to", validators=[Length(max=20)])  # an id
    confirm = HiddenField()


class StaffForm(BaseForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    email = StringField(
        "E-mail address",
        validators=[
            DataRequired("Enter the person's e-mail address, like name@example.org."),
            Length(max=254),
        ],
        description="Registers and attendance imports find people by it.",
    )
    role = SelectField("Role", coerce=int, choices=[])
    start_date = RealDateField(
        "Start date",
        validators=[Optional()],
        description="Optional. New starters count as untrained from this date.",
    )
    leaving_date = RealDateField(
        "Leaving date",
        validators=[Optional()],
        description="Optional. A leaver stops counting toward the share trained from this date.",
    )


class StaffRecordForm(StaffForm):
    """A person's record corrected: their team (any of the programme's), role, dates, name and
    e-mail; `version` is the record's version when the form was opened."""

    team = SelectField("Team", coerce=int, choices=[])
    version = HiddenField(validators=[InputRequired()])
