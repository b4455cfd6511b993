"""The scheduler's mail jobs: the weekly digests at REMINDER_CRON, the outbox every few minutes,
and catching up on a week's digests missed while the scheduler was down."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from programme.scheduler import JOBS, build_scheduler, catch_up, digests_due_this_week
from tests.builders import create_locality, create_milestone, create_user


def test_the_digests_and_the_outbox_are_scheduled_by_their_settings(app):
    jobs = {job.id: job for job in build_scheduler(app).get_jobs()}
    settings = {job.id: job.cron_setting for job in JOBS}
    assert settings["weekly_digests"] == "REMINDER_CRON"
    assert settings["mail_delivery"] == "MAIL_DELIVERY_CRON"
    monday_8am = CronTrigger.from_crontab("0 8 * * mon", timezone="Europe/London")
    assert str(jobs["weekly_digests"].trigger) == str(monday_8am)


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (datetime(2026, 11, 30, 7, 59, tzinfo=UTC), False),  # Monday, before 08:00 in London
        (datetime(2026, 11, 30, 8, 0, tzinfo=UTC), True),
        (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), True),  # Sunday night, same week
        (datetime(2027, 6, 28, 6, 59, tzinfo=UTC), False),  # 07:59 BST, Monday in summer
        (datetime(2027, 6, 28, 7, 0, tzinfo=UTC), True),  # 08:00 BST
    ],
)
def test_whether_this_week_s_digest_time_has_come(app, pin_clock, moment, due):
    pin_clock(at=moment)
    assert digests_due_this_week("0 8 * * mon") is due


def test_a_friday_schedule_is_not_due_on_a_tuesday(app, pin_clock):
    pin_clock(at=datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert digests_due_this_week("0 8 * * fri") is False


def test_starting_late_in_the_week_sends_the_week_s_digests_once(app, pin_clock, smtp_server):
    pin_clock(at=datetime(2026, 12, 2, 10, tzinfo=UTC))  # Wednesday: Monday's run was missed
    owner = create_user("programme_manager", email="owner@northshire.gov.uk")
    create_milestone(
        create_locality(go_live=date(2027, 9, 6)),
        owner_id=owner.id,
        due=date(2026, 12, 2) + timedelta(days=5),
    )
    catch_up(app)
    catch_up(app)  # a restart: nothing twice
    assert [mail.to for mail in smtp_server.received] == [owner.email]
