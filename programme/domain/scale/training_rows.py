"""A synthetic programme's training: in each locality, five sessions of every required module
of each course (one per cohort of its staff), with registers for the sessions already held."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from random import Random

from programme.domain.training import AttendanceStatus

COHORTS = 5
STARTS_AT = time(9, 30)
# Training begins this long before go-live, MI first; the FS workshops start weeks later.
FIRST_SESSION_WEEKS_BEFORE = 20
COURSE_GAP_WEEKS = 8
MODULE_GAP_DAYS = 14
MARKS = (
    (AttendanceStatus.PRESENT, 0.85),
    (AttendanceStatus.LATE, 0.06),
    (AttendanceStatus.LEFT_EARLY, 0.03),
    (AttendanceStatus.ABSENT, 0.06),
)


def _weekday(day: date) -> date:
    """Training runs on weekdays: a Saturday or Sunday moves to the Monday."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _mark(rng: Random) -> str:
    draw = rng.random()
    for status, share in MARKS:
        if draw < share:
            return status.value
        draw -= share
    return AttendanceStatus.PRESENT.value


def training_rows(config, rng, ids, localities, staff, today, rows) -> None:
    by_locality: dict[int, list[dict]] = {}
    team_locality = {team["id"]: team["locality_id"] for team in rows["team"]}
    for person in staff:
        if person["leaving_date"] is None:
            by_locality.setdefault(team_locality[person["team_id"]], []).append(person)
    for locality in localities:
        first_day = locality.go_live - timedelta(weeks=FIRST_SESSION_WEEKS_BEFORE)
        for position, course in enumerate(config.courses):
            people = [
                p for p in by_locality.get(locality.id, []) if p["role_id"] in course.role_ids
            ]
            cohorts = [people[k::COHORTS] for k in range(COHORTS)]
            course_day = first_day + timedelta(weeks=position * COURSE_GAP_WEEKS)
            for step, (module_id, _number) in enumerate(course.modules):
                for k, cohort in enumerate(cohorts):
                    on = _weekday(course_day + timedelta(days=step * MODULE_GAP_DAYS + 2 * k))
                    _session(
                        config.id, course, module_id, locality, on, cohort, rng, ids, today, rows
                    )


def _session(programme_id, course, module_id, locality, on, cohort, rng, ids, today, rows) -> None:
    held = on < today
    recorded = datetime.combine(on, time(16), tzinfo=UTC) if held else None
    session_id = ids.take("training_session")
    rows["training_session"].append(
        {
            "id": session_id,
            "programme_id": programme_id,
            "course_id": course.id,
            "module_id": module_id,
            "on": on,
            "starts_at": STARTS_AT,
            "venue": f"{locality.name} training room",
            "trainer_id": None,
            "capacity": max(course.capacity, len(cohort)),
            "cost_pence": course.session_cost_pence,
            "notes": "",
            "register_saved_at": recorded,
            "created_at": datetime.combine(on - timedelta(weeks=6), time(9), tzinfo=UTC),
            "cancelled_at": None,
            "cancel_reason": None,
            "sequence": 0,
            "version": 1,
        }
    )
    for person in cohort:
        rows["attendance"].append(
            {
                "id": ids.take("attendance"),
                "session_id": session_id,
                "staff_id": person["id"],
                "status": _mark(rng) if held else None,
                "walk_in": False,
                "recorded_at": recorded,
                "recorded_by_id": None,
            }
        )
