"""The small forms on a milestone list: one row's status, and a change to the selected rows.

Both pages render these by hand (many rows, so ids carry the milestone's id); these classes read
and check what was posted.
"""

from wtforms import HiddenField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length

from programme.domain.numbers import signed_whole_number
from programme.forms.base import BaseForm
from programme.forms.milestones import STATUS_CHOICES

MOST_WORKING_DAYS = 250


class RowStatusForm(BaseForm):
    version = HiddenField(validators=[InputRequired()])
    status = SelectField("Status", choices=STATUS_CHOICES)
    # The list page (path and query string) the row was changed on, to go back to.
    next = HiddenField()


class BulkForm(BaseForm):
    action = StringField(validators=[Length(max=20)])
    # Only the chosen action's field matters; the service checks it.
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)
    owner = SelectField("Owner", choices=[], validate_choice=False)
    # Text, not IntegerField: it is read (and refused) only when the action is "move", so a
    # stray word in the box does not stop a change of status or owner.
    days = StringField("Working days", validators=[Length(max=20)])
    next = HiddenField()

    def validate_days(self, field) -> None:
        if self.action.data != "move" or not (field.data or "").strip():
            return  # no number for another action; none for "move" is the service's refusal
        days = signed_whole_number(field.data)
        if days is None:
            raise ValidationError(
                "Enter the number of working days to move the due dates by, as a whole number "
                "like 5 or -3."
            )
        if abs(days) > MOST_WORKING_DAYS:
            raise ValidationError(
                f"Move due dates by at most {MOST_WORKING_DAYS} working days either way."
            )

    def working_days(self) -> int | None:
        """The number of working days to move by (once the form is valid), if one was given."""
        return signed_whole_number(self.days.data) if self.action.data == "move" else None
