"""The outcomes lines of a board member's digest: each indicator that moved away from its
target in a locality since their last digest.

An indicator moved away in a locality when its newest value (the latest period) is Moving away
(`outcomes.status`: worse than the baseline and short of the target) while the value of the
period before it was not; a first value counts against the baseline, which is on track by
definition. It is news once: in the digest of the week the newest value was recorded, that is
after the person's previous digest went (`Baseline.since`) or, with none, after the baseline
day (a week before the digest's day). A value recorded later for an earlier period does not
make the newest one news again.

Plain Python: no Flask, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable

from programme.domain.digest_items import Baseline, IndicatorMove, Item
from programme.domain.outcomes import MOVING_AWAY, value_text

SECTION_TITLE = "Outcome indicators that moved away from their target"


def moves_away(latest: str, previous: str | None) -> bool:
    """Whether a newest value's status (`outcomes.status`) is a move away from the target:
    Moving away, after a value that was not (None: no earlier value, only the baseline)."""
    return latest == MOVING_AWAY and previous != MOVING_AWAY


def is_news(move: IndicatorMove, baseline: Baseline) -> bool:
    """Recorded after the person's previous digest went or, with none, after the baseline day."""
    if baseline.since is not None:
        return move.recorded_at > baseline.since
    return move.recorded_on > baseline.day


def moved_away_items(moves: Iterable[IndicatorMove], baseline: Baseline | None) -> tuple[Item, ...]:
    """A line for each move that is news to the person, by locality then indicator."""
    if baseline is None:
        return ()
    news = sorted(
        (move for move in moves if is_news(move, baseline)),
        key=lambda move: (move.locality, move.indicator),
    )
    return tuple(Item("readiness", move_text(move), move.link) for move in news)


def move_text(move: IndicatorMove) -> str:
    """ "Taunton: children looked after per 10,000 children moved away from its target (62.0 in
    Oct 2026, against a target of 45.5)" """
    unit = "" if move.unit == "per_10000" else move.unit  # the indicator's name says it
    value = f"{value_text(move.value, unit)} in {move.period}"
    if move.target is not None:
        against = f"against a target of {value_text(move.target, unit)}"
    else:
        against = f"worse than its baseline of {value_text(move.baseline, unit)}"
    what = f"{move.locality}: {_lowered(move.indicator)} moved away from its target"
    return f"{what} ({value}, {against})"


def _lowered(name: str) -> str:
    """An indicator's name inside a sentence: "children looked after…", but "CAMHS referrals"."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
