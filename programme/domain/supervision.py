"""Group supervision after go-live: is a live team practising the model?

A team is *live* when its locality is: the board's go-live decision is in force (state "live")
and the go-live date has come (domain/go_live.phase). A decision taken ahead of the date approves
go-live on that date, so until then the team is not live and is not flagged.

A live Family Safeguarding team is flagged red when it has held no group supervision for 4 weeks:
28 days or more have passed since the later of its last session and its go-live date. So a
session held exactly 28 days ago no longer counts (the 28 days since it held none), the day of
go-live is day 0, and a team live for under 4 weeks is not flagged, whatever it has held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from programme.domain import go_live
from programme.domain.formatting import short_date
from programme.domain.numbers import whole_number
from programme.domain.recruitment import Share

FLAG_DAYS = 28  # "none for 4 weeks"
LONG_DAYS = 84  # the 12 weeks the page also counts
FLAG_LABEL = "None for 4 weeks"
ACTIONS_LENGTH = 2000
MAX_FAMILIES = 200  # far more than a team's caseload: a typing slip, not a session
SUPERVISED_KIND = "family_safeguarding"  # area and county teams join these teams' sessions


def is_live(state: str, go_live_on: date, today: date) -> bool:
    """Whether a locality (and so its teams) is working the model today."""
    return go_live.phase(state, go_live_on, today) == go_live.LIVE


def window_start(today: date, days: int = FLAG_DAYS) -> date:
    """The first day of the `days` ending today: a session on or after it is "in the last 4
    weeks" (for 28 days, today and the 27 days before)."""
    return today - timedelta(days=days - 1)


def days_without(go_live_on: date, last_held_on: date | None, today: date) -> int:
    """Days since the team last held group supervision, counted from go-live when it has held
    none since (a session before go-live was practice, not the model at work)."""
    since = go_live_on if last_held_on is None else max(go_live_on, last_held_on)
    return (today - since).days


def flagged(
    state: str,
    go_live_on: date,
    last_held_on: date | None,
    today: date,
    kind: str = SUPERVISED_KIND,
) -> bool:
    """Red: a live Family Safeguarding team with no group supervision for 4 weeks."""
    if kind != SUPERVISED_KIND or not is_live(state, go_live_on, today):
        return False
    return days_without(go_live_on, last_held_on, today) >= FLAG_DAYS


@dataclass(frozen=True)
class TeamSupervision:
    """One team's group supervision as the pages show it."""

    team_id: int
    team: str
    locality_id: int
    locality: str
    locality_slug: str
    go_live: date
    last_held_on: date | None
    in_4_weeks: int
    in_12_weeks: int
    with_psychologist: int  # of the sessions in the last 12 weeks
    flagged: bool

    @property
    def psychologist_share(self) -> Share:
        return Share(self.with_psychologist, self.in_12_weeks)

    @property
    def last_text(self) -> str:
        return short_date(self.last_held_on) if self.last_held_on else "None recorded"


def team_supervision(
    team: tuple[int, str, str],
    locality: tuple[int, str, str, str, date],
    counts: tuple[date | None, int, int, int],
    today: date,
) -> TeamSupervision:
    """A team's row from plain values: (id, name, kind), (id, name, slug, state, go-live) and
    (last held on, sessions in 4 weeks, in 12 weeks, with a psychologist in 12 weeks)."""
    team_id, name, kind = team
    locality_id, locality_name, slug, state, go_live_on = locality
    last, recent, longer, psychologist = counts
    return TeamSupervision(
        team_id,
        name,
        locality_id,
        locality_name,
        slug,
        go_live_on,
        last,
        recent,
        longer,
        psychologist,
        flagged(state, go_live_on, last, today, kind),
    )


# --- What a session recorded by hand must be ------------------------------------------------------


def held_on_problem(held_on: date | None, today: date) -> str | None:
    if held_on is None:
        return "Enter the date the session was held as a real date."
    if held_on > today:
        return (
            f"The session cannot be recorded before it is held: {short_date(held_on)} is in the "
            "future."
        )
    return None


def read_families(text: str | int | None) -> int:
    """The number of families discussed: a whole number from 0. ValueError says why not."""
    if isinstance(text, int):
        value: int | None = text
    else:
        cleaned = (text or "").strip()
        if not cleaned:
            raise ValueError("Enter the number of families discussed, 0 if none.")
        value = whole_number(cleaned)
    if value is None or value < 0:
        raise ValueError("Enter the number of families discussed as a whole number, 0 or more.")
    if value > MAX_FAMILIES:
        raise ValueError(f"A session discusses at most {MAX_FAMILIES} families; check the number.")
    return value
