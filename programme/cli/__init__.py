"""The command line of CLI.md: one module per group, each a thin wrapper over services."""

from collections.abc import Callable
from functools import wraps

import click
from flask import Flask

from programme.services.channel import acting_through


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
        scale,
        scheduler,
        staff,
        training,
        training_imports,
        users,
    )

    for command in (
        demo.seed_demo_command,
        users.users_group,
        users.memberships_group,
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
        scale.generate_scale_command,
    ):
        app.cli.add_command(through_command_line(command))


def through_command_line(command: click.Command) -> click.Command:
    """Run `command` (and every command of a group) as coming through the command line, so the
    audit trail reads "command line, acting as X" rather than X's own click on a page."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            through_command_line(sub)
    elif command.callback is not None and not getattr(command.callback, "_through_cli", False):
        command.callback = _in_cli_channel(command.callback)
    return command


def _in_cli_channel(callback: Callable) -> Callable:
    @wraps(callback)
    def run(*args, **kwargs):
        with acting_through("cli"):
            return callback(*args, **kwargs)

    run._through_cli = True  # type: ignore[attr-defined]
    return run
