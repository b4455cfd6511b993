"""Writing the generated rows in large batches: executemany through SQLAlchemy Core, or COPY on
PostgreSQL for the biggest tables. Rows carry their ids; afterwards PostgreSQL's sequences are
moved past them, so the app's own inserts go on working."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, func, insert, select, text

from programme.domain.scale import TABLE_ORDER
from programme.extensions import db

# Written with COPY on PostgreSQL: the largest tables, and none with a JSON column (COPY takes
# the text form of each value, and psycopg's text form of a Python list is not JSON).
COPIED = frozenset({"post", "post_status_change", "staff_member", "attendance"})
# Buffered rows written at once: large enough for few round trips, small enough for memory.
FLUSH_AT = 50_000


def table(name: str) -> Table:
    return db.metadata.tables[name]


def next_ids() -> dict[str, int]:
    """The first free id of each table the generator writes."""
    return {
        name: (db.session.scalar(select(func.max(table(name).c.id))) or 0) + 1
        for name in TABLE_ORDER
    }


class BatchWriter:
    """Collects rows by table and writes them parents first, whenever enough have gathered."""

    def __init__(self) -> None:
        self.buffers: dict[str, list[dict]] = {name: [] for name in TABLE_ORDER}
        self.buffered = 0
        self.postgres = db.session.get_bind().dialect.name == "postgresql"

    def add(self, rows: dict[str, list[dict]]) -> None:
        for name, table_rows in rows.items():
            self.buffers[name] += table_rows
            self.buffered += len(table_rows)
        if self.buffered >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        # Every table in order, so no row is written before the rows it refers to.
        for name in TABLE_ORDER:
            rows = self.buffers[name]
            if not rows:
                continue
            if self.postgres and name in COPIED:
                _copy(table(name), rows)
            else:
                db.session.connection().execute(insert(table(name)), rows)
            self.buffers[name] = []
        self.buffered = 0


def _copy(target: Table, rows: list[dict]) -> None:
    columns = list(rows[0])
    quote = db.session.get_bind().dialect.identifier_preparer.quote
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(target.name), ", ".join(quote(column) for column in columns)
    )
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def reset_sequences(names: Iterable[str] = TABLE_ORDER) -> None:
    """Rows inserted with their own ids leave PostgreSQL's sequences behind: move each past the
    largest id, or the next row the app adds would take an id already used."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            ),
            {"table": name},
        )
