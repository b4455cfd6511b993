"""Enrolling people on a training session: by name, by team, and whom the forms offer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import long_date
from programme.domain.training import is_relevant
from programme.extensions import db
from programme.models import Attendance, StaffMember, Team, TrainingSession, User
from programme.services import audit
from programme.services.errors import NotFound
from programme.services.facts import staff_facts
from programme.services.transaction import transactional


@dataclass
class Enrolment:
    added: list[StaffMember] = field(default_factory=list)
    already: list[StaffMember] = field(default_factory=list)
    enrolled: int = 0
    capacity: int = 0

    @property
    def over_capacity(self) -> bool:
        return self.enrolled > self.capacity


@transactional
def enrol(session: TrainingSession, staff_ids: list[int], actor: User | None) -> Enrolment:
    """Give people places at a session. Enrolling someone twice changes nothing; going past
    the session's capacity is allowed but reported, for the page to warn about."""
    programme_id = session.programme_id
    present = {place.staff_id for place in session.places}
    result = Enrolment(capacity=session.capacity)
    for staff_id in dict.fromkeys(staff_ids):
        staff = db.session.get(StaffMember, staff_id)
        if staff is None or staff.programme_id != programme_id:
            raise NotFound(f"There is no staff member {staff_id} in this programme.", "staff")
        if staff_id in present:
            result.already.append(staff)
            continue
        session.places.append(Attendance(staff=staff))
        present.add(staff_id)
        result.added.append(staff)
    result.enrolled = len(present)
    if result.added:
        db.session.flush()  # the new places get their ids, which the register writer keys on
        audit.record(
            actor,
            "enrol",
            "training_session",
            session.id,
            f"Enrolled {len(result.added)} on {session.course.name}, module "
            f"{session.module.number}, {long_date(session.on)}",
            programme_id=programme_id,
            after={"enrolled": [s.email for s in result.added]},
        )
    return result


def enrolment_candidates(session: TrainingSession) -> list[StaffMember]:
    """The programme's staff in post on the session's day and not yet enrolled on it, by team
    and name: whom the enrol form and the register's walk-ins offer."""
    enrolled = select(Attendance.staff_id).where(Attendance.session_id == session.id)
    members = list(
        db.session.scalars(
            select(StaffMember)
            .join(Team, Team.id == StaffMember.team_id)
            .where(
                StaffMember.programme_id == session.programme_id, StaffMember.id.not_in(enrolled)
            )
            .options(
                joinedload(StaffMember.team).joinedload(Team.locality),
                joinedload(StaffMember.role),
            )
            .order_by(Team.name, StaffMember.name, StaffMember.id)
        )
    )
    return [
        member
        for member, fact in zip(members, staff_facts(members), strict=True)
        if fact.in_post(session.on)
    ]


@transactional
def enrol_team(session: TrainingSession, team_id: int, actor: User | None) -> Enrolment:
    """Enrol the team's staff whom the session's course is for and who are in post that day."""
    team = db.session.get(Team, team_id)
    if team is None or team.locality.programme_id != session.programme_id:
        raise NotFound(f"There is no team {team_id} in this programme.", "team")
    roles = frozenset(role.id for role in session.course.roles)
    members = list(db.session.scalars(select(StaffMember).where(StaffMember.team_id == team.id)))
    relevant = [
        member.id
        for member, fact in zip(members, staff_facts(members), strict=True)
        if is_relevant(fact, roles, session.on)
    ]
    return enrol(session, relevant, actor)
