"""`reminders send` (CLI.md): this week's digests now. The scheduler sends the same at
REMINDER_CRON (programme/scheduler.py)."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from programme.cli.common import ISO_DATE, print_json, run_service
from programme.clock import today
from programme.domain.formatting import count, long_date
from programme.domain.weeks import week_commencing
from programme.services.reminders.weekly import Message, WeekRun, send_week


@click.group("reminders", help="The weekly digests.")
def reminders_group() -> None:
    pass


@reminders_group.command("send")
@click.option("--as-of", "as_of", type=ISO_DATE, help="Send the digests of this day's week.")
@click.option("--dry-run", is_flag=True, help="Print who would get what; write and send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def send_command(as_of, dry_run: bool, as_json: bool) -> None:
    """Build and send this week's digests now; sends nothing already sent for that week."""
    day = as_of or today()
    run = run_service(lambda: send_week(day, dry_run=dry_run))
    if as_json:
        print_json(as_document(run))
    else:
        _report(run, day)
    if run.failed:
        sys.exit(1)


def as_document(run: WeekRun) -> dict:
    return {
        "week": run.week,
        "sent": len(run.sent),
        "skipped": len(run.skipped),
        "failed": len(run.failed),
        "messages": [_message(message) for message in run.sent],
    }


def _message(message: Message) -> dict:
    return {"to": message.to, "kind": message.kind, "items": message.items}


def _report(run: WeekRun, day) -> None:
    stored = current_app.config["MAIL_TRANSPORT"] == "outbox"
    verb = "Would send" if run.dry_run else ("Stored" if stored else "Sent")
    for message in run.sent:
        click.echo(f"{verb} {message.to} a digest of {count(len(message.items), 'item')}.")
    for skip in run.skipped:
        click.echo(f"Skipped {skip.user.email}: {skip.reason}.")
    for message in run.failed:
        click.echo(f"Not sent to {message.to}: {message.error}.", err=True)
    summary = (
        f"Week {run.week} (w/c {long_date(week_commencing(day))}): "
        f"{'would send' if run.dry_run else 'sent'} {len(run.sent)}, "
        f"skipped {len(run.skipped)}, failed {len(run.failed)}."
    )
    if stored and not run.dry_run and run.sent:
        summary += " MAIL_TRANSPORT=outbox: kept in the outbox, not sent (see /admin/outbox)."
    click.echo(summary)
