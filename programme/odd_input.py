"""Odd input is refused at the door: a control character in the address, the query string, a form
field (its name or its value) or an uploaded file's name answers 400 with a sentence naming where
it is, before any view, hook or database sees it (PostgreSQL refuses a NUL in text with an error,
which used to surface as a 500).

Which characters are refused: programme/domain/control_characters.py (C0, DEL and C1). A form
value may hold TAB, LF and CR (text areas are multi-line); the address, the query string, field
names and file names may not. File contents are never looked at here.

The JSON API's bodies are checked field by field by `programme/api/bodies.py`; its addresses and
query strings are checked here and refused in JSON.
"""

from __future__ import annotations

from functools import cache

from flask import Flask, render_template, request
from wtforms.fields.core import UnboundField

from programme.api.errors import is_api_path, json_error
from programme.domain.control_characters import CANNOT_BE_TYPED, has_control, without_controls

_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
WHAT = CANNOT_BE_TYPED


def register(app: Flask) -> None:
    # Registered before every other hook, so none of them sees the odd input either.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)


def refuse_control_characters():
    message = _problem()
    if message is None:
        return None
    if is_api_path():
        return json_error(400, message)
    # The page is about the refusal, not the address: the header must not look the URL's
    # programme up by a slug holding a NUL (PostgreSQL refuses it with an error).
    request.view_args = {}
    page = render_template(
        "errors/error.html",
        title="Your request contains a character we cannot accept",
        message=message,
    )
    return page, 400


def _problem() -> str | None:
    if has_control(request.path):
        return f"The address {WHAT}. Check the link, or start again from the home page."
    for name, value in request.args.items(multi=True):
        if has_control(name) or has_control(value):
            where = _label(name, lower=False) or _printable(name)
            return f"The address {WHAT} in “{where}”. Remove it and try again."
    if is_api_path() or request.mimetype not in _FORM_TYPES:
        return None  # the API reads JSON bodies itself; other bodies are left to their views
    for name, value in request.form.items(multi=True):
        if has_control(name) or has_control(value, multi_line=True):
            return f"{_describe(name)} {WHAT}. Remove it and try again."
    for name, upload in request.files.items(multi=True):
        if has_control(name) or has_control(upload.filename or ""):
            field = _label(name, lower=False) or _printable(name)
            return (
                f"The name of the file chosen for “{field}” {WHAT}. Rename the file and try again."
            )
    return None


def _describe(name: str) -> str:
    label = _label(name)
    if label:
        return f"The {label}"
    return f"The field “{_printable(name)}”"


def _printable(name: str) -> str:
    return without_controls(name)[:60]


def _label(name: str, *, lower: bool = True) -> str | None:
    """The label of the form field called `name` (its last part, for rows like "mark-12"), in
    lower case for the middle of a sentence; None when no form has it or forms disagree."""
    if has_control(name):
        return None
    label = field_labels().get(name) or field_labels().get(name.rsplit("-", 1)[0])
    if not label or not lower or label.split()[0].isupper():
        return label  # "FTE" stays as it is
    return label[0].lower() + label[1:]


@cache
def field_labels() -> dict[str, str]:
    """Each form field name with its label. A name whose forms label it differently has the
    shortest label if the others all contain it ("E-mail address" for "E-mail address of the
    person to erase"), else none."""
    from programme.forms.base import BaseForm

    seen: dict[str, set[str]] = {}
    for form in _subclasses(BaseForm):
        for name in dir(form):
            field = getattr(form, name, None)
            if isinstance(field, UnboundField):
                label = field.kwargs.get("label") or (field.args[0] if field.args else None)
                if isinstance(label, str) and label:
                    seen.setdefault(name, set()).add(label)
    labels = {}
    for name, found in seen.items():
        shortest = min(found, key=len)
        if all(shortest.lower() in label.lower() for label in found):
            labels[name] = shortest
    return labels


def _subclasses(cls: type) -> list[type]:
    import importlib
    import pkgutil

    import programme.forms

    for module in pkgutil.iter_modules(programme.forms.__path__):
        importlib.import_module(f"programme.forms.{module.name}")
    found, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found
