"""`timeline apply`, `milestones list` and `milestones update`."""

import click
from flask.cli import with_appcontext

from programme import serialisers
from programme.cli.common import ISO_DATE, fail, print_json, run_service
from programme.clock import today
from programme.domain.formatting import person, short_date
from programme.domain.permissions import may_edit_milestone
from programme.seed_files import DEFAULT_TIMELINE_KEY
from programme.services import localities, memberships, milestones, timeline, users


@click.group("timeline", help="Launch timelines counted back from go-live.")
def timeline_group() -> None:
    pass


@timeline_group.command("apply")
@click.argument("locality_slug")
@click.option("--template", "template_key", default=DEFAULT_TIMELINE_KEY, show_default=True)
@click.option("--programme", "programme_slug", help="Needed only if the locality slug is shared.")
@with_appcontext
def apply_timeline_command(locality_slug, template_key, programme_slug):
    """Generate a locality's milestones from a timeline template."""
    locality = run_service(lambda: localities.find_locality(locality_slug, programme_slug))
    result = run_service(lambda: timeline.apply_template(locality, None, template_key))
    click.echo(
        f"Applied {result.template.name} to {locality.name}: created {result.created}, "
        f"already there {result.already_there}."
    )


@click.group("milestones", help="A locality's milestones.")
def milestones_group() -> None:
    pass


@milestones_group.command("list")
@click.argument("locality_slug")
@click.option("--programme", "programme_slug", help="Needed only if the locality slug is shared.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def list_milestones_command(locality_slug, programme_slug, as_json):
    """List a locality's milestones."""
    locality = run_service(lambda: localities.find_locality(locality_slug, programme_slug))
    groups = milestones.locality_milestones(locality, today())
    rows = [row.milestone for group in groups for row in group.rows]
    if as_json:
        print_json(serialisers.milestones_document(locality, rows))
        return
    for group in groups:
        click.echo(f"{group.workstream.name} ({group.done}/{len(group.rows)} done)")
        for row in group.rows:
            m = row.milestone
            owner = m.owner.email if m.owner else "no owner"
            due = short_date(m.due, missing="no date")
            flag = " [gate]" if m.gate_critical else ""
            click.echo(f"  #{m.id:<5} {due:<11}  {m.status:<11} {m.title}{flag} ({owner})")


@milestones_group.command("update")
@click.argument("milestone_id", type=int)
@click.option("--status", type=click.Choice(milestones.STATUSES))
@click.option("--owner", "owner_email", help="The owner's e-mail address; '' to clear.")
@click.option("--due", type=ISO_DATE)
@click.option("--notes")
@click.option("--by", "by_email", required=True, help="The user making the change (audited).")
@with_appcontext
def update_milestone_command(milestone_id, status, owner_email, due, notes, by_email):
    """Change a milestone as that user would in the UI."""
    actor = run_service(lambda: users.require_user(by_email))
    milestone = run_service(lambda: milestones.get_milestone(milestone_id))
    role = memberships.role_in(actor, milestone.workstream.programme_id)  # None: not a member
    if (
        not actor.active
        or role is None
        or not may_edit_milestone(role, actor.id, milestone.owner_id)
    ):
        fail(f"{person(actor.email, actor.role_label)} may not change milestone {milestone_id}.")
    changes = {}
    if owner_email is not None:
        changes["owner_email"] = owner_email or None
    if due is not None:
        changes["due"] = due
    change = run_service(
        lambda: milestones.update_milestone(
            milestone_id,
            actor,
            today=today(),
            expected_version=None,
            status=status,
            notes=notes,
            **changes,
        )
    )
    for warning in change.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if change.changed:
        click.echo(f"Updated milestone {milestone_id}: {', '.join(change.changed)}.")
    else:
        click.echo(f"Milestone {milestone_id} unchanged.")
