"""Filters and sort order for a list of milestones, read from a page's query string.

Plain Python: the page passes its query arguments and the values that exist (workstreams,
localities, people); an unknown value is dropped with a notice naming it, never an error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from programme.domain.numbers import whole_number
from programme.domain.timeline import STATUSES, MilestoneStatus

RAGS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}
# "workstream": grouped by workstream, each group by due date (the default).
SORTS: dict[str, str] = {
    "workstream": "Workstream, then due date",
    "due": "Due date, earliest first",
    "due-desc": "Due date, latest first",
}
ME, NO_OWNER = "me", "none"
PROGRAMME_WIDE = "programme-wide"
YES = "yes"
# Every query argument a list reads, in the order links rebuild them.
FILTER_NAMES = (
    "status",
    "owner",
    "rag",
    "workstream",
    "gate_critical",
    "overdue",
    "due_before",
    "locality",
    "sort",
)


@dataclass(frozen=True)
class MilestoneFilters:
    """What to show. None (or False) for a filter means "don't filter on it"."""

    status: str | None = None
    owner: str | None = None  # "me", "none", or a user id (as text)
    rag: str | None = None
    workstream: int | None = None
    gate_critical: bool = False
    overdue: bool = False
    due_before: date | None = None
    locality: str | None = None  # a locality slug or "programme-wide"
    sort: str = "workstream"
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def filtering(self) -> bool:
        return self != MilestoneFilters(sort=self.sort)

    def query_args(self, **changes) -> dict[str, str]:
        """The query arguments that give these filters (with `changes`), for links and forms."""
        chosen = replace(self, **changes) if changes else self
        args = {
            "status": chosen.status,
            "owner": chosen.owner,
            "rag": chosen.rag,
            "workstream": str(chosen.workstream) if chosen.workstream is not None else None,
            "gate_critical": YES if chosen.gate_critical else None,
            "overdue": YES if chosen.overdue else None,
            "due_before": chosen.due_before.isoformat() if chosen.due_before else None,
            "locality": chosen.locality,
            "sort": chosen.sort if chosen.sort != "workstream" else None,
        }
        return {name: value for name, value in args.items() if value}


def _ignored(label: str, value: str, shown: str) -> str:
    return f"There is no {label} “{value}”: the list shows {shown}."


def parse_filters(
    args: Mapping[str, str],
    *,
    workstream_ids: Collection[int],
    locality_slugs: Collection[str] = (),
    owner_ids: Collection[int] = (),
) -> MilestoneFilters:
    """Read the filters from query arguments; unknown values are ignored with a notice."""
    notices: list[str] = []
    values: dict = {}

    def text(name: str) -> str:
        return (args.get(name) or "").strip()

    if status := text("status"):
        if status in STATUSES:
            values["status"] = status
        else:
            notices.append(_ignored("status", status, "every status"))
    if owner := text("owner"):
        if owner in (ME, NO_OWNER) or whole_number(owner) in owner_ids:
            values["owner"] = owner
        else:
            notices.append(_ignored("owner", owner, "every owner"))
    if rag := text("rag").lower():
        if rag in RAGS:
            values["rag"] = rag
        else:
            notices.append(_ignored("RAG status", text("rag"), "every RAG status"))
    if workstream := text("workstream"):
        if whole_number(workstream) in workstream_ids:
            values["workstream"] = whole_number(workstream)
        else:
            notices.append(_ignored("workstream", workstream, "every workstream"))
    for name, label in (("gate_critical", "gate-critical"), ("overdue", "overdue")):
        if flag := text(name).lower():
            if flag in (YES, "1", "true", "on"):
                values[name] = True
            else:
                notices.append(
                    f"“{text(name)}” is not a choice for {label}: the list is not filtered on it."
                )
    if due_before := text("due_before"):
        try:
            values["due_before"] = date.fromisoformat(due_before)
        except ValueError:
            notices.append(
                f"“{due_before}” is not a date (use the date picker, or 2027-01-31): the list "
                "is not filtered on the due date."
            )
    if locality := text("locality"):
        if locality == PROGRAMME_WIDE or locality in locality_slugs:
            values["locality"] = locality
        else:
            notices.append(_ignored("locality", locality, "every locality"))
    if sort := text("sort"):
        if sort in SORTS:
            values["sort"] = sort
        else:
            notices.append(f"The list cannot be sorted by “{sort}”: it is sorted by workstream.")
    return MilestoneFilters(**values, notices=tuple(notices))


def status_choices() -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in MilestoneStatus]
