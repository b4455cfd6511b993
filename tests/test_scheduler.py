"""The schedule: declared once, each job a call to a service in an app context, safe to rerun."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from programme.extensions import db
from programme.models import ReadinessSnapshot
from programme.scheduler import JOBS, build_scheduler, catch_up, in_app_context
from programme.services.errors import Conflict
from programme.services.readiness import snapshots
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY


def _snapshots() -> list[ReadinessSnapshot]:
    return list(db.session.scalars(select(ReadinessSnapshot)))


def test_every_job_is_scheduled_by_its_cron_setting_in_the_programme_s_time_zone(app):
    scheduler = build_scheduler(app)

    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert set(jobs) == {job.id for job in JOBS}
    trigger = jobs["readiness_snapshots"].trigger
    assert isinstance(trigger, CronTrigger)
    assert str(trigger.timezone) == app.config["TIMEZONE"]
    assert str(trigger) == str(CronTrigger.from_crontab("30 0 * * *", timezone="Europe/London"))


def test_the_daily_job_stores_each_locality_s_readiness_once_a_day_however_often_it_runs(app):
    programme = create_programme(slug="somerset")
    create_locality(programme, slug="mendip")
    create_locality(programme, slug="bridgwater")
    [job] = [job for job in JOBS if job.id == "readiness_snapshots"]

    in_app_context(app, job)()
    in_app_context(app, job)()

    snapshots = _snapshots()
    assert len(snapshots) == 2
    assert {snapshot.taken_on for snapshot in snapshots} == {TODAY}
    assert all(snapshot.ready is False for snapshot in snapshots)
    keys = [criterion["key"] for criterion in snapshots[0].criteria]
    assert keys == ["adult_specialists_recruited", "trained_mi_and_fs", "gate_milestones_done"]


def test_starting_the_scheduler_catches_up_on_today_only_if_the_job_has_not_run(app):
    programme = create_programme(slug="somerset")
    create_locality(programme, slug="mendip")

    catch_up(app)
    first = _snapshots()
    catch_up(app)

    assert len(first) == 1
    assert [s.id for s in _snapshots()] == [first[0].id]


def test_scheduler_list_prints_the_schedule_and_exits(app, runner):
    result = runner.invoke(args=["scheduler", "--list"])

    assert result.exit_code == 0, result.output
    assert "readiness_snapshots: 30 0 * * * (Europe/London)" in result.output


def test_a_malformed_cron_setting_is_refused_before_anything_runs(app, runner):
    app.config["READINESS_SNAPSHOT_CRON"] = "every night"

    result = runner.invoke(args=["scheduler", "--list"])

    assert result.exit_code == 1
    assert "READINESS_SNAPSHOT_CRON='every night'" in result.output


def test_the_job_replaces_rows_another_run_stored_at_the_same_moment(app, monkeypatch):
    programme = create_programme(slug="somerset")
    create_locality(programme, slug="mendip")
    calls = []
    real = snapshots.take_snapshots

    def racing(day):
        calls.append(day)
        if len(calls) == 1:
            real(day)  # the other run commits first ...
            raise Conflict("clash")  # ... so this one's insert hit the unique key
        return real(day)

    monkeypatch.setattr(snapshots, "take_snapshots", racing)
    [job] = [job for job in JOBS if job.id == "readiness_snapshots"]

    run = in_app_context(app, job)()

    assert (run.created, run.updated) == (0, 1)
    assert len(_snapshots()) == 1


def test_a_failing_catch_up_does_not_stop_the_scheduler_starting(app, monkeypatch, caplog):
    def broken(day):
        raise RuntimeError("database away")

    monkeypatch.setattr(snapshots, "snapshots_taken_on", broken)

    catch_up(app)

    assert "Catching up on today's readiness snapshots failed" in caplog.text
