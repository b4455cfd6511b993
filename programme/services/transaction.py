"""One transaction per use case: commit on success, roll back on any exception."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from programme.extensions import db
from programme.services.errors import Conflict, StaleEdit

P = ParamSpec("P")
R = TypeVar("R")
_DEPTH_KEY = "service_transaction_depth"


def transactional(service: Callable[P, R]) -> Callable[P, R]:
    """Run `service` in one transaction. A service called from another joins the outer one.

    A race lost to another process (a row changed or a unique value taken since it was read)
    becomes a Conflict with a readable message, and nothing is written.
    """

    @wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        info = db.session.info
        depth = info.get(_DEPTH_KEY, 0)
        info[_DEPTH_KEY] = depth + 1
        try:
            result = service(*args, **kwargs)
            if depth == 0:
                db.session.commit()
            return result
        except BaseException as error:
            if depth == 0:
                db.session.rollback()
                _raise_as_conflict(error)
            raise
        finally:
            info[_DEPTH_KEY] = depth

    return run


def _raise_as_conflict(error: BaseException) -> None:
    if isinstance(error, StaleDataError):
        raise StaleEdit(
            "Someone else changed this at the same moment. Nothing was saved: reload the page "
            "and try again."
        ) from error
    if isinstance(error, IntegrityError):
        raise Conflict(
            "That clashes with something saved at the same moment (for example a name or slug "
            "already taken). Nothing was saved: reload the page and try again."
        ) from error
