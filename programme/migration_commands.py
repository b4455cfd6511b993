"""`flask db …` (Flask-Migrate's commands) without importing Alembic at start-up.

Flask-Migrate imports Alembic (and Mako, Pygments) as soon as it is imported: ~0.3 s that every
other command and every web worker would pay for nothing. So the `db` group is registered as a
stand-in that loads Flask-Migrate's own group only when `flask db …` runs, and the settings
Flask-Migrate and migrations/env.py read from `app.extensions["migrate"]` build their Migrate
object the first time it is asked for.
"""

from __future__ import annotations

from functools import cached_property

import click
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

# What Flask-Migrate hands to Alembic's context.configure (see migrations/env.py): compare
# column types when autogenerating; batch mode, so SQLite can alter tables.
CONFIGURE_ARGS = {"compare_type": True, "render_as_batch": True}


class MigrationSettings:
    """Stands in for Flask-Migrate's `_MigrateConfig` in `app.extensions["migrate"]`: the same
    attributes, with `migrate` made when first used."""

    def __init__(self, db: SQLAlchemy, directory: str) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = dict(CONFIGURE_ARGS)

    @cached_property
    def migrate(self):
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **CONFIGURE_ARGS)

    @property
    def metadata(self):
        return self.db.metadata


class MigrationCommands(click.Group):
    """The `db` group as `flask --help` lists it; running `flask db …` hands over to
    Flask-Migrate's group (its options, subcommands and help)."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def _real_group(self) -> click.Group:
        from flask_migrate.cli import db

        return db

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real_group().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx) -> list[str]:
        return self._real_group().list_commands(ctx)

    def get_command(self, ctx, cmd_name):
        return self._real_group().get_command(ctx, cmd_name)


def init_migrations(app: Flask, db: SQLAlchemy, directory: str) -> None:
    app.extensions["migrate"] = MigrationSettings(db, directory)
    app.cli.add_command(MigrationCommands())
