"""`seed-demo`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from programme.clock import today
from programme.services.demo import load_demo
from programme.two_factor import required_roles


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
    must_enrol = required_roles(current_app.config["REQUIRE_2FA_ROLES"])
    for email, role in result.logins:
        note = "  (sets up two-factor sign-in first)" if role in must_enrol else ""
        click.echo(f"  {email:<34} {role}{note}")
    click.echo(f"  password: {result.password}")
    if must_enrol:
        click.echo(
            "  Logins so marked (roles in REQUIRE_2FA_ROLES) set up an authenticator app at "
            "their first sign-in; the others sign in with the password alone."
        )
