"""`recruitment import`: an HR recruitment spreadsheet, all rows or none."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from programme.cli.common import report_import, run_service
from programme.clock import today
from programme.domain.imports import IMPORT_ACTIONS
from programme.services import imports, programmes, recruitment_import
from programme.services.errors import ServiceError


@click.group("recruitment", help="Adult specialist recruitment.")
def recruitment_group() -> None:
    pass


@recruitment_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--programme", "programme_slug", required=True)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def import_command(file: Path, programme_slug: str, dry_run: bool, as_json: bool):
    """Import an HR recruitment spreadsheet (.xlsx or .csv)."""
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    limits = imports.read_limits(current_app.config)
    nothing = dict.fromkeys(IMPORT_ACTIONS, 0)
    if file.stat().st_size > limits.max_bytes:
        limit = limits.max_bytes / (1024 * 1024)
        report_import(nothing, [_file_error(f"The file is larger than {limit:g} MB.")], as_json)
    try:
        plan = recruitment_import.import_file(
            programme,
            file.read_bytes(),
            file.name,
            None,
            today=today(),
            limits=limits,
            dry_run=dry_run,
        )
    except ServiceError as error:
        report_import(nothing, [_file_error(error.message)], as_json)
    else:
        report_import(plan.counts, [error.as_dict() for error in plan.errors], as_json)


def _file_error(message: str) -> dict:
    return {"row": None, "column": None, "message": message}
