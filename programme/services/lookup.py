"""Finding a record by id within the record it belongs to."""

from typing import TypeVar

from programme.extensions import db
from programme.services.errors import NotFound

T = TypeVar("T")


def get_within(model: type[T], object_id: int, owner_field: str, owner_id: int, missing: str) -> T:
    """The `model` row `object_id`, if its `owner_field` is `owner_id`; else NotFound(missing).

    An id from another programme (or template, or locality) is as unknown as one that never
    existed, so a URL cannot reach across programmes.
    """
    found = db.session.get(model, object_id)
    if found is None or getattr(found, owner_field) != owner_id:
        raise NotFound(missing)
    return found
