"""`readiness show`, `readiness go-live` (CLI.md) and `readiness snapshot`."""

import click
from flask.cli import with_appcontext

from programme import serialisers
from programme.cli.common import ISO_DATE, fail, print_json, run_service
from programme.clock import today
from programme.domain.formatting import count, long_date, percent, share_text
from programme.services import localities, users
from programme.services.errors import ServiceError
from programme.services.readiness import decisions, evaluation, snapshots


@click.group("readiness", help="Localities' go-live readiness and the go-live decision.")
def readiness_group() -> None:
    pass


def _locality(slug: str, programme_slug: str | None):
    return run_service(lambda: localities.find_locality(slug, programme_slug))


@readiness_group.command("show")
@click.argument("locality_slug")
@click.option("--as-of", "as_of", type=ISO_DATE, help="Evaluate on this day (default today).")
@click.option("--programme", "programme_slug", help="Needed only if two programmes share the slug.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def show_command(locality_slug, as_of, programme_slug, as_json) -> None:
    """Evaluate the locality's go-live gate."""
    locality = _locality(locality_slug, programme_slug)
    result = evaluation.evaluate_locality(locality, as_of or today())
    if as_json:
        print_json(serialisers.show_document(locality, result))
        return
    verdict = "ready to go live" if result.ready else "not ready to go live"
    click.echo(f"{locality.name} on {long_date(result.as_of)}: {verdict} (state: {locality.state})")
    for item in result.results:
        mark = "met    " if item.met else "NOT MET"
        share = share_text(item.share, nothing="nothing to count")
        click.echo(
            f"  {mark} {item.label}: {share}, threshold {percent(item.threshold)}"
            + (f" — {item.note}" if item.note else "")
        )
        if item.explanation:  # what the count leaves out
            click.echo(f"          {item.explanation}")
        for shortfall in item.shortfall[:10]:
            click.echo(f"          - {shortfall.label}: {shortfall.detail}")
        if len(item.shortfall) > 10:
            click.echo(f"          … and {len(item.shortfall) - 10} more")


@readiness_group.command("go-live")
@click.argument("locality_slug")
@click.option("--by", "by_email", required=True, help="The board member recording the decision.")
@click.option("--note", default="", help="The board minutes' note.")
@click.option("--programme", "programme_slug", help="Needed only if two programmes share the slug.")
@with_appcontext
def go_live_command(locality_slug, by_email, note, programme_slug) -> None:
    """Record the go-live decision; refused (exit 1) while any criterion is unmet."""
    locality = _locality(locality_slug, programme_slug)
    actor = run_service(
        lambda: decisions.check_decider(users.find_user(by_email), locality.programme_id)
    )
    try:
        decision = decisions.go_live(locality, actor, note, today())
    except decisions.GateNotMet as refusal:
        click.echo(f"{locality.name} cannot go live; these criteria are not met:", err=True)
        for item in refusal.readiness.unmet:
            click.echo(f"  {decisions.unmet_sentence(item)}", err=True)
        raise SystemExit(1) from None
    except ServiceError as error:
        fail(error.message)
    click.echo(
        f"{locality.name} is live: decision {decision.id} recorded by {decision.decided_by_name}."
    )


@readiness_group.command("snapshot")
@click.option("--as-of", "as_of", type=ISO_DATE, help="Record readiness as of this day.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def snapshot_command(as_of, as_json) -> None:
    """Store every locality's readiness for the day (the daily job does this too)."""
    run = run_service(lambda: snapshots.take_snapshots(as_of or today()))
    if as_json:
        print_json(serialisers.snapshot_run_document(run))
        return
    click.echo(
        f"Readiness on {long_date(run.taken_on)}: {count(run.created, 'snapshot')} stored, "
        f"{run.updated} replaced."
    )
