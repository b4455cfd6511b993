"""Start-up stays light (issue 18): building the app, as every command and web worker does,
imports none of the libraries only some requests or commands use, and hashes nothing. Checked
by what a fresh process has imported, never by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each costs 0.05-0.3 s to import; the comment says who loads it when it is needed.
HEAVY = {
    "alembic": "`flask db …` and the readiness probe",
    "flask_migrate": "`flask db …`",
    "mako": "Alembic",
    "openpyxl": "reading an uploaded workbook, writing a download",
    "python_calamine": "reading an uploaded workbook",
    "PIL": "openpyxl",
    "numpy": "openpyxl",
    "icalendar": "calendar invitations and feeds",
    "zxcvbn": "setting a password",
    "holidays": "working-day sums",
    "segno": "two-factor set-up's QR code",
    "email_validator": "checking an e-mail address",
    "dns": "email_validator",
    "apscheduler": "`flask scheduler`",
    "tzlocal": "APScheduler",
    "psycopg": "a PostgreSQL database only",
}

# Builds the app as `flask --app app` and gunicorn do, lists the commands as `flask --help`
# does, and reports what it imported and how many password hashes it made.
PROBE = """
import json, sys
import werkzeug.security

hashes = []
make_hash = werkzeug.security.generate_password_hash
werkzeug.security.generate_password_hash = lambda *a, **k: hashes.append(1) or make_hash(*a, **k)

import app

listing = app.app.test_cli_runner().invoke(args=["--help"])
assert listing.exit_code == 0 and " db " in listing.output, listing.output
print(json.dumps({"modules": sorted(sys.modules), "hashes": len(hashes)}))
"""


def start_up(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never-opened.sqlite'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_building_the_app_imports_no_heavy_library_and_hashes_nothing(tmp_path):
    report = start_up(tmp_path)
    imported = {name.split(".")[0] for name in report["modules"]}
    assert {name: HEAVY[name] for name in HEAVY.keys() & imported} == {}
    assert report["hashes"] == 0  # the sign-in dummy hash is made at the first sign-in


def test_the_db_group_hands_over_to_flask_migrate_when_run(runner):
    listing = runner.invoke(args=["db", "--help"])
    assert listing.exit_code == 0
    assert "upgrade" in listing.output and "--directory" in listing.output

    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output


def test_the_migration_settings_are_flask_migrates(app):
    settings = app.extensions["migrate"]
    # migrations/env.py adds its own callback to them, as it did to Flask-Migrate's.
    assert settings.configure_args["compare_type"] is True
    assert settings.configure_args["render_as_batch"] is True
    config = settings.migrate.get_config()
    assert Path(config.get_main_option("script_location")) == Path(settings.directory)
