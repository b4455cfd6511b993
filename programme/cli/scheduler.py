"""`scheduler` (CLI.md): run the schedule in the foreground, one per deployment."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("scheduler")
@click.option("--list", "list_jobs", is_flag=True, help="Print the schedule and exit.")
@with_appcontext
def scheduler_command(list_jobs: bool) -> None:
    """Run the scheduler in the foreground (one per deployment)."""
    # APScheduler (and tzlocal) load only here: no other command or web worker needs them.
    from programme.scheduler import JOBS, build_scheduler, catch_up, cron_trigger

    app = current_app._get_current_object()
    for job in JOBS:
        expression = app.config[job.cron_setting]
        try:
            cron_trigger(expression, app.config["TIMEZONE"])
        except ValueError as error:
            raise click.ClickException(f"{job.cron_setting}={expression!r}: {error}") from None
        click.echo(f"{job.id}: {expression} ({app.config['TIMEZONE']}) — {job.description}")
    if list_jobs:
        return
    catch_up(app)
    click.echo("Scheduler running; stop it with Ctrl-C.")
    try:
        build_scheduler(app).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")
