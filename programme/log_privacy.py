"""No personal data in the application's logs (issue 16). The engine runs with
`hide_parameters=True`, but a database's own message can still quote values (PostgreSQL: "Key
(email)=(someone@example.org) already exists"). This filter rewrites any log record carrying a
database error: its type, the constraint at fault and where in the code it happened stay; the
messages (and so the values) go."""

from __future__ import annotations

import logging
import traceback

from sqlalchemy.exc import StatementError

# The loggers that record exceptions: the app's own (a failing request) and those that call
# log.exception (background delivery, the scheduler).
LOGGERS = (
    "programme.scheduler",
    "programme.services.account_mail",
    "programme.services.training.calendar_invites",
    "programme.views.passwords",
    "programme.views.calendar_feeds",
)


def database_error(error: BaseException | None) -> StatementError | None:
    """The database error in an exception's chain, if any."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, StatementError):
            return error
        error = error.__cause__ or error.__context__
    return None


class HideDatabaseValues(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        found = database_error(record.exc_info[1])
        if found is None:
            return True
        diag = getattr(getattr(found, "orig", None), "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        where = "".join(traceback.format_tb(record.exc_info[2]))
        record.msg = (
            f"{record.getMessage()}: {type(found).__name__}"
            f"{f' (constraint {constraint})' if constraint else ''}; the database's message and "
            f"the statement's values are not logged.\nTraceback (most recent call last):\n{where}"
        )
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return True


def install(app_logger: logging.Logger) -> None:
    hide = HideDatabaseValues()
    for logger in (app_logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, HideDatabaseValues) for f in logger.filters):
            logger.addFilter(hide)
