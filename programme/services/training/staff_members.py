"""Staff records: the people in a programme's teams whose training is tracked."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.domain.recruitment import is_email
from programme.extensions import db
from programme.models import Post, Programme, StaffMember, Team, User
from programme.services import audit, organisations
from programme.services.errors import Conflict, ServiceError
from programme.services.recruitment import roles
from programme.services.transaction import transactional


def find_staff(programme: Programme, email: str) -> StaffMember | None:
    return db.session.scalar(
        select(StaffMember).where(
            StaffMember.programme_id == programme.id,
            StaffMember.email == email.strip().lower(),
        )
    )


@transactional
def create_staff(
    team: Team,
    actor: User | None,
    *,
    name: str,
    email: str,
    role_id: int,
    start_date: date | None = None,
    leaving_date: date | None = None,
    post_id: int | None = None,
    organisation_id: int | None = None,
) -> StaffMember:
    """Add a person to a team. Their employer is `organisation_id`, else their post's."""
    programme = team.locality.programme
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ServiceError("Enter the person's name.", "name")
    if not is_email(email):
        raise ServiceError("Enter the person's e-mail address, like name@example.org.", "email")
    if leaving_date and start_date and leaving_date < start_date:
        raise ServiceError("The leaving date must be on or after the start date.", "leaving_date")
    roles.get_role(programme, role_id)  # a role of this programme, or NotFound
    if find_staff(programme, email) is not None:
        raise Conflict(f"{email} is already in {programme.name}.", "email")
    if organisation_id is not None:
        organisations.get_organisation(programme, organisation_id)  # or NotFound
    elif post_id is not None:
        organisation_id = db.session.scalar(
            select(Post.organisation_id).where(
                Post.id == post_id, Post.programme_id == programme.id
            )
        )
    staff = StaffMember(
        programme_id=programme.id,
        team=team,
        role_id=role_id,
        post_id=post_id,
        organisation_id=organisation_id,
        name=name,
        email=email,
        start_date=start_date,
        leaving_date=leaving_date,
    )
    db.session.add(staff)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "staff",
        staff.id,
        f"Added {name} to {team.name}",
        programme_id=programme.id,
        locality_id=team.locality_id,
        after={"name": name, "email": email, "team": team.name},
    )
    return staff
