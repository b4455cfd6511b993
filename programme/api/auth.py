"""Who may use an API route: a signed-in session or a personal API token (`Authorization: Bearer
<token>`, recognised by `programme.auth.load_user_from_token`), with its user's role.

Unlike `@requires`, refusals are answered in JSON (401 or 403), never with a redirect to the
sign-in page; a 401 says in `WWW-Authenticate` that a bearer token is what to send.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import request
from flask_login import current_user

from programme.api.errors import SENTENCES, ApiError
from programme.auth import api_token_in, can, is_member_here
from programme.domain.permissions import PERMISSIONS

F = TypeVar("F", bound=Callable)

BAD_TOKEN = (
    "The API token was not recognised: check it was copied whole, and that it has not been "
    "revoked or its user deactivated."
)


def unauthorised() -> ApiError:
    if api_token_in(request) is not None:
        return ApiError(
            401, BAD_TOKEN, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    return ApiError(401, SENTENCES[401], headers={"WWW-Authenticate": "Bearer"})


def api_requires(permission: str) -> Callable[[F], F]:
    """Require a user (by session or token) whose role here has `permission`: JSON 401/403
    otherwise, and 404 for a programme they are not a member of."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                raise unauthorised()
            if not is_member_here(current_user):  # another programme's: as if it did not exist
                raise ApiError(404, SENTENCES[404])
            if not can(current_user, permission):
                raise ApiError(403, SENTENCES[403])
            return view(*args, **kwargs)

        guarded.required_permission = permission  # read by the route-walk test
        return guarded  # type: ignore[return-value]

    return decorate
