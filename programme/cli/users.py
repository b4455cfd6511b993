"""`users create` and `memberships add/remove`."""

import sys

import click
from flask.cli import with_appcontext

from programme.cli.common import fail, run_service
from programme.domain.formatting import person
from programme.domain.permissions import INSTANCE_WIDE_ROLES, MEMBER_ROLES, ROLES
from programme.services import account_mail, membership_admin, users
from programme.services.programmes import get_programme

ADMIN_NEEDS_NO_PROGRAMME = (
    "Administrators are instance-wide: they see every programme and need no membership. "
    "Leave out --programme, or choose another role."
)


@click.group("users", help="Manage the people who can sign in.")
def users_group() -> None:
    pass


def _joined(programmes) -> str:
    if not programmes:
        return ""
    return ", member of " + ", ".join(programme.slug for programme in programmes)


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option(
    "--programme",
    "programme_slugs",
    multiple=True,
    metavar="SLUG",
    help="Make the user a member of this programme with ROLE (repeatable). Not for "
    "administrators, who are instance-wide.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (one line). Without it, the user is e-mailed "
    "an invitation to choose their own.",
)
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, programme_slugs: tuple[str, ...], password_stdin: bool
) -> None:
    """Add a user who can sign in: with a password read from stdin, or invited by e-mail."""
    if programme_slugs and role in INSTANCE_WIDE_ROLES:
        fail(ADMIN_NEEDS_NO_PROGRAMME)
    programmes = run_service(lambda: membership_admin.programmes_named(programme_slugs))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("No password was given.")
        user = run_service(lambda: users.create_user(email, name, role, password, None, programmes))
        click.echo(f"Created {person(user.email, user.role_label)}{_joined(programmes)}.")
        return
    invited = run_service(lambda: account_mail.invite_new_user(email, name, role, None, programmes))
    user, sending = invited.user, invited.sending
    click.echo(
        f"Created {person(user.email, user.role_label)}{_joined(programmes)}, invited by e-mail."
    )
    if sending.failed:
        fail(sending.sentence() + " An administrator can resend it from the Users page.")
    click.echo(sending.sentence())


@click.group("memberships", help="Give or take a user's role in one programme.")
def memberships_group() -> None:
    pass


@memberships_group.command("add")
@click.argument("email")
@click.option("--programme", "programme_slug", required=True, metavar="SLUG")
@click.option("--role", required=True, type=click.Choice(list(MEMBER_ROLES)))
@with_appcontext
def add_membership_command(email: str, programme_slug: str, role: str) -> None:
    """Make a user a member of a programme with ROLE, or change the role they hold there."""
    user = run_service(lambda: users.require_user(email))
    programme = run_service(lambda: get_programme(programme_slug))
    current = membership_admin.membership(user, programme)
    if current is not None and current.role == role:
        fail(f"{user.email} is already a member of {programme.slug} as {ROLES[role]}.")
    if current is not None:
        run_service(lambda: membership_admin.change_member_role(user, programme, role, None))
        click.echo(f"{user.email} is now {ROLES[role]} in {programme.slug}.")
        return
    run_service(lambda: membership_admin.add_member(user, programme, role, None))
    click.echo(f"Added {user.email} to {programme.slug} as {ROLES[role]}.")


@memberships_group.command("remove")
@click.argument("email")
@click.option("--programme", "programme_slug", required=True, metavar="SLUG")
@with_appcontext
def remove_membership_command(email: str, programme_slug: str) -> None:
    """Take a user's role in a programme away: they no longer see it."""
    user = run_service(lambda: users.require_user(email))
    programme = run_service(lambda: get_programme(programme_slug))
    run_service(lambda: membership_admin.remove_member(user, programme, None))
    click.echo(f"Removed {user.email} from {programme.slug}.")
