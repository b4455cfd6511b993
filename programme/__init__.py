"""The Family Safeguarding implementation programme tracker."""

from __future__ import annotations

from flask import Flask, render_template
from flask_talisman import Talisman
from jinja2 import StrictUndefined
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from programme import log_privacy, odd_input
from programme.config import build_config
from programme.domain.formatting import file_size
from programme.extensions import csrf, db, login_manager
from programme.migration_commands import init_migrations

# A Content-Security-Policy with no inline script or style: everything comes from /static.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides settings read from the environment."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.update(build_config(config))
    app.jinja_env.undefined = StrictUndefined

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_error_pages(app)
    _register_template_helpers(app)
    _register_no_store(app)
    odd_input.register(app)
    log_privacy.install(app.logger)

    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _init_extensions(app: Flask) -> None:
    from programme import auth, models  # noqa: F401  (models registers the tables)

    db.init_app(app)
    init_migrations(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    login_manager.init_app(app)
    auth.init_login(app)
    # After the user loader: a session past its lifetime ends before anything else looks at it.
    from programme.sessions import init_session_lifetime
    from programme.two_factor import init_two_factor_requirement

    init_session_lifetime(app)
    init_two_factor_requirement(app)
    # One Talisman per app: it keeps its settings on itself, so it cannot be shared.
    Talisman(
        app,
        force_https=False,  # the proxy terminates TLS; the cookie flags are set in config
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["APP_ENV"] == "production",
        x_content_type_options=True,
    )


def _register_no_store(app: Flask) -> None:
    """Nothing shown to a signed-in user (pages, downloads, JSON) is kept by the browser's or a
    proxy's cache, where the next person at a shared computer could find it."""
    from flask import request
    from flask_login import current_user

    @app.after_request
    def no_store(response):
        if current_user.is_authenticated or request.authorization is not None:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from programme import api
    from programme.views import (
        account,
        admin,
        auth,
        board_packs,
        business_case,
        calendar_feeds,
        data_protection,
        exports,
        finance,
        health,
        imports,
        localities,
        mail,
        members,
        milestones,
        organisations,
        outbox,
        outcomes,
        partners,
        passwords,
        programme_audit,
        programmes,
        readiness,
        recruitment,
        roles,
        security_log,
        supervision,
        templates,
        training,
        two_factor,
        workstreams,
    )

    for blueprint in (
        auth.bp,
        passwords.bp,
        programmes.bp,
        localities.bp,
        milestones.bp,
        templates.bp,
        workstreams.bp,
        recruitment.bp,
        roles.bp,
        organisations.bp,
        training.bp,
        readiness.bp,
        exports.bp,
        board_packs.bp,
        calendar_feeds.bp,
        imports.bp,
        admin.bp,
        members.bp,
        data_protection.bp,
        outbox.bp,
        account.bp,
        two_factor.bp,
        mail.bp,
        programme_audit.bp,
        security_log.bp,
        api.bp,
        health.bp,
        business_case.bp,
        partners.bp,
        finance.bp,
        supervision.bp,
        outcomes.bp,
    ):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from programme.cli import register_commands

    register_commands(app)


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    from programme.api.errors import answer_http_error, is_api_path
    from programme.database_faults import is_database_fault
    from programme.views import unavailable
    from programme.views.accountability import mark_csrf_refused

    unavailable.register(app)  # the database does not answer: 503

    def render_error(status: int, title: str, message: str):
        return render_template("errors/error.html", title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        mark_csrf_refused()
        return render_error(
            400,
            "Your form expired",
            "The form was missing its security token or it had expired. Go back, reload the "
            "page and try again.",
        )

    @app.errorhandler(403)
    def forbidden(_error):
        return render_error(
            403, "You do not have access", "Your role does not allow this. Ask an administrator."
        )

    # An address under /api/ that matches no route (or not with this method) never reaches the
    # API blueprint's handlers, so it is answered in JSON here.
    @app.errorhandler(404)
    def not_found(error):
        if is_api_path():
            return answer_http_error(error)
        return render_error(
            404, "Page not found", "Check the address, or start from the home page."
        )

    @app.errorhandler(405)
    def method_not_allowed(error):
        if is_api_path():
            return answer_http_error(error)
        return render_error(405, "Not allowed", "That action is not available at this address.")

    @app.errorhandler(413)
    def too_large(_error):
        limit = file_size(app.config["IMPORT_MAX_BYTES"])
        return render_error(
            413,
            "The file is too big",
            f"Files up to {limit} can be uploaded. Remove old rows or sheets, or split the "
            "file, and try again.",
        )

    @app.errorhandler(500)
    def server_error(error):
        if is_database_fault(getattr(error, "original_exception", None)):  # after the request
            return unavailable.answer(error.original_exception)
        db.session.rollback()
        return render_error(
            500, "Sorry, something went wrong", "Nothing was saved. Try again in a moment."
        )


def _register_template_helpers(app: Flask) -> None:
    from programme.views import accountability, filters, navigation

    accountability.register(app)
    filters.register(app)
    navigation.register(app)
