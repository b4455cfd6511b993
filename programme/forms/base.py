"""The base form: strips surrounding whitespace from every text field."""

from collections.abc import Iterable

from flask import current_app
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _AlwaysRenderedToken(FlaskForm.Meta.csrf_class):
    """Keep the CSRF field even when WTF_CSRF_ENABLED is off (tests), so that templates under
    StrictUndefined can always write `{{ form.csrf_token }}`; the token is checked only when on."""

    def validate_csrf_token(self, form, field):
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            super().validate_csrf_token(form, field)


class BaseForm(FlaskForm):
    class Meta:
        csrf = True
        csrf_class = _AlwaysRenderedToken

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            bound = unbound_field.bind(form=form, filters=[_strip, *filters], **options)
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
