"""What every import command shares: options, reading the file, and the report."""

from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from programme import serialisers
from programme.cli.common import report_import, run_service
from programme.clock import today
from programme.domain.formatting import file_size
from programme.domain.imports import IMPORT_ACTIONS
from programme.models import User
from programme.services import import_flow, imports, programmes, users
from programme.services.errors import ServiceError
from programme.services.value_mappings import MapOptionError


def import_command(importer: import_flow.Importer, help_text: str) -> Callable:
    """A `... import FILE --programme SLUG [--dry-run] [--json]` command for one importer."""

    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--programme", "programme_slug", required=True)
    @click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    @click.option(
        "--by",
        "by_email",
        default=None,
        metavar="EMAIL",
        help="The user the import is done for: the audit trail reads "
        '"command line, acting as" them (without it, "command line").',
    )
    @click.option(
        "--map",
        "map_options",
        multiple=True,
        metavar='"COLUMN=VALUE:KNOWN"',
        help="Treat VALUE in the column COLUMN as the known KNOWN, for this run (repeatable).",
    )
    @with_appcontext
    def command(
        file: Path,
        programme_slug: str,
        dry_run: bool,
        as_json: bool,
        by_email: str | None,
        map_options: tuple,
    ):
        run_import(
            importer,
            file,
            programme_slug,
            dry_run=dry_run,
            as_json=as_json,
            maps=map_options,
            by_email=by_email,
        )

    command.__doc__ = help_text
    return command


def run_import(
    importer: import_flow.Importer,
    file: Path,
    programme_slug: str,
    *,
    dry_run: bool,
    as_json: bool,
    maps: tuple[str, ...] = (),
    by_email: str | None = None,
) -> None:
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    actor = run_service(lambda: _acting_as(by_email)) if by_email else None
    limits = imports.read_limits(current_app.config)
    nothing = dict.fromkeys(IMPORT_ACTIONS, 0)
    # The recruitment import reports the employing organisations new to the programme.
    none_added = [] if "organisation" in importer.fields else None
    if file.stat().st_size > limits.max_bytes:
        limit = file_size(limits.max_bytes)
        report_import(
            nothing,
            [serialisers.file_error(f"The file is larger than {limit}.")],
            as_json,
            none_added,
        )
    try:
        plan = importer.import_file(
            programme,
            file.read_bytes(),
            file.name,
            actor,
            today=today(),
            limits=limits,
            dry_run=dry_run,
            map_options=maps,
        )
    except MapOptionError as error:
        raise click.UsageError(error.message) from None
    except ServiceError as error:
        report_import(nothing, [serialisers.file_error(error.message)], as_json, none_added)
    else:
        if not as_json:  # a note on stderr; the report's last line stays the counts
            for entry in plan.skipped:
                rows = f"Rows {entry.number}-{entry.last}" if entry.last else f"Row {entry.number}"
                click.echo(f"{rows}: not data, skipped ({entry.reason}).", err=True)
        added = None if none_added is None else [new.as_dict() for new in plan.organisations_added]
        report_import(
            plan.counts,
            [error.as_dict() for error in plan.errors],
            as_json,
            added,
            [warning.sentence() for warning in plan.warnings],
            dry_run=dry_run,
        )


def _acting_as(email: str) -> User:
    """The user `--by` names: one who exists and may still sign in."""
    user = users.require_user(email)
    if not user.active:
        raise ServiceError(f"{user.email} is deactivated: name an active user with --by.")
    return user
