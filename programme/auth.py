"""Permissions in the web app: who the user is (a session cookie, or a personal API token on an
API request) and the `@requires` decorator over the table in `programme/domain/permissions.py`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, Request, abort, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required

from programme.domain.numbers import whole_number
from programme.domain.permissions import PERMISSIONS, may_edit_milestone, permits
from programme.extensions import db, login_manager
from programme.models import Milestone, User
from programme.services import api_tokens, memberships
from programme.url_programme import names_a_programme, programme_in_url, url_key

F = TypeVar("F", bound=Callable)


def role_here(user) -> str | None:
    """The role that decides what `user` may do on this request's page.

    On a page of a programme (its URL names one: see `programme/url_programme.py`) that is their
    role in that programme: their membership's role, "admin" for administrators, None when they
    are not a member (or the programme does not exist). Elsewhere (the programme list, the
    account, admin pages) it is the account's own role. Kept in `g` for the rest of the request.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not names_a_programme():
        return user.role
    roles = g.setdefault("programme_roles", {})
    key = (user.id, url_key())
    if key not in roles:
        programme = programme_in_url()
        roles[key] = None if programme is None else memberships.role_in(user, programme.id)
    return roles[key]


def is_member_here(user) -> bool:
    """Whether `user` may see this request's page at all: always, unless its URL belongs to a
    programme they are not a member of (which then answers 404, as if it did not exist)."""
    return not names_a_programme() or role_here(user) is not None


def can(user, permission: str) -> bool:
    """Whether a (possibly anonymous) user may do `permission` here: the table decides, by the
    role they hold on this page (`role_here`)."""
    return permits(role_here(user), permission)


def can_edit_milestone(user, milestone: Milestone) -> bool:
    """Whether `user` may edit `milestone`, by their role in the milestone's programme."""
    if not getattr(user, "is_authenticated", False):
        return False
    if names_a_programme():
        role = role_here(user)
    else:  # a page listing milestones of several programmes ("my milestones")
        role = memberships.role_in(user, milestone.workstream.programme_id)
    return role is not None and may_edit_milestone(role, user.id, milestone.owner_id)


def requires(permission: str) -> Callable[[F], F]:
    """Require a signed-in user whose role here (`role_here`) has `permission`: 403 otherwise,
    and 404 on the pages of a programme they are not a member of."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not is_member_here(current_user):
                abort(404)
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission  # read by the route-walk test
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view as open to anyone, so that every route visibly declares its access."""
    view.required_permission = "public"
    return view


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.context_processor
    def permissions_for_templates():
        return {
            "can": lambda permission: can(current_user, permission),
            "can_edit_milestone": lambda milestone: can_edit_milestone(current_user, milestone),
        }

    app.session_interface = NoCookieForTokens()

    @app.before_request
    def keep_session_alive():
        # A permanent session is refreshed on each request, so it expires after
        # PERMANENT_SESSION_LIFETIME of inactivity (the signed cookie carries its age).
        # A request made with an API token starts no session, so it is sent no cookie; nor is a
        # load balancer's health check.
        if api_token_in(request) is None and request.endpoint not in SESSIONLESS_ENDPOINTS:
            session.permanent = True


API_PREFIX = "/api"
# Polled by load balancers (programme/views/health.py): answered without starting a session.
SESSIONLESS_ENDPOINTS = frozenset({"health.live", "health.ready"})


def is_api_request(sent: Request) -> bool:
    """Whether the request is addressed to the API, whether or not a route there matches."""
    return sent.path == API_PREFIX or sent.path.startswith(API_PREFIX + "/")


def api_token_in(sent: Request) -> str | None:
    """The token an API request names in `Authorization: Bearer <token>`, if it names one.

    Tokens work on the API only: a page asks for a session and its forms for a CSRF token.
    """
    if not is_api_request(sent):
        return None
    scheme, _, token = sent.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class NoCookieForTokens(SecureCookieSessionInterface):
    """A request made with an API token is sent no session cookie, even one that also carried a
    cookie (Flask-Login would otherwise write its bookkeeping back into that session)."""

    def save_session(self, app: Flask, session, response) -> None:
        if api_token_in(request) is not None:
            return
        super().save_session(app, session, response)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # A request that names a token is judged by the token alone, never by a cookie it also
    # carries, so a script's mistyped or revoked token is refused even in a signed-in browser.
    if api_token_in(request) is not None:
        return None
    user_text, _, version_text = session_id.partition(":")
    user_id, version = whole_number(user_text), whole_number(version_text)
    if user_id is None or version is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(sent: Request) -> User | None:
    """Called when the session names nobody: the API request's token names its user."""
    token = api_token_in(sent)
    return api_tokens.authenticate(token) if token is not None else None
