"""The audit trail's filters (a GET form: no CSRF token). The people and kinds offered are the
ones in the trail; the view fills them in."""

from datetime import date

from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Length

from programme.forms.base import BaseForm

DATE_HINT = "For example, 2027-01-11"


def parse_day(text: str | None) -> date | None:
    """A day as a date input sends it ("2027-01-11"), or None when it is not one."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


class DateRangeFilters:
    """A filter form's From and To days (mixed into a BaseForm): real dates, in order."""

    date_from = StringField("From", description=DATE_HINT, validators=[Length(max=40)])
    date_to = StringField("To", description=DATE_HINT, validators=[Length(max=40)])

    def validate_date_from(self, field) -> None:
        if field.data and parse_day(field.data) is None:
            raise ValidationError("Enter the from date as a real date, like 2027-01-11.")

    def validate_date_to(self, field) -> None:
        if field.data and parse_day(field.data) is None:
            raise ValidationError("Enter the to date as a real date, like 2027-01-11.")
        start, end = parse_day(self.date_from.data), parse_day(field.data)
        if start and end and end < start:
            raise ValidationError("The to date must be the same as or after the from date.")


class AuditFilterForm(DateRangeFilters, BaseForm):
    class Meta:
        csrf = False

    who = SelectField("Who", validate_choice=False)
    kind = SelectField("What kind of change", validate_choice=False)

    def offer(self, people: list[tuple[str, str]], kinds: list[tuple[str, str]]) -> None:
        self.who.choices = [("", "Anyone"), *people]
        self.kind.choices = [("", "Any kind"), *kinds]

    def validate_who(self, field) -> None:
        if field.data and field.data not in {value for value, _ in self.who.choices}:
            raise ValidationError("Choose who made the change from the list.")

    def validate_kind(self, field) -> None:
        if field.data and field.data not in {value for value, _ in self.kind.choices}:
            raise ValidationError("Choose a kind of change from the list.")


class ProgrammeAuditFilterForm(AuditFilterForm):
    """The programme's trail: the locality's filters, and which locality and which channel."""

    locality = SelectField("Locality", validate_choice=False)
    channel = SelectField("Made through", validate_choice=False)

    def offer_places(
        self, localities: list[tuple[str, str]], channels: list[tuple[str, str]]
    ) -> None:
        self.locality.choices = [("", "Any locality"), *localities]
        self.channel.choices = [("", "Any way"), *channels]

    def validate_locality(self, field) -> None:
        if field.data and field.data not in {value for value, _ in self.locality.choices}:
            raise ValidationError("Choose a locality from the list.")

    def validate_channel(self, field) -> None:
        if field.data and field.data not in {value for value, _ in self.channel.choices}:
            raise ValidationError("Choose how the change was made from the list.")
