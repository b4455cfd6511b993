"""`training import-attendance`: trainers' attendance registers, all rows or none."""

import click

from programme.cli.imports import import_command
from programme.services.attendance_import import ATTENDANCE


@click.group("training", help="Training registers.")
def training_group() -> None:
    pass


training_group.command("import-attendance")(
    import_command(
        ATTENDANCE,
        "Import attendance registers (.xlsx or .csv): one row per person per session, with the "
        "course, module number, session date, the person's e-mail and whether they attended.",
    )
)
