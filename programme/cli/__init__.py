"""The command line of CLI.md: one module per group, each a thin wrapper over services."""

from flask import Flask


def register_commands(app: Flask) -> None:
    from programme.cli import (
        demo,
        exports,
        localities,
        milestones,
        people,
        programmes,
        readiness,
        recruitment,
        reminders,
        retention,
        scheduler,
        staff,
        training,
        training_imports,
        users,
    )

    for command in (
        demo.seed_demo_command,
        users.users_group,
        programmes.programmes_group,
        localities.localities_group,
        localities.teams_group,
        milestones.timeline_group,
        milestones.milestones_group,
        recruitment.recruitment_group,
        staff.staff_group,
        training.courses_group,
        training.sessions_group,
        training_imports.training_group,
        readiness.readiness_group,
        reminders.reminders_group,
        retention.retention_group,
        people.people_group,
        scheduler.scheduler_command,
        exports.export_group,
    ):
        app.cli.add_command(command)
