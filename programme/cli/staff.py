"""`staff import`: team lists, people matched by e-mail, all rows or none."""

import click

from programme.cli.imports import import_command
from programme.services.staff_import import STAFF


@click.group("staff", help="The people in the programme's teams.")
def staff_group() -> None:
    pass


staff_group.command("import")(
    import_command(
        STAFF,
        "Import team lists (.xlsx or .csv): name, e-mail, locality, team, role, start date and "
        "leaving date per person.",
    )
)
