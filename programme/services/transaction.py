"""One transaction per use case: commit on success, roll back on any exception."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from programme.extensions import db

P = ParamSpec("P")
R = TypeVar("R")
_DEPTH_KEY = "service_transaction_depth"


def transactional(service: Callable[P, R]) -> Callable[P, R]:
    """Run `service` in one transaction. A service called from another joins the outer one."""

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
        except BaseException:
            if depth == 0:
                db.session.rollback()
            raise
        finally:
            info[_DEPTH_KEY] = depth

    return run
