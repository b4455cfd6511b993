"""Which errors mean the database is not answering (unreachable, too slow, gone away), so that a
request is answered 503 "try again later" rather than 500 "something went wrong"."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# OperationalError: psycopg could not connect, the connect or statement timeout ran out, the
# server shut down or dropped the connection. PoolTimeout: every pooled connection stayed busy.
DATABASE_FAULTS = (OperationalError, DisconnectionError, PoolTimeout)


def is_database_fault(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_FAULTS)


def forget_signed_in_user() -> None:
    """Whatever runs after the fault (the error page, the after-request hooks) sees an anonymous
    visitor: asking Flask-Login for the user again would ask the dead database again."""
    g._login_user = current_app.login_manager.anonymous_user()
