"""`recruitment import`: an HR recruitment spreadsheet, all rows or none."""

import click

from programme.cli.imports import import_command
from programme.services.recruitment_import import RECRUITMENT


@click.group("recruitment", help="Adult specialist recruitment.")
def recruitment_group() -> None:
    pass


recruitment_group.command("import")(
    import_command(RECRUITMENT, "Import an HR recruitment spreadsheet (.xlsx or .csv).")
)
