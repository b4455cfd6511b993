"""Two-factor sign-in made mandatory for some roles (REQUIRE_2FA_ROLES): until such a user has
turned it on, every page but setting it up and signing out sends them to set it up."""

from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for
from flask_login import current_user

from programme.api.errors import json_error
from programme.auth import api_token_in
from programme.services.memberships import roles_by_programme

# What a user who must turn two-factor sign-in on can still reach.
OPEN_UNTIL_ENROLLED = frozenset({"static", "auth.logout", "two_factor.index", "two_factor.set_up"})
MUST_ENROL = "Your role needs two-factor sign-in. Set it up to continue."
# A personal API token works only once its owner has done what their role requires.
TOKEN_MUST_WAIT = (
    "Your role needs two-factor sign-in: set it up under Your account before using the API."
)


def required_roles(setting: str) -> frozenset[str]:
    return frozenset(role.strip() for role in (setting or "").split(",") if role.strip())


def two_factor_required(user, setting: str) -> bool:
    roles = required_roles(setting)
    if not roles:
        return False
    if user.role in roles:
        return True
    return not user.is_admin and any(role in roles for role in roles_by_programme(user).values())


def init_two_factor_requirement(app: Flask) -> None:
    @app.before_request
    def send_to_two_factor_set_up():
        if request.endpoint in OPEN_UNTIL_ENROLLED:
            return None
        if not current_user.is_authenticated or current_user.two_factor_on:
            return None
        if not two_factor_required(current_user, app.config["REQUIRE_2FA_ROLES"]):
            return None
        if api_token_in(request) is not None:
            return json_error(403, TOKEN_MUST_WAIT)
        flash(MUST_ENROL, "info")
        return redirect(url_for("two_factor.set_up"))
