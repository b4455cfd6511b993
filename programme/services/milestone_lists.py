"""Filtered, sorted milestone lists: the locality page and the programme-wide milestones page.

One builder for both pages, in a fixed number of queries whatever the number of localities or
milestones: the workstreams, the localities, the people to filter by, and the milestones in
scope. Filtering and counting happen on the loaded rows, so the counts ("Showing 12 of 40",
overdue) always agree with the rows shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from programme.domain.milestone_filters import (
    ME,
    NO_OWNER,
    PROGRAMME_WIDE,
    MilestoneFilters,
    parse_filters,
)
from programme.domain.numbers import whole_number
from programme.domain.timeline import is_overdue, rag_status
from programme.extensions import db
from programme.models import Locality, Milestone, Programme, User, Workstream
from programme.services.milestones import MilestoneRow
from programme.services.users import active_members


@dataclass(frozen=True)
class RowGroup:
    """Rows under one workstream heading, or (workstream None) a flat sorted list."""

    workstream: Workstream | None
    rows: list[MilestoneRow]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.milestone.is_done)


@dataclass(frozen=True)
class MilestoneListing:
    filters: MilestoneFilters
    groups: list[RowGroup]
    shown: int
    total: int
    overdue: int  # of all the milestones in scope, not only those shown
    workstreams: list[Workstream]
    localities: list[Locality]  # to filter by (empty on a locality's own page)
    people: list[User]

    @property
    def rows(self) -> list[MilestoneRow]:
        return [row for group in self.groups for row in group.rows]


def _in_scope(programme: Programme, locality: Locality | None):
    query = (
        select(Milestone)
        .join(Workstream, Workstream.id == Milestone.workstream_id)
        .where(Workstream.programme_id == programme.id)
        .options(
            joinedload(Milestone.owner),
            joinedload(Milestone.locality),
            joinedload(Milestone.workstream).joinedload(Workstream.lead),
        )
        .order_by(Workstream.position, Workstream.id, Milestone.due, Milestone.id)
    )
    if locality is not None:
        query = query.where(
            or_(Milestone.locality_id == locality.id, Milestone.locality_id.is_(None))
        )
    return query


def _matches(row: MilestoneRow, filters: MilestoneFilters, user: User) -> bool:
    milestone = row.milestone
    owner_ids = {ME: user.id, NO_OWNER: None}
    locality_slug = milestone.locality.slug if milestone.locality else PROGRAMME_WIDE
    return all(
        (
            filters.status is None or milestone.status == filters.status,
            filters.owner is None
            or milestone.owner_id == owner_ids.get(filters.owner, _as_id(filters.owner)),
            filters.rag is None or row.rag == filters.rag,
            filters.workstream is None or milestone.workstream_id == filters.workstream,
            not filters.gate_critical or milestone.gate_critical,
            not filters.overdue or row.overdue,
            filters.due_before is None
            or (milestone.due is not None and milestone.due < filters.due_before),
            filters.locality is None or locality_slug == filters.locality,
        )
    )


def _as_id(owner: str) -> int | None:
    return whole_number(owner)


def _grouped(rows: list[MilestoneRow], sort: str) -> list[RowGroup]:
    if sort == "workstream":
        groups: dict[int, RowGroup] = {}
        for row in rows:
            milestone = row.milestone
            groups.setdefault(milestone.workstream_id, RowGroup(milestone.workstream, []))
            groups[milestone.workstream_id].rows.append(row)
        return list(groups.values())
    dated = sorted(
        (row for row in rows if row.milestone.due is not None),
        key=lambda row: (row.milestone.due, row.milestone.id),
        reverse=sort == "due-desc",
    )
    # Undated milestones come last either way: they have no place in a date order.
    return [RowGroup(None, dated + [row for row in rows if row.milestone.due is None])]


def milestone_listing(
    programme: Programme,
    args: Mapping[str, str],
    *,
    today: date,
    user: User,
    locality: Locality | None = None,
) -> MilestoneListing:
    """The milestones of `programme` (or of one `locality` and the programme-wide ones) that
    the query arguments `args` ask for, with the counts and the choices the filters offer."""
    workstreams = list(
        db.session.scalars(
            select(Workstream)
            .where(Workstream.programme_id == programme.id)
            .order_by(Workstream.position, Workstream.id)
        )
    )
    localities = (
        []
        if locality is not None
        else list(
            db.session.scalars(
                select(Locality)
                .where(Locality.programme_id == programme.id)
                .order_by(Locality.name)
            )
        )
    )
    people = [user for user, _role in active_members(programme.id)]
    filters = parse_filters(
        args,
        workstream_ids={workstream.id for workstream in workstreams},
        locality_slugs={each.slug for each in localities},
        owner_ids={person.id for person in people},
    )
    rows = [
        MilestoneRow(
            milestone,
            rag_status(milestone.due, milestone.status, today),
            is_overdue(milestone.due, milestone.status, today),
        )
        for milestone in db.session.scalars(_in_scope(programme, locality)).unique()
    ]
    shown = [row for row in rows if _matches(row, filters, user)]
    return MilestoneListing(
        filters=filters,
        groups=_grouped(shown, filters.sort),
        shown=len(shown),
        total=len(rows),
        overdue=sum(1 for row in rows if row.overdue),
        workstreams=workstreams,
        localities=localities,
        people=people,
    )


def listed_row(milestone_id: int, today: date) -> MilestoneRow:
    """One milestone as a list shows it (after a change to its row)."""
    milestone = db.session.scalars(
        select(Milestone)
        .where(Milestone.id == milestone_id)
        .options(joinedload(Milestone.owner), joinedload(Milestone.locality))
    ).one()
    return MilestoneRow(
        milestone,
        rag_status(milestone.due, milestone.status, today),
        is_overdue(milestone.due, milestone.status, today),
    )
