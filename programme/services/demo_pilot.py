"""The demo's pilot locality (issue 20): live for months, so the group supervision and outcome
pages show life after go-live. Its posts are filled and its go-live decision taken through the
services a person would use, on the days they would have been."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from itertools import count

from flask import current_app

from programme import clock
from programme.domain.recruitment import PostStatus
from programme.models import Locality, Programme
from programme.services import supervision, users
from programme.services.demo_people import HELD_POSTS, demo_email
from programme.services.readiness import decisions
from programme.services.recruitment import posts as post_service


def decision_day(locality: Locality, entry: dict) -> date | None:
    """The day the board decided on a pilot's go-live (None: not a pilot)."""
    if "pilot" not in entry:
        return None
    return locality.go_live - timedelta(days=entry["pilot"]["decided_days_before"])


def _pilots(programme: Programme, entries: list[dict]) -> list[tuple[Locality, dict]]:
    by_name = {locality.name: locality for locality in programme.localities}
    return [(by_name[entry["name"]], entry) for entry in entries if "pilot" in entry]


def fill_pilot_posts(programme: Programme, entries: list[dict], config: dict, today: date) -> None:
    """A pilot's adult specialist posts, which the HR spreadsheet does not track, filled long
    ago through the post service, as an HR lead would have on the posts page."""
    first, last = config["first_names"], config["last_names"]
    for locality, entry in _pilots(programme, entries):
        filled_on = today - timedelta(days=entry["pilot"]["filled_days_ago"])
        # Named from the end of the lists, apart from the council staff named from the start.
        names = (f"{first[-1 - i % len(first)]} {last[-1 - i % len(last)]}" for i in count())
        for team in locality.teams:
            for post in team.posts:
                if post.organisation.type == "council" or post.status in HELD_POSTS:
                    continue
                name = next(names)
                values = post_service.PostInput(
                    role_id=post.role_id,
                    fte=post.fte,
                    reference=post.reference,
                    status=PostStatus.IN_POST.value,
                    holder_name=name,
                    holder_email=demo_email(name),
                    start_date=filled_on,
                    notes=post.notes or "",
                )
                post_service.update_post(post, values, None, today=filled_on, expected_version=None)


@contextmanager
def _moment(day: date) -> Iterator[None]:
    """The app's clock pinned to 10 am on `day` (through the clock's own NOW setting), so what a
    service records as done now is recorded as done then."""
    config = current_app.config
    pinned, before = "NOW" in config, config.get("NOW")
    config["NOW"] = datetime.combine(day, time(10), tzinfo=clock.zone())
    try:
        yield
    finally:
        if pinned:
            config["NOW"] = before
        else:
            del config["NOW"]


def go_live_pilots(programme: Programme, entries: list[dict], today: date) -> None:
    """Each pilot's go-live decision, recorded by the board member on the day they took it,
    then the group supervision its teams have held since."""
    for locality, entry in _pilots(programme, entries):
        pilot = entry["pilot"]
        decided = decision_day(locality, entry)
        with _moment(decided):
            decisions.go_live(
                locality, users.find_user(pilot["decided_by"]), pilot["note"], decided
            )
        _load_supervision(locality, pilot, today)


def _load_supervision(locality: Locality, pilot: dict, today: date) -> None:
    """A session every `supervision_every_days` (on the weekday before, at a weekend) over the
    last `supervision_weeks` weeks, but none in the last `stopped_weeks` weeks for the team named
    in `supervision_stopped`."""
    every = pilot["supervision_every_days"]
    families = pilot["families"]
    stopped_from = today - timedelta(weeks=pilot["stopped_weeks"])
    for team in locality.teams:
        if team.kind != "family_safeguarding":
            continue
        held = today - timedelta(weeks=pilot["supervision_weeks"])
        n = 0
        while held <= today:
            if team.name != pilot["supervision_stopped"] or held < stopped_from:
                supervision.record_session(
                    team,
                    None,
                    today=today,
                    held_on=held - timedelta(days=max(0, held.weekday() - 4)),  # a weekday
                    families_discussed=families[n % len(families)],
                    psychologist_present=n % 3 != 2,
                )
            held += timedelta(days=every)
            n += 1
