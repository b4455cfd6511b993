"""Settings from the environment (see CLI.md, "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEVELOPMENT_SECRET = "development-only-secret-key-do-not-use-in-production"


class ConfigError(RuntimeError):
    """The environment does not describe a safe, complete configuration."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _whole_number(name: str, default: int, least: int = 1) -> int:
    """A whole-number setting, refused with its name when it is not one or is below `least`."""
    text = os.environ.get(name, str(default)).strip()
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {text!r}.") from None
    if value < least:
        raise ConfigError(f"{name} must be at least {least}, not {value}.")
    return value


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        INSTANCE_DIR.mkdir(exist_ok=True)
        url = f"sqlite:///{INSTANCE_DIR / 'programme.sqlite'}"
    # Heroku-style URLs name the old driver; we run psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_options(url: str, connect_timeout: int, statement_timeout: int) -> dict:
    """SQLAlchemy's engine options for the database at `url`.

    hide_parameters: a failing statement's error (and so the error log) never carries the values
    it was given (password hashes, names, e-mail addresses). pool_pre_ping: a connection the
    database dropped (a restart, a failover) is replaced before a request uses it. On PostgreSQL a
    database that does not answer is given up on after `connect_timeout` seconds (libpq counts
    at least 2), and a statement is cancelled after `statement_timeout` seconds, so a request
    fails (503) instead of hanging until the worker is killed.
    """
    options: dict = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("postgresql"):
        # connect_args replace the URL's own `options` (a search_path, say): keep them too.
        own = make_url(url).query.get("options", "")
        own = " ".join(own) if isinstance(own, tuple) else own
        timeout = f"-c statement_timeout={statement_timeout * 1000}"
        options["connect_args"] = {
            "connect_timeout": connect_timeout,
            "options": f"{own} {timeout}".strip(),
        }
    return options


def environment_name() -> str:
    """APP_ENV when set. Otherwise a deployment (one that names its DATABASE_URL) is production,
    and a checkout on the embedded SQLite database is development."""
    default = "production" if os.environ.get("DATABASE_URL") else "development"
    return os.environ.get("APP_ENV", default).strip().lower()


def build_config(overrides: dict | None = None) -> dict:
    """Return the Flask config mapping for the environment named by APP_ENV.

    APP_ENV is `development`, `testing` or `production`; see environment_name() for the default.
    """
    overrides = overrides or {}
    env = overrides.get("APP_ENV") or environment_name()
    is_dev_or_test = env in {"development", "testing"}
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if not is_dev_or_test:
            raise ConfigError("SECRET_KEY must be set outside development and testing.")
        secret = DEVELOPMENT_SECRET

    config = {
        "APP_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        # PostgreSQL only (see engine_options): how long to wait for the database to answer a
        # new connection, and the longest one statement may run, both in seconds. Both stay
        # under gunicorn's worker timeout (README: `--timeout 120`; 30 s if not given), so a
        # request answers 503 before its worker is killed.
        "DATABASE_CONNECT_TIMEOUT": _whole_number("DATABASE_CONNECT_TIMEOUT", 5),
        "DATABASE_STATEMENT_TIMEOUT": _whole_number("DATABASE_STATEMENT_TIMEOUT", 20),
        "APP_BASE_URL": os.environ.get("APP_BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_TRANSPORT": os.environ.get("MAIL_TRANSPORT", "outbox"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME"),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS"),
        "SMTP_TIMEOUT": _whole_number("SMTP_TIMEOUT", 30),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@localhost"),
        # A message the server did not take is tried again after 5, 10, 20 … minutes (at most
        # 6 hours apart); after MAIL_MAX_ATTEMPTS it is marked failed for an admin to resend.
        "MAIL_MAX_ATTEMPTS": _whole_number("MAIL_MAX_ATTEMPTS", 8),
        # When the scheduler sends what is waiting in the outbox (retries, invitations).
        "MAIL_DELIVERY_CRON": os.environ.get("MAIL_DELIVERY_CRON", "*/5 * * * *"),
        "REMINDER_CRON": os.environ.get("REMINDER_CRON", "0 8 * * mon"),
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/London"),
        # When the daily readiness snapshots are stored (cron syntax, in TIMEZONE).
        "READINESS_SNAPSHOT_CRON": os.environ.get("READINESS_SNAPSHOT_CRON", "30 0 * * *"),
        # Sessions: signed cookies, invalidated server-side by a per-user session version.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
        ),
        "SESSION_REFRESH_EACH_REQUEST": True,
        # However active, a session ends this many hours after signing in.
        "SESSION_MAX_HOURS": _whole_number("SESSION_MAX_HOURS", 12),
        # Sign-in throttling (counted in the database so every process sees the same numbers):
        # one account from one address is refused after LOGIN_MAX_FAILURES_PER_PAIR failures in
        # the window; an account, or an address, is only slowed down (growing delays, at most
        # LOGIN_MAX_DELAY_SECONDS) after its free failures, so nobody can lock others out.
        "LOGIN_MAX_FAILURES_PER_PAIR": 5,
        "LOGIN_SLOW_AFTER_ACCOUNT_FAILURES": 3,
        "LOGIN_SLOW_AFTER_ADDRESS_FAILURES": 10,
        "LOGIN_MAX_DELAY_SECONDS": 10,
        "LOGIN_THROTTLE_WINDOW_MINUTES": 15,
        # Roles (base or programme role) that must use two-factor sign-in; comma-separated.
        "REQUIRE_2FA_ROLES": os.environ.get("REQUIRE_2FA_ROLES", "admin,board_member"),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session does
        "DEBUG": False,
        "TESTING": env == "testing",
        # How many proxies in front set X-Forwarded-*. 0 (the default) trusts none, so a client
        # cannot forge its address to dodge the per-address sign-in limit.
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        # Spreadsheet imports: the largest file and the most data rows accepted.
        "IMPORT_MAX_BYTES": int(float(os.environ.get("IMPORT_MAX_MB", "10")) * 1024 * 1024),
        "IMPORT_MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "50000")),
        # Every file is read in a separate worker process, stopped after IMPORT_PARSE_SECONDS
        # and allowed IMPORT_PARSE_MEMORY_MB of address space; each user may upload at most
        # IMPORT_UPLOADS_PER_HOUR files in any hour (counted in the database).
        "IMPORT_PARSE_SECONDS": float(os.environ.get("IMPORT_PARSE_SECONDS", "60")),
        "IMPORT_PARSE_MEMORY_BYTES": _whole_number("IMPORT_PARSE_MEMORY_MB", 1024) * 1024 * 1024,
        "IMPORT_UPLOADS_PER_HOUR": _whole_number("IMPORT_UPLOADS_PER_HOUR", 30),
        # A preview never applied expires after this many days: its file and rows are deleted
        # by the daily retention job (`retention purge`), run at IMPORT_EXPIRY_CRON.
        "IMPORT_PREVIEW_DAYS": _whole_number("IMPORT_PREVIEW_DAYS", 14),
        "IMPORT_EXPIRY_CRON": os.environ.get("IMPORT_EXPIRY_CRON", "30 2 * * *"),
        # Retention (docs/DATA-PROTECTION.md), applied by the same daily job: an applied (or
        # undone) import's file and rows are deleted after IMPORT_FILE_DAYS, its counts kept;
        # sign-in attempts after LOGIN_ATTEMPT_DAYS; security-log events after SECURITY_LOG_DAYS.
        "IMPORT_FILE_DAYS": _whole_number("IMPORT_FILE_DAYS", 365),
        "LOGIN_ATTEMPT_DAYS": _whole_number("LOGIN_ATTEMPT_DAYS", 90),
        "SECURITY_LOG_DAYS": _whole_number("SECURITY_LOG_DAYS", 365),
    }
    config.update(overrides)
    config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            config["SQLALCHEMY_DATABASE_URI"],
            config["DATABASE_CONNECT_TIMEOUT"],
            config["DATABASE_STATEMENT_TIMEOUT"],
        ),
    )
    # Flask refuses a bigger request outright (413); the margin leaves room for the form around it.
    config.setdefault("MAX_CONTENT_LENGTH", config["IMPORT_MAX_BYTES"] + 256 * 1024)
    return config
