"""What the blueprints share: 404 for NotFound, people to choose from, form page rendering."""

from collections.abc import Callable
from typing import TypeVar

from flask import abort, render_template
from wtforms.fields.choices import SelectChoice

from programme.domain.formatting import person
from programme.forms.base import select_choices
from programme.services.errors import NotFound
from programme.services.users import active_users

T = TypeVar("T")


def or_404(lookup: Callable[[], T]) -> T:
    try:
        return lookup()
    except NotFound:
        abort(404)


def owner_choices(nobody: str = "No owner", current=None) -> list[SelectChoice]:
    """Active users to choose from, by e-mail address, with a first "nobody" choice.

    The `current` holder stays on the list even once deactivated, so saving another change does
    not silently drop them.
    """
    people = [(user.email, person(user.name, user.role_label)) for user in active_users()]
    if current is not None and not current.active:
        people.append((current.email, person(current.name, "deactivated")))
    return select_choices([("", nobody), *people])


def render_form(page: str, /, form, **context):
    """Render a form page; a submission with errors answers 400 so tools can tell it failed."""
    return render_template(page, form=form, **context), 400 if form.errors else 200
