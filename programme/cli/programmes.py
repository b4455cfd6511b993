"""`programmes create`."""

import click
from flask.cli import with_appcontext

from programme.cli.common import run_service
from programme.services import programmes


@click.group("programmes", help="Family Safeguarding implementation programmes.")
def programmes_group() -> None:
    pass


@programmes_group.command("create")
@click.option("--name", required=True)
@click.option("--slug", required=True, help="Lower-case, hyphenated, e.g. somerset.")
@with_appcontext
def create_programme_command(name: str, slug: str) -> None:
    """Create a programme with the default Family Safeguarding configuration."""
    programme = run_service(lambda: programmes.create_programme(name, slug, actor=None))
    click.echo(f"Created programme {programme.name} ({programme.slug}).")
