"""Inserting many new rows of one model: the imports' new posts and new people."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import insert

from programme.extensions import db

# Rows per executemany. One call with every row of a 50,000-row import held each row's
# parameters three times over (the rows, the ORM's copies, the compiled ones): 273 MB at the
# peak; in batches of 5,000 it was 172 MB, in the same time.
INSERT_BATCH = 5_000


def insert_rows(model: type, rows: Iterable[dict], batch: int | None = None) -> None:
    """`rows` as new `model` rows, in executemanys of `batch` rows. NULLs are sent as NULLs
    (`render_nulls`): by default the ORM leaves out a None so that a column default can apply,
    which splits a batch into one INSERT per run of rows with the same blanks (a start date or
    not): thousands of statements."""
    statement = insert(model).execution_options(render_nulls=True)
    rows = iter(rows)
    while chunk := list(islice(rows, batch or INSERT_BATCH)):
        db.session.execute(statement, chunk)
