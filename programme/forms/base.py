"""The base form: strips surrounding whitespace from every text field, and refuses an over-long
text field with a sentence naming it.

Every text field a person types in declares its `Length(max=...)` (sized to its column;
tests/test_form_lengths.py checks). A hidden field, which only the page fills in, is given
HIDDEN_MAX when it declares none. A Length without its own message says which field is too long.
"""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

# A version number, a fingerprint, an address to go back to: a hidden field is never longer.
HIDDEN_MAX = 2000


class _TextLength(Length):
    """Length, for text only: a view may put a number in a hidden field (a record's version)."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            super().__call__(form, field)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def field_label(unbound_field, name: str) -> str:
    label = unbound_field.kwargs.get("label") or (
        unbound_field.args[0] if unbound_field.args else None
    )
    return label if isinstance(label, str) and label else name.replace("_", " ").capitalize()


def _named_lengths(unbound_field, name: str) -> list:
    """The field's validators, each Length without a message given one naming the field."""
    validators = list(unbound_field.kwargs.get("validators") or ())
    if issubclass(unbound_field.field_class, HiddenField) and not any(
        isinstance(v, Length) for v in validators
    ):
        validators.append(_TextLength(max=HIDDEN_MAX))
    label = field_label(unbound_field, name)
    return [
        _TextLength(max=v.max, message=f"{label} must be {v.max} characters or fewer.")
        if isinstance(v, Length) and v.message is None and v.min == -1 and v.max != -1
        else v
        for v in validators
    ]


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            extra = {}
            if "validators" in unbound_field.kwargs or issubclass(
                unbound_field.field_class, HiddenField
            ):
                extra["validators"] = _named_lengths(unbound_field, options["name"])
            bound = unbound_field.bind(form=form, filters=[_strip, *filters], **extra, **options)
            return bound

    def add_service_error(self, field_name: str | None, message: str) -> None:
        """Attach a service's refusal to the field it names (or to the form as a whole)."""
        field = getattr(self, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            self.form_errors.append(message)


def select_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
