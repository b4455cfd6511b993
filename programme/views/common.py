"""What the blueprints share: 404 for NotFound, people to choose from, form page rendering."""

from collections.abc import Callable
from typing import TypeVar

from flask import abort, render_template
from wtforms.fields.choices import SelectChoice

from programme.domain.formatting import person
from programme.domain.permissions import role_label
from programme.forms.base import select_choices
from programme.services.errors import NotFound
from programme.services.users import active_members, active_users
from programme.url_programme import programme_in_url

T = TypeVar("T")


def or_404(lookup: Callable[[], T]) -> T:
    try:
        return lookup()
    except NotFound:
        abort(404)


def owner_choices(nobody: str = "No owner", current=None, programme=None) -> list[SelectChoice]:
    """People to choose from, by e-mail address, with a first "nobody" choice: the active members
    of the programme (by default the one the page's URL belongs to; on a page of none, every
    active user), labelled with their role there.

    The `current` holder stays on the list even once deactivated, no longer a member, or an
    administrator (not offered otherwise), so saving another change does not silently drop them.
    """
    programme = programme or programme_in_url()
    if programme is None:
        people = [(user.email, person(user.name, user.role_label)) for user in active_users()]
    else:
        people = [
            (user.email, person(user.name, role_label(role)))
            for user, role in active_members(programme.id)
        ]
    if current is not None and current.email not in {email for email, _label in people}:
        if not current.active:
            note = "deactivated"
        elif current.is_admin:
            note = current.role_label
        else:
            note = "not a member"
        people.append((current.email, person(current.name, note)))
    return select_choices([("", nobody), *people])


def render_form(page: str, /, form, **context):
    """Render a form page; a submission with errors answers 400 so tools can tell it failed."""
    return render_template(page, form=form, **context), 400 if form.errors else 200
