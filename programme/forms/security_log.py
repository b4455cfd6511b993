"""The security log's filters (a GET form: no CSRF token). The kinds offered are every kind with
words and any other the log holds; the view fills them in."""

import re

from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Length

from programme.forms.audit import DateRangeFilters
from programme.forms.base import BaseForm

_ADDRESS = re.compile(r"^[0-9A-Fa-f.:]+$")


class SecurityLogFilterForm(DateRangeFilters, BaseForm):
    class Meta:
        csrf = False

    kind = SelectField("What happened", validate_choice=False)
    email = StringField(
        "E-mail address contains",
        validators=[Length(max=254, message="E-mail address must be 254 characters or fewer.")],
    )
    address = StringField(
        "Network address starts with",
        description="For example, 203.0.113.",
        validators=[Length(max=64, message="Network address must be 64 characters or fewer.")],
    )

    def offer(self, kinds: list[tuple[str, str]]) -> None:
        self.kind.choices = [("", "Anything"), *kinds]

    def validate_kind(self, field) -> None:
        if field.data and field.data not in {value for value, _ in self.kind.choices}:
            raise ValidationError("Choose what happened from the list.")

    def validate_address(self, field) -> None:
        if field.data and not _ADDRESS.match(field.data.strip()):
            raise ValidationError(
                "Enter the network address with digits, dots and colons only, like 203.0.113."
            )
