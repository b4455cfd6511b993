"""The schedule, declared in one place. Each job runs in an app context and calls one service.

Run exactly one scheduler per deployment (`flask --app app scheduler`), beside any number of web
processes: the jobs keep no state in the process, and each is safe to run twice (a day's
readiness snapshot replaces that day's earlier one; a digest is sent once per person and ISO week,
the database's unique key and a claim on each outbox row deciding it), so a restart or a second
scheduler started by mistake does no harm: it only does the same work twice over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask, current_app

from programme.clock import now, today, utc_now
from programme.domain.cron import standard_crontab
from programme.domain.weeks import week_commencing
from programme.services import retention
from programme.services.channel import acting_through
from programme.services.errors import Conflict
from programme.services.mail import outbox
from programme.services.readiness import snapshots
from programme.services.reminders.weekly import WeekRun, send_week

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    cron_setting: str  # the config key holding its cron expression
    run: Callable[[], object]
    description: str


def take_readiness_snapshots() -> snapshots.SnapshotRun:
    try:
        return snapshots.take_snapshots(today())
    except Conflict:  # another run stored the day's rows at the same moment: replace them
        return snapshots.take_snapshots(today())


def purge_retention() -> retention.PurgeRun:
    """The same purge as `retention purge`: previews never applied expire after
    IMPORT_PREVIEW_DAYS, their stored files and rows deleted."""
    days = current_app.config["IMPORT_PREVIEW_DAYS"]
    try:
        return retention.purge(utc_now(), days)
    except Conflict:  # a preview was applied at the same moment: the rest expire on a rerun
        return retention.purge(utc_now(), days)


def send_weekly_digests() -> WeekRun:
    """The same run as `reminders send`: this week's digests, each sent once."""
    return send_week(today())


def deliver_outbox() -> outbox.Delivery:
    """Send what waits in the outbox: retries after a failed attempt, and any message whose
    first attempt (an invitation sent from a web request) did not get through."""
    return outbox.deliver_due()


JOBS = (
    Job(
        "readiness_snapshots",
        "READINESS_SNAPSHOT_CRON",
        take_readiness_snapshots,
        "store every locality's go-live readiness for the day",
    ),
    Job(
        "retention_purge",
        "IMPORT_EXPIRY_CRON",
        purge_retention,
        "delete what has outlived its retention period (import previews never applied)",
    ),
    Job(
        "weekly_digests",
        "REMINDER_CRON",
        send_weekly_digests,
        "send each person's weekly digest (once per person and week)",
    ),
    Job(
        "mail_delivery",
        "MAIL_DELIVERY_CRON",
        deliver_outbox,
        "send what waits in the outbox (retries with backoff)",
    ),
)


def cron_trigger(expression: str, timezone) -> CronTrigger:
    """A trigger for a standard cron expression (Sunday is day 0) in `timezone`; a ValueError
    names what is wrong with a malformed one."""
    return CronTrigger.from_crontab(standard_crontab(expression), timezone=timezone)


def in_app_context(app: Flask, job: Job) -> Callable[[], object]:
    def run() -> object:
        with app.app_context(), acting_through("scheduler"):
            return job.run()

    return run


def build_scheduler(app: Flask) -> BlockingScheduler:
    zone = app.config["TIMEZONE"]
    scheduler = BlockingScheduler(timezone=zone)
    for job in JOBS:
        scheduler.add_job(
            in_app_context(app, job),
            cron_trigger(app.config[job.cron_setting], zone),
            id=job.id,
            name=job.description,
            coalesce=True,  # after downtime, run once rather than once per missed day
            misfire_grace_time=6 * 3600,
            max_instances=1,
        )
    return scheduler


def catch_up(app: Flask) -> None:
    """On start, do what a scheduler down at the wrong moment missed: today's snapshot, and this
    week's digests if their time has passed (sending nothing already sent). A failure is logged,
    not raised: the schedule still starts and the jobs run at their times."""
    with app.app_context(), acting_through("scheduler"):
        try:
            if not snapshots.snapshots_taken_on(today()):
                take_readiness_snapshots()
        except Exception:
            log.exception("Catching up on today's readiness snapshots failed")
        try:
            if digests_due_this_week(app.config["REMINDER_CRON"]):
                send_weekly_digests()
        except Exception:
            log.exception("Catching up on this week's digests failed")


def digests_due_this_week(expression: str) -> bool:
    """Whether this ISO week's digest time (REMINDER_CRON) has already come."""
    moment = now()
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=start.weekday())
    first = cron_trigger(expression, moment.tzinfo).get_next_fire_time(None, start)
    return first is not None and week_commencing(first.date()) == start.date() and first <= moment
