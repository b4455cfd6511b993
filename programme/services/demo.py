"""The demo programme in seed/demo.toml, loaded through the same services users use."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Locality, MilestoneStatus, Programme, User
from programme.seed_files import DEMO_RECRUITMENT_FILE, SEED_DIR
from programme.services import audit, localities, programmes, recruitment_import, timeline, users
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
    """Load the demo users and programme, its teams' posts and the demo HR spreadsheet; anything
    already there is left as it is."""
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
        return DemoLoad(existing, False, users_created, password, logins)
    programme = programmes.create_programme(demo["programme"]["name"], slug, None)
    owners = {name: users.find_user(email) for name, email in demo["owners"].items()}
    for entry in demo["localities"]:
        _load_locality(programme, entry, owners, demo["establishments"], today)
    _import_recruitment(programme, today)
    audit.record(
        None,
        "seed_demo",
        "programme",
        programme.id,
        "Loaded the demo programme",
        programme_id=programme.id,
    )
    return DemoLoad(programme, True, users_created, password, logins)


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
    )
    for kind, names in (
        ("family_safeguarding", entry["teams"]),
        ("area", entry.get("area_teams", [])),
    ):
        for name in names:
            localities.create_team(
                locality, name, None, kind, establishment=establishments[kind], today=today
            )
    timeline.apply_template(locality, None)
    db.session.flush()
    left_open, started = set(entry["open"]), set(entry["in_progress"])
    for milestone in locality.milestones:
        milestone.owner = owners.get(milestone.workstream.name)
        if milestone.title in started:
            milestone.status = MilestoneStatus.IN_PROGRESS.value
        elif milestone.due and milestone.due < today and milestone.title not in left_open:
            milestone.status = MilestoneStatus.DONE.value
            milestone.completed_on = milestone.due
    return locality


def _import_recruitment(programme: Programme, today: date) -> None:
    """Fill the template posts in from the demo HR spreadsheet, through the users' importer."""
    plan = recruitment_import.import_file(
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
