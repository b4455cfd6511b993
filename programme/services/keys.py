"""Keys made from names that no other record of the programme has."""

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from programme.domain.slugs import unique_key
from programme.extensions import db
from programme.models import Programme
from programme.services.locks import lock


def free_key(programme: Programme, column: InstrumentedAttribute[str], base: str) -> str:
    """`base`, or `base_2`, `base_3`, …: the first key that no row of `column`'s table in this
    programme has, and that fits the column.

    The programme is locked first so that two saves at the same moment cannot both choose the
    same key (PostgreSQL; SQLite has one writer): a clash on the unique key cannot happen.
    """
    lock(programme)
    owner = column.class_.programme_id
    taken = set(db.session.scalars(select(column).where(owner == programme.id)))
    return unique_key(base, taken, separator="_", max_length=column.type.length)
