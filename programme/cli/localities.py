"""`localities create` and `teams create`."""

import click
from flask.cli import with_appcontext

from programme.cli.common import ISO_DATE, fail, run_service
from programme.clock import today
from programme.domain.formatting import count, long_date
from programme.services import localities, programmes
from programme.services.errors import NeedsConfirmation, ServiceError


@click.group("localities", help="The localities (offices) of a programme.")
def localities_group() -> None:
    pass


@localities_group.command("create")
@click.option("--programme", "programme_slug", required=True)
@click.option("--name", required=True)
@click.option("--go-live", required=True, type=ISO_DATE)
@click.option("--wave", type=click.IntRange(1, 99))
@click.option("--slug")
@click.option(
    "--allow-past-go-live", is_flag=True, help="Accept a go-live date that is already past."
)
@with_appcontext
def create_locality_command(programme_slug, name, go_live, wave, slug, allow_past_go_live):
    """Add a locality to a programme."""
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    try:
        locality = localities.create_locality(
            programme,
            name,
            go_live,
            actor=None,
            today=today(),
            wave=wave,
            slug=slug,
            confirm_past_go_live=allow_past_go_live,
        )
    except NeedsConfirmation as error:
        fail(f"{error.message} Run again with --allow-past-go-live if that is right.")
    except ServiceError as error:
        fail(error.message)
    go_live = long_date(locality.go_live)
    click.echo(f"Created locality {locality.name} ({locality.slug}), go-live {go_live}.")


@click.group("teams", help="The teams of a locality.")
def teams_group() -> None:
    pass


@teams_group.command("create")
@click.option("--locality", "locality_slug", required=True)
@click.option("--programme", "programme_slug", help="Needed only if the locality slug is shared.")
@click.option("--name", required=True)
@click.option(
    "--kind", type=click.Choice(list(localities.TEAM_KINDS)), default="family_safeguarding"
)
@click.option("--establishment", help="Create the team's posts from this establishment template.")
@click.option(
    "--serves",
    "serves",
    multiple=True,
    metavar="SLUG",
    help="Another locality of the programme the team serves (repeatable).",
)
@click.option("--serves-all", is_flag=True, help="The team serves every locality of the programme.")
@with_appcontext
def create_team_command(
    locality_slug, programme_slug, name, kind, establishment, serves, serves_all
):
    """Add a team to a locality."""
    locality = run_service(lambda: localities.find_locality(locality_slug, programme_slug))
    team = run_service(
        lambda: localities.create_team(
            locality,
            name,
            actor=None,
            kind=kind,
            establishment=establishment,
            today=today(),
            serves_all=serves_all,
            serves=serves,
        )
    )
    posts = f" with {count(len(team.posts), 'post')} from {establishment}" if establishment else ""
    reach = (
        "; it serves every locality"
        if team.serves_all
        else "; it also serves " + ", ".join(other.name for other in team.served)
        if team.served
        else ""
    )
    click.echo(f"Created team {team.name} in {locality.name}{posts}{reach}.")
