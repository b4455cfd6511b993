"""Every text field a person types in is refused by its form when it is too long, with the field
named: each declares `Length(max=...)` (sized to its column; unbounded Text columns get a generous
maximum), and a hidden field gets programme/forms/base.py's HIDDEN_MAX. A new form without one
fails here, so a megabyte of text is refused with a sentence, never sent to the database."""

from __future__ import annotations

import importlib
import pkgutil

from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import programme.forms
from programme.forms.base import HIDDEN_MAX, BaseForm


def _form_classes() -> list[type]:
    for module in pkgutil.iter_modules(programme.forms.__path__):
        importlib.import_module(f"programme.forms.{module.name}")
    found, todo = [], [BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _text_fields(form_class: type) -> list[tuple[str, UnboundField]]:
    fields = []
    for name in dir(form_class):
        field = getattr(form_class, name, None)
        if isinstance(field, UnboundField) and issubclass(field.field_class, StringField):
            fields.append((name, field))
    return fields


def test_every_form_is_a_base_form_and_the_walk_finds_them():
    assert len(_form_classes()) > 40


def test_every_text_field_declares_a_maximum_length():
    missing = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in _text_fields(form)
        if not issubclass(field.field_class, HiddenField)
        and not any(
            isinstance(v, Length) and v.max > 0 for v in field.kwargs.get("validators") or ()
        )
    ]
    assert missing == [], "give each text field a Length(max=...) matching its column"


def test_an_over_long_field_is_refused_with_its_name(app):
    from programme.forms.programmes import ProgrammeForm

    with app.test_request_context(method="POST"):
        form = ProgrammeForm(formdata=MultiDict({"name": "x" * 201, "slug": "ok"}))
        assert not form.validate()
    assert form.name.errors == ["Programme name must be 200 characters or fewer."]


def test_a_hidden_field_without_a_length_gets_the_hidden_maximum(app):
    from programme.forms.milestones import MilestoneEditForm

    with app.test_request_context(method="POST"):
        form = MilestoneEditForm(formdata=MultiDict({"version": "1" * (HIDDEN_MAX + 1)}))
        form.validate()
    assert f"Version must be {HIDDEN_MAX} characters or fewer." in form.version.errors
