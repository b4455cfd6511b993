"""The schedule: declared once, each job a call to a service in an app context, safe to rerun."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import ImportRecord, ReadinessSnapshot
from programme.scheduler import JOBS, build_scheduler, catch_up, in_app_context
from programme.services.errors import Conflict
from programme.services.readiness import snapshots
from programme.services.recruitment_import import RECRUITMENT
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.queries import reread


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


def test_the_retention_purge_is_scheduled_daily_by_its_own_setting(app):
    jobs = {job.id: job for job in build_scheduler(app).get_jobs()}

    [job] = [job for job in JOBS if job.id == "retention_purge"]
    assert job.cron_setting == "IMPORT_EXPIRY_CRON"
    assert str(jobs["retention_purge"].trigger) == str(
        CronTrigger.from_crontab("30 2 * * *", timezone="Europe/London")
    )


def test_the_retention_job_expires_previews_older_than_import_preview_days(app, pin_clock):
    programme = create_programme(slug="somerset")
    create_locality(programme, name="Bridgwater", slug="bridgwater")
    data = csv_bytes(
        [["Locality", "Team", "Role", "Status"], ["Bridgwater", "X", "IDVA", "Vacant"]]
    )
    pin_clock(at=datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    old, _ = RECRUITMENT.upload(programme, data, "old.csv", None, ReadLimits(), today=TODAY)
    pin_clock(at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    new, _ = RECRUITMENT.upload(programme, data, "new.csv", None, ReadLimits(), today=TODAY)
    pin_clock(at=datetime(2026, 11, 30, 2, 30, tzinfo=UTC))
    [job] = [job for job in JOBS if job.id == "retention_purge"]

    run = in_app_context(app, job)()

    assert [preview.id for preview in run.previews] == [old.id]
    assert (reread(old).state, reread(new).state) == ("expired", "previewed")
    assert db.session.get(ImportRecord, old.id).content is None


def test_scheduler_list_names_the_retention_purge(app, runner):
    result = runner.invoke(args=["scheduler", "--list"])

    assert "retention_purge: 30 2 * * * (Europe/London)" in result.output
