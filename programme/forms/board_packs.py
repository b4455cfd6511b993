"""The form to issue a board pack for a meeting."""

from wtforms.validators import InputRequired

from programme.forms.base import BaseForm
from programme.forms.training import RealDateField


class IssuePackForm(BaseForm):
    meeting_date = RealDateField(
        "Meeting date",
        validators=[InputRequired("Enter the date of the board meeting, like 14/01/2027.")],
        description="The date of the board meeting the pack is for. One pack per meeting.",
    )
