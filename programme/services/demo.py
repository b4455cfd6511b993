"""The demo programme in seed/demo.toml, loaded through the same services users use."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import count
from math import ceil

from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.domain.training import AttendanceStatus
from programme.extensions import db
from programme.models import (
    Locality,
    MilestoneStatus,
    Programme,
    Role,
    StaffMember,
    Team,
    User,
)
from programme.seed_files import DEMO_RECRUITMENT_FILE, SEED_DIR
from programme.services import (
    audit,
    localities,
    membership_admin,
    organisations,
    programmes,
    recruitment_import,
    timeline,
    users,
)
from programme.services.board_packs import issue
from programme.services.demo_business_case import load_business_case
from programme.services.demo_outcomes import load_outcomes
from programme.services.demo_people import HELD_POSTS, demo_email
from programme.services.demo_pilot import decision_day, fill_pilot_posts, go_live_pilots
from programme.services.readiness import snapshots
from programme.services.training import (
    calendar_invites,
    catalogue,
    enrolment,
    registers,
    schedule,
    session_changes,
    staff_members,
)
from programme.services.transaction import transactional

DEMO_FILE = SEED_DIR / "demo.toml"


@dataclass(frozen=True)
class DemoLoad:
    programme: Programme
    created: bool
    users_created: int
    password: str
    logins: list[tuple[str, str]]


def read_demo() -> dict:
    return tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))


@transactional
def load_demo(today: date) -> DemoLoad:
    """Load the demo users and programme, its teams' posts, the demo HR spreadsheet, its
    staff with their training, and its business case; anything already there is left as it
    is."""
    demo = read_demo()
    password = demo["password"]
    users_created = 0
    for person in demo["users"]:
        if users.find_user(person["email"]) is None:
            users.create_user(person["email"], person["name"], person["role"], password, None)
            users_created += 1
    logins = [(p["email"], p["role"]) for p in demo["users"]]
    slug = demo["programme"]["slug"]
    existing = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if existing is not None:
        _join(existing, demo["users"])
        return DemoLoad(existing, False, users_created, password, logins)
    programme = programmes.create_programme(demo["programme"]["name"], slug, None)
    _join(programme, demo["users"])
    owners = {name: users.find_user(email) for name, email in demo["owners"].items()}
    _load_organisations(programme, demo["organisations"], today)
    for entry in demo["localities"]:
        _load_locality(programme, entry, owners, demo["establishments"], today)
    # The last board's pack, issued before the HR spreadsheet and the training came in, so the
    # changes since it (posts filled, people trained, criteria moving) are there to see.
    _issue_board_pack(programme, demo["board_pack"], today)
    _import_recruitment(programme, today)
    fill_pilot_posts(programme, demo["localities"], demo["training"], today)
    with calendar_invites.silenced():  # made-up people: no invitations to flood the outbox
        _load_training(programme, demo["training"], today)
    go_live_pilots(programme, demo["localities"], today)
    load_outcomes(programme, today)
    _take_snapshots(programme, demo["readiness"], today)
    load_business_case(programme, demo["business_case"], today)
    audit.record(
        None,
        "seed_demo",
        "programme",
        programme.id,
        "Loaded the demo programme",
        programme_id=programme.id,
    )
    return DemoLoad(programme, True, users_created, password, logins)


def _join(programme: Programme, people: list[dict]) -> None:
    """Each demo user who is not an administrator becomes a member of the demo programme with
    their role, unless they already belong to it (in whatever role someone since gave them)."""
    for person in people:
        user = users.find_user(person["email"])
        if user.is_admin or membership_admin.membership(user, programme) is not None:
            continue
        membership_admin.add_member(user, programme, user.role, None)


def _load_organisations(programme: Programme, entries: list[dict], today: date) -> None:
    """The named partners, before any post: the teams' posts go to the one of their type."""
    for entry in entries:
        days_ago = entry.get("agreement_signed_days_ago")
        organisations.create_organisation(
            programme,
            entry["name"],
            entry["type"],
            None,
            names=entry.get("names", ()),
            agreement_signed_on=None if days_ago is None else today - timedelta(days=days_ago),
            contact=entry.get("contact", ""),
        )


def _issue_board_pack(programme: Programme, config: dict, today: date) -> None:
    issued_by = users.find_user(config["issued_by"])
    meeting = today - timedelta(days=config["meeting_days_ago"])
    issue.issue_pack(programme, meeting, issued_by, today)


def _take_snapshots(programme: Programme, config: dict, today: date) -> None:
    """Readiness as the daily job would have recorded it on past days, for the trend charts."""
    every = config["snapshot_every_days"]
    for days_ago in range(config["snapshot_days"], -1, -every):
        snapshots.take_snapshots(today - timedelta(days=days_ago), [programme])


def _next_monday(day: date) -> date:
    """Localities go live at the start of a week."""
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _load_locality(
    programme: Programme,
    entry: dict,
    owners: dict[str, User | None],
    establishments: dict[str, str],
    today: date,
) -> Locality:
    locality = localities.create_locality(
        programme,
        entry["name"],
        _next_monday(today + timedelta(days=entry["go_live_in_days"])),
        None,
        today=today,
        wave=entry["wave"],
        confirm_past_go_live="pilot" in entry,
    )
    # A pilot's teams and their template posts were set up long ago, before its posts were filled.
    established = today - timedelta(days=entry.get("pilot", {}).get("established_days_ago", 0))
    for kind, names in (
        ("family_safeguarding", entry["teams"]),
        ("area", entry.get("area_teams", [])),
        ("county", entry.get("county_teams", [])),
    ):
        for name in names:
            localities.create_team(
                locality,
                name,
                None,
                kind,
                establishment=establishments[kind],
                today=established,
                serves_all=kind == "county",
            )
    timeline.apply_template(locality, None)
    db.session.flush()
    left_open, started = set(entry["open"]), set(entry["in_progress"])
    done_early = set(entry.get("done_early", []))
    # A pilot's milestones were all done before the board decided on its go-live.
    decided = decision_day(locality, entry)
    for milestone in locality.milestones:
        milestone.owner = owners.get(milestone.workstream.name)
        if milestone.stands_for:
            continue  # the board's go-live decision sets its status, nobody else
        if milestone.title in started:
            milestone.status = MilestoneStatus.IN_PROGRESS.value
        elif milestone.title in done_early:
            milestone.status = MilestoneStatus.DONE.value
            milestone.completed_on = today - timedelta(days=3)
        elif milestone.due and milestone.due < today and milestone.title not in left_open:
            milestone.status = MilestoneStatus.DONE.value
            milestone.completed_on = milestone.due
            if decided is not None and milestone.due >= decided:
                milestone.completed_on = decided - timedelta(days=1)
    return locality


def _import_recruitment(programme: Programme, today: date) -> None:
    """Fill the template posts in from the demo HR spreadsheet, through the users' importer."""
    plan = recruitment_import.RECRUITMENT.import_file(
        programme,
        DEMO_RECRUITMENT_FILE.read_bytes(),
        DEMO_RECRUITMENT_FILE.name,
        None,
        today=today,
        limits=ReadLimits(),
    )
    if plan.count("rejected"):
        problems = "; ".join(error.sentence() for error in plan.errors)
        raise ValueError(f"{DEMO_RECRUITMENT_FILE.name} does not match seed/demo.toml: {problems}")


# --- Training -----------------------------------------------------------------------------------

STARTS_AT = time(9, 30)


def _load_training(programme: Programme, config: dict, today: date) -> None:
    """Staff for the demo teams, then the sessions and registers of seed/demo.toml's `runs`."""
    trainer = users.find_user(config["trainer"])
    teams = list(
        db.session.scalars(
            select(Team)
            .join(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.id, Team.id)
        )
    )
    _load_staff(programme, teams, config, today)
    locality_ids = {team.locality.name: team.locality_id for team in teams}
    for run in config["runs"]:
        _run_course(programme, locality_ids[run["locality"]], run, config, trainer, today)
    if "cancelled" in config:
        _cancelled_session(programme, config["cancelled"], config, trainer, today)


def _cancelled_session(
    programme: Programme, entry: dict, config: dict, trainer: User | None, today: date
) -> None:
    """An upcoming session scheduled and then cancelled, with its reason."""
    session = schedule.create_session(
        catalogue.get_course(programme, entry["course"]),
        entry["module"],
        _weekday(today + timedelta(days=entry["in_days"])),
        None,
        trainer=trainer,
        venue=config["venues"].get(entry["locality"], ""),
        starts_at=STARTS_AT,
    )
    session_changes.cancel_session(session, trainer, entry["reason"])


def _load_staff(programme: Programme, teams: list[Team], config: dict, today: date) -> None:
    first, last = config["first_names"], config["last_names"]
    # With coprime list lengths, the i-th pair of names is unique for every i below their product.
    names = (f"{first[i % len(first)]} {last[i % len(last)]}" for i in count())
    taken = {post.holder_email.lower() for team in teams for post in team.posts}
    started = today - timedelta(days=config["started_days_ago"])
    for team in teams:
        for post in team.posts:
            if post.status in HELD_POSTS and post.holder_name:
                name = post.holder_name
                email = post.holder_email or demo_email(name)
                start = post.start_date
            elif post.organisation.type == "council" and post.reference is None:
                name = next(names)
                while demo_email(name) in taken:
                    name = next(names)
                email, start = demo_email(name), started
            else:
                continue  # a vacancy
            taken.add(email)
            staff_members.create_staff(
                team,
                None,
                name=name,
                email=email,
                role_id=post.role_id,
                start_date=start,
                post_id=post.id,
            )
    by_name = {team.name: team for team in teams}
    for person in config.get("extra_staff", []):
        team = by_name[person["team"]]
        role = db.session.scalar(
            select(Role).where(Role.programme_id == programme.id, Role.key == person["role"])
        )
        left = person.get("left_days_ago")
        staff_members.create_staff(
            team,
            None,
            name=person["name"],
            email=demo_email(person["name"]),
            role_id=role.id,
            start_date=today - timedelta(days=person["started_days_ago"]),
            leaving_date=None if left is None else today - timedelta(days=left),
        )


def _weekday(day: date) -> date:
    """Training runs on weekdays: a Saturday or Sunday moves to the Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _run_course(
    programme: Programme,
    locality_id: int,
    run: dict,
    config: dict,
    trainer: User | None,
    today: date,
) -> None:
    """One course delivered to a locality's relevant staff, in cohorts of the course's size."""
    course = catalogue.get_course(programme, run["course"])
    numbers = run.get("modules") or [m.number for m in course.modules if m.required]
    first_day = today + timedelta(days=run["first_module_in_days"])
    role_ids = {role.id for role in course.roles}
    people = [
        person
        for person in db.session.scalars(
            select(StaffMember)
            .join(Team)
            .where(Team.locality_id == locality_id)
            .order_by(Team.id, StaffMember.id)
        )
        if person.role_id in role_ids
        and (person.start_date is None or person.start_date <= first_day)
        and (person.leaving_date is None or person.leaving_date > first_day)
    ]
    if not people:
        return
    size = ceil(len(people) / ceil(len(people) / course.capacity))  # even, none past capacity
    cohorts = [people[i : i + size] for i in range(0, len(people), size)]
    late = {person.id for person in people[: run.get("late", 0)]}
    # The last people are absent from the last module, and those just before them leave early.
    first_absent = len(people) - run.get("absent", 0)
    absent = {person.id for person in people[first_absent:]}
    left_early = {p.id for p in people[first_absent - run.get("left_early", 0) : first_absent]}
    venue = config["venues"].get(run["locality"], "")
    every = run["days_between_modules"]
    for position, number in enumerate(numbers):
        for k, cohort in enumerate(cohorts):
            on = _weekday(first_day + timedelta(days=position * every + 2 * k))
            session = schedule.create_session(
                course, number, on, None, trainer=trainer, venue=venue, starts_at=STARTS_AT
            )
            enrolment.enrol(session, [person.id for person in cohort], None)
            if on >= today or number in run.get("no_register", []):
                continue
            marks = {}
            for person in cohort:
                status = AttendanceStatus.PRESENT
                if position == 0 and person.id in late:
                    status = AttendanceStatus.LATE
                if position == len(numbers) - 1:
                    if person.id in absent:
                        status = AttendanceStatus.ABSENT
                    elif person.id in left_early:
                        status = AttendanceStatus.LEFT_EARLY
                marks[person.id] = status.value
            registers.save_register(session, marks, trainer, today=today)
