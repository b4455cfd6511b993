"""Whether a partner organisation has delivered its side of the partnership agreement, year by
year: the money it pledged against what it has paid, and the posts it pledged to second
against those of its posts now filled. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from programme.domain.financial_years import year_end, year_start

DELIVERED, BEHIND, ON_TRACK = "Delivered", "Behind", "On track"
# The tag colour of each status (app-tag--...).
STATUS_COLOURS = {DELIVERED: "green", BEHIND: "red", ON_TRACK: "blue"}


@dataclass(frozen=True)
class YearStanding:
    financial_year: int
    pledged_pence: int | None
    received_pence: int
    posts_pledged: int | None
    posts_filled: int  # the organisation's posts in a recruited status now
    status: str

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def pledge_status(
    financial_year: int,
    pledged_pence: int | None,
    received_pence: int,
    posts_pledged: int | None,
    posts_filled: int,
    today: date,
) -> str:
    """Delivered: all the money pledged has been received and the posts pledged are filled.
    Behind: a year that has ended without all its money, or a year that has begun with fewer
    posts filled than pledged. On track: anything else (a year still running, or to come)."""
    money_short = pledged_pence is not None and received_pence < pledged_pence
    posts_short = posts_pledged is not None and posts_filled < posts_pledged
    if not money_short and not posts_short:
        return DELIVERED
    if money_short and today > year_end(financial_year):
        return BEHIND
    if posts_short and today >= year_start(financial_year):
        return BEHIND
    return ON_TRACK


def overall_status(statuses: list[str]) -> str | None:
    """An organisation's standing over its years: behind in any is behind; delivered only when
    every year is; None when it pledged nothing."""
    if not statuses:
        return None
    if BEHIND in statuses:
        return BEHIND
    if all(status == DELIVERED for status in statuses):
        return DELIVERED
    return ON_TRACK
