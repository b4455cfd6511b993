"""The small forms on a milestone list: one row's status, and a change to the selected rows.

Both pages render these by hand (many rows, so ids carry the milestone's id); these classes read
and check what was posted.
"""

from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from programme.forms.base import BaseForm
from programme.forms.milestones import STATUS_CHOICES


class RowStatusForm(BaseForm):
    version = HiddenField(validators=[InputRequired()])
    status = SelectField("Status", choices=STATUS_CHOICES)
    # The list page (path and query string) the row was changed on, to go back to.
    next = HiddenField()


class BulkForm(BaseForm):
    action = StringField()
    # Only the chosen action's field matters; the service checks it.
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)
    owner = SelectField("Owner", choices=[], validate_choice=False)
    days = IntegerField(
        "Working days",
        validators=[
            Optional(),
            NumberRange(-250, 250, "Move due dates by at most 250 working days either way."),
        ],
    )
    next = HiddenField()
