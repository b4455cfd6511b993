"""The recruitment pipeline, the role taxonomy and establishment templates, and recruited shares.

Plain Python: the seed files are parsed here, and shares are computed from plain values, so the
same rules serve the pages, the imports and (later) the go-live gate.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from programme.domain.provenance import Provenance, SeedError, read_provenance


class PostStatus(StrEnum):
    VACANT = "vacant"
    ADVERTISED = "advertised"
    SHORTLISTED = "shortlisted"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    PRE_EMPLOYMENT_CHECKS = "pre_employment_checks"
    APPOINTED = "appointed"
    IN_POST = "in_post"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    PostStatus.VACANT: "Vacant",
    PostStatus.ADVERTISED: "Advertised",
    PostStatus.SHORTLISTED: "Shortlisted",
    PostStatus.INTERVIEWED: "Interviewed",
    PostStatus.OFFERED: "Offered",
    PostStatus.PRE_EMPLOYMENT_CHECKS: "Pre-employment checks",
    PostStatus.APPOINTED: "Appointed",
    PostStatus.IN_POST: "In post",
    PostStatus.WITHDRAWN: "Withdrawn",
    PostStatus.ON_HOLD: "On hold",
}

# The pipeline in order; withdrawn and on hold sit outside it.
PIPELINE = tuple(PostStatus)[:8]
POST_STATUSES = tuple(PostStatus)
DEFAULT_RECRUITED = (PostStatus.APPOINTED, PostStatus.IN_POST)

# What HR spreadsheets write for each status, besides its label and key. Words that could mean two
# stages ("Interviews arranged": shortlisted or interviewed?) are left out: a programme maps them
# once, its own way.
STATUS_NAMES: dict[PostStatus, tuple[str, ...]] = {
    PostStatus.VACANT: (
        "Vacancy",
        "Not started",
        "Not yet advertised",
        "Vacant - not yet advertised",
        "To advertise",
        "Unfilled",
    ),
    PostStatus.ADVERTISED: (
        "Out to advert",
        "Advert live",
        "Advertising",
        "Ad placed",
        "Re-advertised",
    ),
    PostStatus.SHORTLISTED: ("Shortlisting", "Shortlist"),
    PostStatus.INTERVIEWED: ("Interview", "Interviews held", "Interviewing", "Interviews"),
    PostStatus.OFFERED: ("Offer", "Offer made", "Conditional offer", "Provisional offer"),
    PostStatus.PRE_EMPLOYMENT_CHECKS: (
        "Pre employment checks",
        "Pre-employment",
        "Checks",
        "DBS checks",
        "Recruitment checks",
        "Vetting",
    ),
    PostStatus.APPOINTED: (
        "Unconditional offer",
        "Appointment confirmed",
        "Start date agreed",
        "Awaiting start",
        "Offer accepted",
    ),
    PostStatus.IN_POST: ("Started", "Filled", "In-post", "Occupied", "Recruited"),
    PostStatus.WITHDRAWN: ("Cancelled", "Candidate withdrew", "Withdrawn by candidate"),
    PostStatus.ON_HOLD: ("Paused", "Hold", "Frozen recruitment"),
}


def status_names(status: PostStatus) -> tuple[str, ...]:
    """Every name a spreadsheet may use for a status."""
    return (status.label, status.value, *STATUS_NAMES[status])


# The longest text each post field may hold (the columns' sizes).
MAX_LENGTHS = {"reference": 60, "holder_name": 200, "holder_email": 254, "notes": 5000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def valid_fte(fte: float) -> bool:
    return 0 < fte <= 1


@dataclass(frozen=True)
class Agency:
    key: str
    label: str
    names: tuple[str, ...]
    provenance: Provenance | None = None


@dataclass(frozen=True)
class RoleSpec:
    key: str
    name: str
    adult_specialist: bool
    agency: str
    names: tuple[str, ...]
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Taxonomy:
    agencies: tuple[Agency, ...]
    roles: tuple[RoleSpec, ...]


def parse_taxonomy(text: str, source: str = "roles.toml") -> Taxonomy:
    data = tomllib.loads(text)
    agencies = tuple(
        Agency(
            key,
            entry["label"],
            tuple(entry.get("names", ())),
            read_provenance(entry, f"{source}: agency {key}"),
        )
        for key, entry in data.get("agencies", {}).items()
    )
    agency_keys = {agency.key for agency in agencies}
    roles = []
    for entry in data.get("roles", []):
        role = RoleSpec(
            key=entry["key"],
            name=entry["name"],
            adult_specialist=bool(entry.get("adult_specialist", False)),
            agency=entry.get("agency", "council"),
            names=tuple(entry.get("names", ())),
            provenance=read_provenance(entry, f"{source}: role {entry['key']}"),
        )
        if role.agency not in agency_keys:
            raise SeedError(f"{source}: role {role.key} names an unknown agency {role.agency!r}.")
        roles.append(role)
    if len({role.key for role in roles}) != len(roles):
        raise SeedError(f"{source}: two roles share a key.")
    return Taxonomy(agencies, tuple(roles))


def load_taxonomy(path: Path) -> Taxonomy:
    return parse_taxonomy(path.read_text(encoding="utf-8"), path.name)


@dataclass(frozen=True)
class EstablishmentLine:
    role: str
    count: int = 1
    fte: float = 1.0
    agency: str | None = None  # None: the role's usual agency


@dataclass(frozen=True)
class EstablishmentSpec:
    key: str
    name: str
    description: str
    team_kind: str
    lines: tuple[EstablishmentLine, ...]
    provenance: Provenance | None = None

    @property
    def post_count(self) -> int:
        return sum(line.count for line in self.lines)


def parse_establishment(text: str, role_keys: Iterable[str], source: str) -> EstablishmentSpec:
    data = tomllib.loads(text)
    known = set(role_keys)
    lines = []
    for entry in data.get("posts", []):
        line = EstablishmentLine(
            role=entry["role"],
            count=int(entry.get("count", 1)),
            fte=float(entry.get("fte", 1.0)),
            agency=entry.get("agency"),
        )
        if line.role not in known:
            raise SeedError(f"{source}: unknown role {line.role!r}.")
        if not 1 <= line.count <= 50 or not 0 < line.fte <= 1:
            raise SeedError(f"{source}: {line.role} needs a count of 1-50 and an FTE up to 1.")
        lines.append(line)
    return EstablishmentSpec(
        key=data["key"],
        name=data["name"],
        description=data.get("description", ""),
        team_kind=data.get("team_kind", "family_safeguarding"),
        lines=tuple(lines),
        provenance=read_provenance(data, f"{source}: establishment template {data['key']}"),
    )


def load_establishment(path: Path, role_keys: Iterable[str]) -> EstablishmentSpec:
    return parse_establishment(path.read_text(encoding="utf-8"), role_keys, path.name)


@dataclass(frozen=True, slots=True)
class Share:
    """A count of a whole, kept exact: 7 of 10 is 70%, 69 of 99 is not."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """The exact percentage, or None when there is nothing to count."""
        if self.denominator == 0:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def whole_percent(self) -> int | None:
        """Rounded down, so a page never shows 70% for a share that falls short of it."""
        if self.denominator == 0:
            return None
        return 100 * self.numerator // self.denominator

    def meets(self, threshold_percent: int) -> bool:
        """Compared in whole numbers, never floats. Nothing to count never meets a threshold."""
        return self.denominator > 0 and 100 * self.numerator >= threshold_percent * self.denominator

    def __add__(self, other: Share) -> Share:
        return Share(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the share, the funnel and the go-live gate need to know about one post."""

    status: str
    adult_specialist: bool
    frozen: bool = False
    start_date: date | None = None
    # (changed on, status), oldest first: the post's dated path through the pipeline.
    history: tuple[tuple[date, str], ...] = ()
    id: int = 0
    label: str = ""

    def status_on(self, as_of: date | None) -> str:
        """The status the post had on a day, from its dated history (today's without a day).
        A post with no step recorded by then was vacant."""
        if as_of is None or not self.history:
            return self.status
        reached = [status for changed_on, status in self.history if changed_on <= as_of]
        return reached[-1] if reached else PostStatus.VACANT.value

    def recruited_on(self, recruited: Iterable[str], as_of: date | None = None) -> bool:
        """Recruited by a day: in a recruited status then, and started if a start date is known
        (a post whose holder starts next month is not filled today)."""
        if self.status_on(as_of) not in recruited:
            return False
        return as_of is None or self.start_date is None or self.start_date <= as_of


def counted_posts(posts: Iterable[PostFacts]) -> list[PostFacts]:
    """The adult specialist posts a recruited share counts (frozen posts are left out)."""
    return [post for post in posts if post.adult_specialist and not post.frozen]


def adult_specialists_recruited(
    posts: Iterable[PostFacts], recruited: Iterable[str], as_of: date | None = None
) -> Share:
    """Recruited adult specialist posts out of the establishment's (frozen posts are left out)."""
    recruited = set(recruited)
    counted = counted_posts(posts)
    return Share(sum(1 for post in counted if post.recruited_on(recruited, as_of)), len(counted))


@dataclass(frozen=True)
class FunnelStage:
    status: PostStatus
    count: int  # posts at this stage
    reached: int  # posts at this stage or further along the pipeline

    @property
    def in_pipeline(self) -> bool:
        """Withdrawn and on hold are not steps along the way."""
        return self.status in PIPELINE


def pipeline_funnel(posts: Iterable[PostFacts]) -> list[FunnelStage]:
    """The live posts at each stage of the pipeline, and how many have reached it."""
    counts = dict.fromkeys(POST_STATUSES, 0)
    for post in posts:
        if not post.frozen:
            counts[PostStatus(post.status)] += 1
    stages = []
    reached = 0
    for status in reversed(PIPELINE):
        reached += counts[status]
        stages.append(FunnelStage(status, counts[status], reached))
    stages.reverse()
    stages += [FunnelStage(status, counts[status], counts[status]) for status in POST_STATUSES[8:]]
    return stages
