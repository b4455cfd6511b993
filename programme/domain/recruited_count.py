"""What a recruited figure counts and what it leaves out, in one sentence beside the figure:
"5 of 6 recruited; 1 appointed, starts 11 Jan 2027, counts from then; 1 frozen post not counted".

Built from the same facts and the same rules as the share itself (`counted_posts`,
`PostFacts.recruited_on`), so the sentence and the percentage cannot disagree: every counted post
is recruited, recruited but not started yet, or not recruited, and the three add up to the
denominator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from programme.domain.formatting import count, count_of, listed, short_date
from programme.domain.recruitment import PostFacts, PostStatus, Share, counted_posts

# More start dates than this are given as a range.
MAX_DATES = 3


@dataclass(frozen=True)
class RecruitedCount:
    """An adult-specialists-recruited share, with every post it does not count as recruited."""

    share: Share
    # Counted posts in a recruited status whose holder starts after the day: (status, start).
    starting: tuple[tuple[str, date], ...] = ()
    # Counted posts not in a recruited status, by their status then: (status, how many).
    not_recruited: tuple[tuple[str, int], ...] = ()
    frozen: int = 0  # adult specialist posts left out of the count altogether

    @property
    def not_started(self) -> int:
        return len(self.starting)

    @property
    def to_recruit(self) -> int:
        return sum(number for _status, number in self.not_recruited)

    @property
    def adds_up(self) -> bool:
        share = self.share
        return share.numerator + self.not_started + self.to_recruit == share.denominator

    @property
    def plain(self) -> bool:
        """Nothing to explain: every counted post is recruited and none is left out."""
        return self.share.numerator == self.share.denominator and not self.frozen


def count_recruited(
    posts: Iterable[PostFacts], recruited: Iterable[str], as_of: date | None = None
) -> RecruitedCount:
    """Recruited adult specialist posts out of the establishment's, as
    `adult_specialists_recruited` counts them, with what the count leaves out."""
    posts = list(posts)
    recruited = set(recruited)
    counted = counted_posts(posts)
    numerator = 0
    starting = []
    waiting: Counter[str] = Counter()
    for post in counted:
        if post.recruited_on(recruited, as_of):
            numerator += 1
        elif post.status_on(as_of) in recruited:  # recruited, but the holder starts later
            starting.append((post.status_on(as_of), post.start_date))
        else:
            waiting[post.status_on(as_of)] += 1
    order = {status.value: index for index, status in enumerate(PostStatus)}
    return RecruitedCount(
        Share(numerator, len(counted)),
        tuple(sorted(starting, key=lambda item: (item[1], order.get(item[0], 99)))),
        tuple(sorted(waiting.items(), key=lambda item: order.get(item[0], 99))),
        sum(1 for post in posts if post.adult_specialist and post.frozen),
    )


def explain_recruited(result: RecruitedCount) -> str | None:
    """The count in words, saying what it leaves out; None when there is nothing to say (every
    post counted and recruited, or no adult specialist posts at all)."""
    share = result.share
    if result.plain:
        return None
    if share.denominator:
        parts = [f"{count_of(share)} recruited"]
    else:
        parts = ["No adult specialist posts counted"]
    parts += [_starting(status, days) for status, days in _by_status(result.starting)]
    if result.not_recruited:
        statuses = listed(f"{number} {_status(status)}" for status, number in result.not_recruited)
        parts.append(f"{result.to_recruit} not recruited yet ({statuses})")
    if result.frozen:
        parts.append(f"{count(result.frozen, 'frozen post')} not counted")
    return "; ".join(parts)


def _by_status(starting: tuple[tuple[str, date], ...]) -> list[tuple[str, list[date]]]:
    grouped: dict[str, list[date]] = {}
    for status, day in starting:
        grouped.setdefault(status, []).append(day)
    return list(grouped.items())


def _starting(status: str, days: list[date]) -> str:
    """ "1 appointed, starts 11 Jan 2027, counts from then"; several: "3 appointed, start
    11 Jan 2027 and 1 Feb 2027, count from then"."""
    distinct = sorted(set(days))
    if len(distinct) > MAX_DATES:
        when = f"between {short_date(distinct[0])} and {short_date(distinct[-1])}"
    else:
        when = listed(short_date(day) for day in distinct)
    if len(days) == 1:
        return f"1 {_status(status)}, starts {when}, counts from then"
    return f"{len(days)} {_status(status)}, start {when}, count from then"


def _status(status: str) -> str:
    return PostStatus(status).label.lower()
