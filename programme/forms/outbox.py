"""The admin outbox page's filters (a GET form: no CSRF token)."""

from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Length

from programme.domain.outbox import KIND_LABELS, STATUS_LABELS
from programme.domain.weeks import parse_iso_week
from programme.forms.base import BaseForm, select_choices


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=select_choices([("", "All statuses"), *STATUS_LABELS.items()]),
        validate_choice=False,
    )
    kind = SelectField(
        "Kind of message",
        choices=select_choices([("", "All kinds"), *KIND_LABELS.items()]),
        validate_choice=False,
    )
    recipient = StringField(
        "Recipient contains",
        validators=[Length(max=254, message="Recipient must be 254 characters or fewer.")],
    )
    week = StringField(
        "Digest week",
        description="For example, 2026-W49",
        validators=[Length(max=20, message="Enter the digest week like 2026-W49.")],
    )

    def validate_status(self, field) -> None:
        if field.data and field.data not in STATUS_LABELS:
            raise ValidationError("Choose a status from the list.")

    def validate_kind(self, field) -> None:
        if field.data and field.data not in KIND_LABELS:
            raise ValidationError("Choose a kind of message from the list.")

    def validate_week(self, field) -> None:
        if field.data and parse_iso_week(field.data) is None:
            raise ValidationError("Enter the digest week as a year and week number, like 2026-W49.")
