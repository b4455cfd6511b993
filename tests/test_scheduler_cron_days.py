"""Cron settings read day numbers as standard cron does (1 = Monday), not as APScheduler 3's own
from_crontab (0 = Monday), which would send Monday's digest on Tuesday."""

from __future__ import annotations

from datetime import UTC, datetime

from programme.scheduler import build_scheduler, digests_due_this_week


def test_standard_cron_monday_is_due_on_monday(app, pin_clock):
    pin_clock(at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday 09:00 in London
    assert digests_due_this_week("0 8 * * 1") is True


def test_the_weekly_job_with_standard_cron_monday_fires_on_a_monday(app, pin_clock):
    app.config["REMINDER_CRON"] = "0 8 * * 1"
    job = build_scheduler(app).get_job("weekly_digests")
    start = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # a Sunday
    fire = job.trigger.get_next_fire_time(None, start)
    assert fire.strftime("%A") == "Monday", fire
