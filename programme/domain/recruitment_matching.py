"""Which post each row of an HR recruitment spreadsheet updates: the post with its reference,
else its team's next free post of its role; a row no post is left for creates one.

Kept apart from reading the rows (`recruitment_import.py`) so the matching can be tested against
the scan it replaced, and so only the posts a file names need loading.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from programme.domain.employers import NewOrganisation
from programme.domain.imports import RowPlan
from programme.domain.programme_names import Lookups, RoleRef


@dataclass(frozen=True)
class ExistingPost:
    id: int
    team_id: int
    role_id: int
    frozen: bool
    values: Mapping[str, Any]  # POST_FIELDS -> current value
    version: int = 0  # the post's version when planned: the write refuses a post changed since


# Finds the programme's posts a file can match: those whose reference key (`reference_key`) is
# one of the given keys, and those of the given (team, role) pairs. Either set may be empty.
PostFinder = Callable[[set[str], set[tuple[int, int]]], Iterable[ExistingPost]]


def posts_named(rows: list[RowPlan], find: PostFinder) -> list[ExistingPost]:
    """The posts `match` can give the rows: those with the rows' references, then every post of
    the (team, role) of each row no reference matched (its queue, claimed posts included, as
    `_PostQueues` needs them). Listed by id, as the whole programme's would be."""
    pending = [row for row in rows if row.action == "pending"]
    keys = {key for row in pending if (key := reference_key(row.values.get("reference")))}
    found = {post.id: post for post in find(keys, set())} if keys else {}
    known = {reference_key(post.values["reference"]) for post in found.values()}
    pairs = {
        (row.values["team_id"], row.values["role_id"])
        for row in pending
        if reference_key(row.values.get("reference")) not in known
    }
    if pairs:
        found.update((post.id, post) for post in find(set(), pairs))
    return sorted(found.values(), key=lambda post: post.id)


def reference_key(reference: str | None) -> str | None:
    """A reference as rows and posts are matched by it: ignoring case and spaces around it."""
    return reference.strip().upper() if reference else None


def match(rows: list[RowPlan], existing: list[ExistingPost], lookups: Lookups) -> None:
    by_reference = {
        reference_key(post.values["reference"]): post
        for post in existing
        if post.values["reference"]
    }
    claimed: set[int] = set()
    pending = [row for row in rows if row.action == "pending"]
    unmatched = []
    for row in pending:
        post = by_reference.get(reference_key(row.values.get("reference")))
        if post is not None:
            claimed.add(post.id)
            compare(row, post)
        else:
            unmatched.append(row)
    # In order: a row takes the team's next unclaimed post of its role, unnumbered posts first.
    # A row with a new reference only takes a post that has none yet, so an import never
    # relabels a post HR already numbered. Frozen posts take part too (an import never changes
    # the flag), so freezing a post does not shift which row lands on which post.
    queues = _PostQueues(existing, claimed)
    for row in unmatched:
        key = (row.values["team_id"], row.values["role_id"])
        post = queues.take(key, numbered_too=not row.values.get("reference"))
        if post is None:
            row.action = "created"
            _fill_defaults(row, lookups.role_by_id[row.values["role_id"]], lookups)
        else:
            compare(row, post)


class _PostQueues:
    """Each (team, role)'s posts in the order rows take them: unnumbered ones by id, then
    numbered ones by id. Each queue is read from the front once, skipping posts already claimed,
    so matching every row costs O(rows + posts) however large a team is."""

    def __init__(self, existing: list[ExistingPost], claimed: set[int]):
        self.claimed = claimed
        self.unnumbered: dict[tuple[int, int], deque[ExistingPost]] = defaultdict(deque)
        self.numbered: dict[tuple[int, int], deque[ExistingPost]] = defaultdict(deque)
        for post in sorted(existing, key=lambda post: post.id):
            queues = self.numbered if post.values["reference"] else self.unnumbered
            queues[(post.team_id, post.role_id)].append(post)

    def take(self, key: tuple[int, int], *, numbered_too: bool) -> ExistingPost | None:
        """The next unclaimed post of `key` (unnumbered only unless `numbered_too`), claimed."""
        post = self._next(self.unnumbered, key)
        if post is None and numbered_too:
            post = self._next(self.numbered, key)
        if post is not None:
            self.claimed.add(post.id)
        return post

    def _next(self, queues: dict, key: tuple[int, int]) -> ExistingPost | None:
        queue = queues.get(key)
        while queue and queue[0].id in self.claimed:
            queue.popleft()  # claimed by reference, or by an earlier row: never free again
        return queue[0] if queue else None


def compare(row: RowPlan, post: ExistingPost) -> None:
    row.post_id = post.id
    if not row.values.get("reference"):
        row.values.pop("reference", None)  # a blank reference never clears the post's own
    row.changes = {
        name: (post.values[name], value)
        for name, value in row.values.items()
        if post.values[name] != value
    }
    row.action = "updated" if row.changes else "unchanged"


def _fill_defaults(row: RowPlan, role: RoleRef, lookups: Lookups) -> None:
    row.values.setdefault("reference", None)
    row.values.setdefault("organisation_id", _usual_employer(role, lookups))
    row.values.setdefault("fte", 1.0)
    row.values.setdefault("holder_name", "")
    row.values.setdefault("holder_email", "")
    row.values.setdefault("start_date", None)
    row.values.setdefault("notes", "")


def _usual_employer(role: RoleRef, lookups: Lookups) -> int | NewOrganisation | None:
    """Where a new post naming no employer goes: the programme's organisation of the role's
    usual type; with none, the first of that type the file adds; else one named after the type."""
    default = lookups.by_type.get(role.agency)
    if isinstance(default, NewOrganisation):
        return next((new for new in lookups.employers.added if new.type == role.agency), default)
    return default
