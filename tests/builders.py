"""Plain builder functions for test data: sensible defaults, keyword overrides."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from itertools import count

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from programme import clock
from programme.extensions import db
from programme.models import (
    Locality,
    Membership,
    Milestone,
    Post,
    Programme,
    Role,
    Team,
    User,
    Workstream,
)
from programme.services import organisations, programmes, timeline
from programme.services.training import enrolment, registers

DEFAULT_PASSWORD = "correct horse battery staple"
_sequence = count(1)

# Unless a test says otherwise, every user is a member of every programme in the role they were
# created with (as the upgrade to per-programme roles made them): tests of other things need not
# set up memberships. Tests of access pass `member_of=[...]` to say exactly where a user belongs.
EVERY_PROGRAMME = object()
_BELONG_EVERYWHERE: set[str] = set()  # e-mail addresses, unique across the whole run


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    # Hashing once per password keeps the suite fast; scrypt is deliberately slow.
    return generate_password_hash(password, method="scrypt")


def create_user(role: str = "programme_manager", member_of=EVERY_PROGRAMME, **overrides) -> User:
    n = next(_sequence)
    password = overrides.pop("password", DEFAULT_PASSWORD)
    fields = {
        "email": f"{role.replace('_', '.')}{n}@example.org",
        "name": f"{role.replace('_', ' ').title()} {n}",
        "role": role,
        "password_hash": _hash(password),
        "active": True,
    }
    fields.update(overrides)
    user = User(**fields)
    db.session.add(user)
    db.session.flush()
    if role != "admin":
        if member_of is EVERY_PROGRAMME:
            _BELONG_EVERYWHERE.add(user.email)
            member_of = db.session.scalars(select(Programme)).all()
        for programme in member_of:
            db.session.add(Membership(user_id=user.id, programme_id=programme.id, role=role))
    db.session.commit()
    return user


def _everyone_joins(programme: Programme) -> None:
    """Make every user created to belong everywhere a member of a new programme too."""
    users = db.session.execute(select(User.id, User.role, User.email).where(User.role != "admin"))
    for user_id, role, email in users:
        if email in _BELONG_EVERYWHERE:
            db.session.add(Membership(user_id=user_id, programme_id=programme.id, role=role))
    db.session.commit()


def create_programme(
    name: str = "Somerset Family Safeguarding", slug: str | None = None, with_templates: bool = True
) -> Programme:
    if with_templates:
        programme = programmes.create_programme(name, slug, actor=None)
    else:
        programme = Programme(name=name, slug=slug or f"programme-{next(_sequence)}")
        db.session.add(programme)
        db.session.commit()
    _everyone_joins(programme)
    return programme


def create_locality(programme: Programme | None = None, **overrides) -> Locality:
    programme = programme or create_programme()
    n = next(_sequence)
    fields = {
        "name": f"Locality {n}",
        "slug": f"locality-{n}",
        "wave": 1,
        "go_live": date(2027, 4, 6),
    }
    fields.update(overrides)
    locality = Locality(programme=programme, **fields)
    db.session.add(locality)
    db.session.commit()
    return locality


def create_team(locality: Locality, **overrides) -> Team:
    fields = {"name": f"FS Team {next(_sequence)}", "kind": "family_safeguarding"}
    fields.update(overrides)
    team = Team(locality=locality, **fields)
    db.session.add(team)
    db.session.commit()
    return team


def create_workstream(programme: Programme, name: str | None = None) -> Workstream:
    workstream = programmes.workstream_for(programme, name or f"Workstream {next(_sequence)}")
    db.session.commit()
    return workstream


def create_milestone(locality: Locality, **overrides) -> Milestone:
    workstream = overrides.pop("workstream", None) or create_workstream(
        locality.programme, "Governance and partnership"
    )
    fields = {
        "title": f"Milestone {next(_sequence)}",
        "due": date(2027, 1, 6),
        "status": "not_started",
        "offset_amount": 3,
        "offset_unit": "months",
    }
    fields.update(overrides)
    milestone = Milestone(workstream=workstream, locality=locality, **fields)
    db.session.add(milestone)
    db.session.commit()
    return milestone


def apply_lancashire(locality: Locality) -> None:
    timeline.apply_template(locality, None)


def create_post(team: Team, role_key: str = "da_victims", organisation=None, **overrides) -> Post:
    """A post in `team` of the role with `role_key` in the team's programme: vacant, full time,
    employed by `organisation` (by default the programme's organisation of the role's type)."""
    programme = team.locality.programme
    programme_id = programme.id
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme_id, Role.key == role_key)
    )
    fields = {
        "programme_id": programme_id,
        "team": team,
        "role": role,
        "organisation": organisation or organisations.organisation_for_type(programme, role.agency),
        "status": "vacant",
        "fte": 1.0,
    }
    fields.update(overrides)
    post = Post(**fields)
    db.session.add(post)
    db.session.commit()
    return post


def create_staff(team: Team, role_key: str = "social_worker", **overrides):
    """A person in `team` with the role `role_key` of the team's programme, in post for years."""
    from programme.models import StaffMember

    n = next(_sequence)
    programme_id = team.locality.programme_id
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme_id, Role.key == role_key)
    )
    fields = {
        "programme_id": programme_id,
        "team": team,
        "role": role,
        "name": f"Staff Member {n}",
        "email": f"staff{n}@example.org",
        "start_date": date(2020, 1, 6),
    }
    fields.update(overrides)
    staff = StaffMember(**fields)
    db.session.add(staff)
    db.session.commit()
    return staff


def create_session(course, module: int = 1, on: date | None = None, **overrides):
    """A session of `course`'s module `module`, on `on` (the pinned today by default)."""
    from programme.models import TrainingSession

    fields = {
        "programme_id": course.programme_id,
        "course": course,
        "module": next(m for m in course.modules if m.number == module),
        "on": on or clock.today(),
        "capacity": course.capacity,
        "cost_pence": 0,
    }
    fields.update(overrides)
    session = TrainingSession(**fields)
    db.session.add(session)
    db.session.commit()
    return session


def attend(course, module: int, people, status: str = "present", on: date | None = None):
    """A held session of the module (a month before the pinned today, unless `on`) with
    everyone in `people` enrolled and marked `status` on its register."""
    on = on or clock.today() - timedelta(days=30)
    session = create_session(course, module, on)
    enrolment.enrol(  # history: whoever came, however many
        session, [p.id for p in people], None, confirm_over_capacity=True, check_rules=False
    )
    registers.save_register(
        session, dict.fromkeys((p.id for p in people), status), None, today=clock.today()
    )
    return session
