"""`retention purge` (CLI.md): delete what has outlived its retention period. The scheduler runs
the same purge daily (programme/scheduler.py)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from programme.cli.common import print_json, run_service
from programme.clock import utc_now, zone
from programme.domain.formatting import count, date_time
from programme.services import retention


@click.group("retention", help="Deleting what has outlived its retention period.")
def retention_group() -> None:
    pass


@retention_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def purge_command(dry_run: bool, as_json: bool) -> None:
    """Delete what has outlived its retention period (the scheduler runs it daily)."""
    days = current_app.config["IMPORT_PREVIEW_DAYS"]
    periods = retention.periods_from(current_app.config)
    run = run_service(lambda: retention.purge(utc_now(), days, dry_run=dry_run, periods=periods))
    if as_json:
        print_json({"dry_run": dry_run, "purged": run.counts})
        return
    for preview in run.previews:
        click.echo(
            f"{'Would expire' if dry_run else 'Expired'} the {preview.kind} import preview of "
            f"{preview.original_name} (uploaded {date_time(preview.uploaded_at, zone())})"
            + ("." if dry_run else ": its file and rows were deleted.")
        )
    for deleted in run.import_files:
        click.echo(
            f"{'Would delete' if dry_run else 'Deleted'} the file and rows of {deleted.kind} "
            f"import {deleted.id} ({deleted.original_name}); its counts are kept."
        )
    previews = count(len(run.previews), "import preview")
    verb = "would be purged" if dry_run else "purged"
    click.echo(f"{previews} not applied within {count(days, 'day')} {verb}.")
    click.echo(
        f"{count(len(run.import_files), 'applied import file')} older than "
        f"{count(periods.import_files, 'day')}, "
        f"{count(run.sign_in_attempts, 'sign-in attempt')} older than "
        f"{count(periods.sign_in_attempts, 'day')} and "
        f"{count(run.security_events, 'security event')} older than "
        f"{count(periods.security_events, 'day')} {verb}."
    )
