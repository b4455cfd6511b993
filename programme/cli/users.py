"""`users create`, `users reset-two-factor`."""

import sys

import click
from flask.cli import with_appcontext

from programme.cli.common import fail, run_service
from programme.domain.formatting import person
from programme.domain.permissions import ROLES
from programme.services import account_mail, users


@click.group("users", help="Manage the people who can sign in.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (one line). Without it, the user is e-mailed "
    "an invitation to choose their own.",
)
@with_appcontext
def create_user_command(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Add a user who can sign in: with a password read from stdin, or invited by e-mail."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("No password was given.")
        user = run_service(lambda: users.create_user(email, name, role, password, actor=None))
        click.echo(f"Created {person(user.email, user.role_label)}.")
        return
    invited = run_service(lambda: account_mail.invite_new_user(email, name, role, actor=None))
    user, sending = invited.user, invited.sending
    click.echo(f"Created {person(user.email, user.role_label)}, invited by e-mail.")
    if sending.failed:
        fail(sending.sentence() + " An administrator can resend it from the Users page.")
    click.echo(sending.sentence())


@users_group.command("reset-two-factor")
@click.argument("email")
@with_appcontext
def reset_two_factor_command(email: str) -> None:
    """Turn two-factor sign-in off for a user who lost their phone and recovery codes: they set
    it up again at their next sign-in if their role needs it."""
    from programme.services import two_factor

    user = run_service(lambda: users.require_user(email))
    if run_service(lambda: two_factor.reset(user)):
        click.echo(f"Turned two-factor sign-in off for {user.email}.")
    else:
        click.echo(f"Two-factor sign-in was not on for {user.email}; nothing changed.")
