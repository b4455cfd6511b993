"""One synthetic programme's rows: partners, localities, teams with their posts (each with its
history through the pipeline) and staff; then its training and its timeline (other modules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random

from programme.domain.recruitment import PIPELINE, PostStatus
from programme.domain.scale import names
from programme.domain.scale.config import IdSequence, ProgrammeConfig
from programme.domain.slugs import slugify

LOCALITIES = 6
TEAMS = 8
STAFF_PER_TEAM = 12
WAVES = 3
# The tables in the order their rows are inserted: every row's parents come before it.
TABLE_ORDER = (
    "organisation",
    "locality",
    "team",
    "post",
    "post_status_change",
    "staff_member",
    "training_session",
    "attendance",
    "milestone",
    "go_live_decision",
    "readiness_snapshot",
)
HELD = (PostStatus.APPOINTED, PostStatus.IN_POST)
NAMED = (PostStatus.OFFERED, PostStatus.PRE_EMPLOYMENT_CHECKS, *HELD)
FILLED_STEPS = (PostStatus.ADVERTISED, PostStatus.INTERVIEWED, PostStatus.OFFERED)

Rows = dict[str, list[dict]]


@dataclass(frozen=True)
class LocalityPlan:
    id: int
    number: int
    name: str
    go_live: date
    live: bool
    # How far along its preparation is, from 0 to 1: posts filled, milestones done.
    progress: float


def seed_for(seed: int, number: int) -> int:
    """Each programme its own generator, so one programme's rows never depend on another's."""
    return seed * 1_000_003 + number


def programme_rows(
    config: ProgrammeConfig, number: int, seed: int, ids: IdSequence, today: date, now: datetime
) -> Rows:
    """Every row of synthetic programme `number` (1, 2, ...) by table, in TABLE_ORDER."""
    from programme.domain.scale.timeline_rows import timeline_rows
    from programme.domain.scale.training_rows import training_rows

    rng = Random(seed_for(seed, number))
    rows: Rows = defaultdict(list)
    county = rng.choice(names.PLACES)
    employers = _organisations(config, county, ids, now, rows)
    localities = _localities(config, rng, ids, today, now, rows)
    staff = []
    for locality in localities:
        for team_number in range(1, TEAMS + 1):
            team_id = ids.take("team")
            rows["team"].append(
                {
                    "id": team_id,
                    "locality_id": locality.id,
                    "name": f"{locality.name} {names.TEAM_AREAS[team_number - 1]} FS Team",
                    "kind": "family_safeguarding",
                    "serves_all": False,
                }
            )
            staff += _team(
                config, rng, ids, locality, team_number, team_id, employers, today, now, rows
            )
    training_rows(config, rng, ids, localities, staff, today, rows)
    timeline_rows(config, rng, ids, localities, rows, today, now)
    return {table: rows.get(table, []) for table in TABLE_ORDER}


def _organisations(config, county, ids, now, rows) -> dict[str, int]:
    employers = {}
    for kind, pattern in names.PARTNERS.items():
        employers[kind] = ids.take("organisation")
        rows["organisation"].append(
            {
                "id": employers[kind],
                "programme_id": config.id,
                "name": pattern.format(county=county),
                "type": kind,
                "names": [],
                "agreement_signed_on": None,
                "contact": "",
                "import_id": None,
                "created_at": now,
                "version": 1,
            }
        )
    return employers


def _localities(config, rng, ids, today, now, rows) -> list[LocalityPlan]:
    """Six localities in three waves, going live on Mondays from half a year ago to ten months
    ahead: the early waves live or about to be, the last still planning."""
    monday = today - timedelta(days=today.weekday())
    plans = []
    for number, name in enumerate(sorted(rng.sample(names.PLACES, LOCALITIES)), start=1):
        wave = (number - 1) * WAVES // LOCALITIES + 1
        weeks = rng.randint(-26, -2) + (wave - 1) * rng.randint(14, 22)
        go_live = monday + timedelta(weeks=weeks)
        live = go_live <= today
        progress = rng.uniform(0.88, 1.0) if live else max(0.1, rng.uniform(0.8, 1.0) - weeks / 45)
        plan = LocalityPlan(ids.take("locality"), number, name, go_live, live, progress)
        plans.append(plan)
        rows["locality"].append(
            {
                "id": plan.id,
                "programme_id": config.id,
                "name": name,
                "slug": slugify(name),
                "wave": wave,
                "go_live": go_live,
                "state": "live" if live else "planning",
                "created_at": now,
            }
        )
    return plans


def _team(
    config, rng, ids, locality, team_number, team_id, employers, today, now, rows
) -> list[dict]:
    """The team's posts of the standard make-up, each at a stage of the pipeline with its
    history, and twelve staff: the holders of its filled posts, cover in the others, and one
    more who has left or is about to start."""
    people = []
    post_number = 0
    for line in config.establishment:
        role = config.roles[line.role_key]
        for _ in range(line.count):
            post_number += 1
            post = _post(config, rng, ids, locality, team_number, post_number, team_id, today, now)
            post["role_id"] = role.id
            post["fte"] = line.fte
            post["organisation_id"] = employers[line.agency or role.agency]
            rows["post"].append(post)
            rows["post_status_change"] += _history(rng, ids, post)
            people.append(_staff_for_post(config, rng, ids, post, employers, today, now))
    while len(people) < STAFF_PER_TEAM:
        people.append(
            _extra_staff(
                config, rng, ids, team_id, f"L{locality.number}-T{team_number}", today, now
            )
        )
    rows["staff_member"] += people
    return people


def _post_status(rng: Random, progress: float) -> PostStatus:
    draw = rng.random()
    if draw < 0.03:
        return rng.choice((PostStatus.WITHDRAWN, PostStatus.ON_HOLD))
    if draw < 0.03 + 0.9 * progress:
        return PostStatus.IN_POST if rng.random() < 0.85 else PostStatus.APPOINTED
    return rng.choice(PIPELINE[:6])


def _post(config, rng, ids, locality, team_number, post_number, team_id, today, now) -> dict:
    status = _post_status(rng, locality.progress)
    changed_on = today - timedelta(days=rng.randint(0, 60))
    first, last = names.person(rng)
    named = status in NAMED
    post_id = ids.take("post")
    reference = f"L{locality.number}-T{team_number}-{post_number:02d}"
    start = None
    if status == PostStatus.IN_POST:
        start = changed_on
    elif status == PostStatus.APPOINTED:
        start = today + timedelta(days=rng.randint(7, 60))
    return {
        "id": post_id,
        "programme_id": config.id,
        "team_id": team_id,
        "reference": reference,
        "status": status.value,
        "status_changed_on": changed_on,
        "holder_name": f"{first} {last}" if named else "",
        "holder_email": names.email(first, last, reference, config.slug) if named else "",
        "start_date": start,
        "notes": "",
        "frozen": False,
        "import_id": None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _history(rng: Random, ids: IdSequence, post: dict) -> list[dict]:
    """Each step the post took to its status, a week to three apart, the last on its date."""
    status = PostStatus(post["status"])
    if status in HELD:
        # HR trackers record a filled post's main steps, not every stage it passed.
        steps = [*FILLED_STEPS, *HELD[: HELD.index(status) + 1]]
    elif status in PIPELINE:
        steps = list(PIPELINE[: PIPELINE.index(status) + 1])
    else:
        steps = [PostStatus.VACANT, PostStatus.ADVERTISED, status]
    day = post["status_changed_on"]
    dated = []
    for step in reversed(steps):
        dated.append((step, day))
        day -= timedelta(days=rng.randint(7, 21))
    return [
        {
            "id": ids.take("post_status_change"),
            "post_id": post["id"],
            "status": step.value,
            "changed_on": on,
            "at": datetime.combine(on, time(10), tzinfo=UTC),
            "actor_id": None,
            "import_id": None,
        }
        for step, on in reversed(dated)
    ]


def _staff_row(config, ids, team_id, role_id, now, **values) -> dict:
    return {
        "id": ids.take("staff_member"),
        "programme_id": config.id,
        "team_id": team_id,
        "role_id": role_id,
        "post_id": None,
        "organisation_id": None,
        "start_date": None,
        "leaving_date": None,
        "erased_at": None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        **values,
    }


def _staff_for_post(config, rng, ids, post, employers, today, now) -> dict:
    """The holder of a filled post; otherwise someone from an agency covering it."""
    if PostStatus(post["status"]) in HELD:
        return _staff_row(
            config,
            ids,
            post["team_id"],
            post["role_id"],
            now,
            post_id=post["id"],
            organisation_id=post["organisation_id"],
            name=post["holder_name"],
            email=post["holder_email"],
            start_date=post["start_date"],
        )
    first, last = names.person(rng)
    return _staff_row(
        config,
        ids,
        post["team_id"],
        post["role_id"],
        now,
        organisation_id=employers["other"],
        name=f"{first} {last}",
        email=names.email(first, last, post["reference"], config.slug).replace("@", ".cover@"),
        start_date=today - timedelta(days=rng.randint(30, 400)),
    )


def _extra_staff(config, rng, ids, team_id, serial, today, now) -> dict:
    """A social worker beyond the establishment: one who has left, or one about to start."""
    first, last = names.person(rng)
    left = rng.random() < 0.5
    return _staff_row(
        config,
        ids,
        team_id,
        config.roles["social_worker"].id,
        now,
        name=f"{first} {last}",
        email=names.email(first, last, serial, config.slug).replace("@", ".extra@"),
        start_date=today - timedelta(days=rng.randint(200, 700))
        if left
        else today + timedelta(days=rng.randint(7, 90)),
        leaving_date=today - timedelta(days=rng.randint(10, 150)) if left else None,
    )
