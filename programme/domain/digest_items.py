"""The shapes of a weekly digest (parts, sections, items, table rows), the plain facts the
digests are built from, and the windows of days the rules use. The rules themselves are in
`digests.py` (milestones, recruitment, training) and `digest_readiness.py` (readiness).

The windows, every bound inclusive, `as_of` being the day the digest is built:
- overdue: due before `as_of` (yesterday is overdue; a milestone due today is not);
- due soon: `as_of <= due <= as_of + 14 days` (today and day 14 are in, day 15 is out);
- going live within 3 months: not live yet and go-live on or before `as_of` plus 3 calendar
  months (a locality whose date has passed but which is not live yet counts: it is late);
- within 4 weeks of go-live: not live yet and go-live on or before `as_of + 28 days`;
- a post's status unchanged for 4 weeks: last set on or before `as_of - 28 days`.

Plain Python: no Flask, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from programme.domain.formatting import long_date, relative_days
from programme.domain.readiness import LocalityFacts, Readiness

PARTS = ("milestones", "recruitment", "training", "readiness")
PART_TITLES = {
    "milestones": "Your milestones",
    "recruitment": "Recruitment",
    "training": "Training",
    "readiness": "Readiness for go-live",
}
DUE_SOON_DAYS = 14
GOING_LIVE_MONTHS = 3
ABOUT_TO_GO_LIVE_DAYS = 28
STALE_DAYS = 28


def due_soon_until(as_of: date) -> date:
    """The last day a milestone or session counts as in the next 14 days."""
    return as_of + timedelta(days=DUE_SOON_DAYS)


def going_live_soon_until(as_of: date) -> date:
    """The last go-live day counted as within 3 months."""
    return as_of + relativedelta(months=GOING_LIVE_MONTHS)


def about_to_go_live_until(as_of: date) -> date:
    """The last go-live day counted as within 4 weeks."""
    return as_of + timedelta(days=ABOUT_TO_GO_LIVE_DAYS)


def stale_since(as_of: date) -> date:
    """A status set on or before this day has not changed for 4 weeks."""
    return as_of - timedelta(days=STALE_DAYS)


# --- What a digest is made of ------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a section's table; `text` says the same in a sentence for the plain-text part
    (empty when the item's own text already says it all)."""

    cells: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True)
class Item:
    """One thing to act on, with the page to act on it."""

    part: str
    text: str
    link: str
    rows: tuple[Row, ...] = ()  # in a section with columns: the item's rows of the table

    def as_dict(self) -> dict[str, str]:
        return {"part": self.part, "text": self.text, "link": self.link}


@dataclass(frozen=True)
class Section:
    """A heading and its items; with `columns`, the items are shown as a table whose rows'
    first cells link to their item's page."""

    title: str
    items: tuple[Item, ...]
    columns: tuple[str, ...] = ()
    grouped: bool = False  # a table for each item (its several rows) under the item's text


@dataclass(frozen=True)
class Part:
    key: str
    sections: tuple[Section, ...]
    intro: str = ""
    heading: str = ""  # the part's title when its content calls for another than its key's

    @property
    def title(self) -> str:
        return self.heading or PART_TITLES[self.key]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


def part_of(key: str, *sections: Section, intro: str = "", heading: str = "") -> Part | None:
    """A part of those sections that have items; None when none has."""
    kept = tuple(section for section in sections if section.items)
    return Part(key, kept, intro, heading) if kept else None


@dataclass(frozen=True)
class Digest:
    as_of: date
    parts: tuple[Part, ...]

    @property
    def items(self) -> list[dict[str, str]]:
        """Every item as the outbox keeps it: {"part", "text", "link"}."""
        return [item.as_dict() for part in self.parts for item in part.items]

    @property
    def empty(self) -> bool:
        """Nothing to act on: no part has an item."""
        return not self.parts


# --- The facts digests are built from ----------------------------------------------------------


@dataclass(frozen=True)
class OwnedMilestone:
    owner_id: int
    title: str
    where: str  # its locality's name, or its programme's for a programme-wide milestone
    status: str
    due: date | None
    link: str
    programme_id: int | None = None


@dataclass(frozen=True)
class LocalityLinks:
    readiness: str
    recruitment: str
    training: str


@dataclass(frozen=True)
class LocalityState:
    """A locality not live yet: the facts its gate is decided on and its readiness that day."""

    id: int
    name: str
    go_live: date
    facts: LocalityFacts
    readiness: Readiness
    links: LocalityLinks
    programme_id: int | None = None

    def when(self, as_of: date) -> str:
        """ "goes live 6 January 2027, in 37 days", or "was due to go live 2 November 2026,
        28 days ago" for one that is late."""
        days = (self.go_live - as_of).days
        verb = "was due to go live" if days < 0 else "goes live"
        return f"{verb} {long_date(self.go_live)}, {relative_days(days)}"


@dataclass(frozen=True)
class PostPage:
    """What a digest needs of a post beyond its facts: its page, and the day its status was
    last set, for a post whose history has no step (one from before history was kept)."""

    link: str
    status_date: date | None = None


@dataclass(frozen=True)
class SessionFacts:
    id: int
    trainer_id: int | None
    name: str  # "Motivational Interviewing, module 2: Evoking change talk"
    on: date
    enrolled: int
    capacity: int
    register_taken: bool
    link: str
    programme_id: int | None = None


@dataclass(frozen=True)
class IndicatorMove:
    """An outcome indicator whose newest value in a locality is Moving away from its target
    while the value of the period before it (or, with none, the baseline) was not."""

    locality: str
    indicator: str
    unit: str
    value: float
    period: str  # "Oct 2026", "Q2 2026/27"
    target: float | None  # the value aimed for; None when only a baseline is set
    baseline: float
    recorded_at: datetime  # when the newest value was recorded (aware)
    recorded_on: date  # the day it was, in the programme's zone
    link: str
    programme_id: int | None = None


@dataclass(frozen=True)
class Reading:
    """One criterion as a daily readiness snapshot kept it."""

    actual: float
    threshold: int
    met: bool
    numerator: int
    denominator: int


@dataclass(frozen=True)
class Snapshot:
    taken_on: date
    readings: Mapping[str, Reading]  # by criterion key


@dataclass(frozen=True)
class Baseline:
    """What a person's readiness changes are measured from: the day of their previous digest
    (or a week before, with none), and each locality's snapshot of that day or the newest
    before it."""

    day: date
    after_digest: bool  # `day` is the day their previous digest went
    snapshots: Mapping[int, Snapshot] = field(default_factory=dict)  # by locality id
    since: datetime | None = None  # the moment their previous digest went, with one


@dataclass(frozen=True)
class DigestFacts:
    """Everything the week's digests are built from, loaded once for everyone."""

    milestones: tuple[OwnedMilestone, ...] = ()
    localities: tuple[LocalityState, ...] = ()  # not live yet
    posts: Mapping[int, PostPage] = field(default_factory=dict)  # by post id
    sessions: tuple[SessionFacts, ...] = ()
    indicator_moves: tuple[IndicatorMove, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """One person: the parts they want (their preferences), the parts their role brings
    (recruitment for HR leads, training needs for trainers, readiness for board members) and,
    for readiness, what its changes are measured from. Their own milestones and sessions come
    whatever their role."""

    id: int
    wants: frozenset[str] = frozenset(PARTS)
    role_parts: frozenset[str] = frozenset()
    baseline: Baseline | None = None
    # The programmes the person is a member of (None: every one), whose milestones and sessions
    # reach them; and for each part in `role_parts`, the programmes where their role there brings
    # it (a part missing here: every programme).
    programmes: frozenset[int] | None = None
    part_programmes: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def sees(self, item, part: str | None = None) -> bool:
        """Whether a fact (anything with a `programme_id`) belongs to a programme the person is
        a member of and, for a role's `part`, one where their role there brings that part."""
        allowed = self.programmes if part is None else self.part_programmes.get(part)
        return allowed is None or item.programme_id in allowed
