"""`courses list` and `sessions create` (CLI.md). `training import-attendance` lives in
training_imports.py."""

import click
from flask.cli import with_appcontext

from programme import serialisers
from programme.cli.common import ISO_DATE, fail, print_json, run_service
from programme.services import programmes, users
from programme.services.training import catalogue, schedule


@click.group("courses", help="A programme's training courses.")
def courses_group() -> None:
    pass


@courses_group.command("list")
@click.option("--programme", "programme_slug", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def list_courses_command(programme_slug: str, as_json: bool) -> None:
    """List the programme's courses with their modules."""
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    courses = catalogue.list_courses(programme)
    if as_json:
        print_json(serialisers.courses_document(courses))
        return
    if not courses:
        click.echo(f"{programme.name} has no courses.")
    for course in courses:
        counts_toward = f", counts toward {course.criterion}" if course.criterion else ""
        click.echo(f"{course.key}: {course.name}{counts_toward}")
        for module in course.modules:
            optional = "" if module.required else " (optional)"
            click.echo(f"  module {module.number}: {module.title}{optional}")


@click.group("sessions", help="Training sessions.")
def sessions_group() -> None:
    pass


@sessions_group.command("create")
@click.option("--programme", "programme_slug", required=True)
@click.option("--course", "course_key", required=True, help="The course's key, e.g. mi.")
@click.option("--module", "module_number", type=int, required=True)
@click.option("--date", "on", type=ISO_DATE, required=True)
@click.option("--trainer", "trainer_email", help="The trainer's e-mail address (a user).")
@click.option("--capacity", type=int, help="Places; the course's cohort size by default.")
@click.option("--venue", default="")
@with_appcontext
def create_session_command(
    programme_slug, course_key, module_number, on, trainer_email, capacity, venue
) -> None:
    """Schedule a training session; prints its id."""
    programme = run_service(lambda: programmes.get_programme(programme_slug))
    course = run_service(lambda: catalogue.get_course(programme, course_key))
    trainer = None
    if trainer_email is not None:
        trainer = users.find_user(trainer_email)
        if trainer is None:
            fail(f"There is no user with the e-mail address {trainer_email}.")
        if not trainer.active:
            fail(f"{trainer.email} is deactivated and cannot run a session.")
    session = run_service(
        lambda: schedule.create_session(
            course, module_number, on, None, trainer=trainer, capacity=capacity, venue=venue
        )
    )
    click.echo(session.id)
