"""`seed-demo`."""

import click
from flask.cli import with_appcontext

from programme.clock import today
from programme.services.demo import load_demo


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo programme and one user per role; running it twice changes nothing."""
    result = load_demo(today())
    if result.created:
        click.echo(f"Loaded the demo programme {result.programme.name}.")
    else:
        click.echo(
            f"The demo programme {result.programme.name} is already loaded; nothing changed."
        )
    click.echo(f"Demo users created: {result.users_created}.")
    click.echo("Demo sign-in (every demo user has the same password):")
    for email, role in result.logins:
        click.echo(f"  {email:<34} {role}")
    click.echo(f"  password: {result.password}")
