"""Milestones: reading them for pages, and changing them with optimistic locking and audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from programme.domain.audit_changes import fields_in_words
from programme.domain.formatting import long_date
from programme.domain.go_live import GO_LIVE_DECISION
from programme.domain.planning_window import due_date_problem, programme_due_date_problem
from programme.domain.timeline import (
    STATUSES,
    TimelineColumn,
    is_overdue,
    rag_status,
    timeline_columns,
)
from programme.extensions import db
from programme.models import Locality, Milestone, MilestoneStatus, Programme, User, Workstream
from programme.services import audit, memberships
from programme.services.errors import NotFound, ServiceError
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    rag: str
    overdue: bool

    @property
    def follows_decision(self) -> bool:
        """The board's go-live decision sets this row's status: the list offers no status form."""
        return follows_decision(self.milestone)


@dataclass(frozen=True)
class WorkstreamGroup:
    workstream: Workstream
    rows: list[MilestoneRow]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.milestone.is_done)


def get_milestone(milestone_id: int) -> Milestone:
    milestone = db.session.get(
        Milestone,
        milestone_id,
        options=[joinedload(Milestone.locality), joinedload(Milestone.workstream)],
    )
    if milestone is None:
        raise NotFound(f"There is no milestone with id {milestone_id}.")
    return milestone


def _row(milestone: Milestone, today: date) -> MilestoneRow:
    return MilestoneRow(
        milestone,
        rag_status(milestone.due, milestone.status, today),
        is_overdue(milestone.due, milestone.status, today),
    )


def locality_milestones(locality: Locality, today: date) -> list[WorkstreamGroup]:
    """The locality's milestones (and the programme-wide ones) grouped by workstream.

    One query, whatever the number of milestones.
    """
    milestones = db.session.scalars(
        select(Milestone)
        .join(Workstream, Workstream.id == Milestone.workstream_id)
        .where(
            Workstream.programme_id == locality.programme_id,
            or_(Milestone.locality_id == locality.id, Milestone.locality_id.is_(None)),
        )
        .options(
            joinedload(Milestone.owner),
            joinedload(Milestone.workstream).joinedload(Workstream.lead),
        )
        .order_by(Workstream.position, Workstream.id, Milestone.due, Milestone.id)
    ).all()
    groups: dict[int, WorkstreamGroup] = {}
    for milestone in milestones:
        group = groups.setdefault(
            milestone.workstream_id, WorkstreamGroup(milestone.workstream, [])
        )
        group.rows.append(_row(milestone, today))
    return list(groups.values())


@dataclass(frozen=True)
class LocalityTimeline:
    columns: list[TimelineColumn[MilestoneRow]]
    undated: list[MilestoneRow]


def locality_timeline(locality: Locality, today: date) -> LocalityTimeline:
    """The locality's milestones placed in month columns counted back from go-live."""
    rows = [row for group in locality_milestones(locality, today) for row in group.rows]
    columns = timeline_columns(locality.go_live, rows, lambda row: row.milestone.due, today)
    return LocalityTimeline(columns, [row for row in rows if row.milestone.due is None])


def milestones_owned_by(user: User, today: date) -> list[MilestoneRow]:
    """The milestones `user` owns in the programmes they are a member of (a milestone of a
    programme they have left stays theirs on record, but is no longer theirs to see)."""
    query = select(Milestone).where(Milestone.owner_id == user.id)
    visible = memberships.visible_programme_ids(user)
    if visible is not None:
        query = query.join(Workstream, Milestone.workstream_id == Workstream.id).where(
            Workstream.programme_id.in_(visible)
        )
    milestones = db.session.scalars(
        query.options(
            joinedload(Milestone.locality).joinedload(Locality.programme),
            joinedload(Milestone.workstream).joinedload(Workstream.programme),
        ).order_by(Milestone.status == MilestoneStatus.DONE.value, Milestone.due, Milestone.id)
    ).all()
    return [_row(milestone, today) for milestone in milestones]


@dataclass
class MilestoneChange:
    milestone: Milestone
    changed: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _snapshot(milestone: Milestone) -> dict:
    return {
        "status": milestone.status,
        "owner": milestone.owner.email if milestone.owner else None,
        "due": milestone.due,
        "notes": milestone.notes,
    }


def _owner_by_email(email: str | None, programme_id: int) -> User | None:
    """The new owner: an active user who belongs to the milestone's programme."""
    if not email:
        return None
    owner = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if owner is None:
        raise ServiceError(f"There is no user with the e-mail address {email}.", "owner")
    if not owner.active:
        raise ServiceError(f"{owner.name} is deactivated and cannot own a milestone.", "owner")
    if not memberships.is_member(owner, programme_id):
        raise ServiceError(
            f"{owner.name} is not a member of this programme and cannot own its milestones.",
            "owner",
        )
    return owner


FOLLOWS_DECISION = (
    "“{title}” follows the board's go-live decision; record or rescind the decision on the "
    "readiness page."
)


def follows_decision(milestone: Milestone) -> bool:
    """The board's go-live decision sets this milestone's status; nobody does by hand."""
    return milestone.stands_for == GO_LIVE_DECISION


def _apply_status(milestone: Milestone, status: str, today: date) -> None:
    if status not in STATUSES:
        labels = ", ".join(each.label for each in MilestoneStatus)
        raise ServiceError(f"There is no status “{status}”: choose one of {labels}.", "status")
    if status == milestone.status:
        return
    if follows_decision(milestone):
        raise ServiceError(FOLLOWS_DECISION.format(title=milestone.title), "status")
    milestone.status = status
    milestone.completed_on = today if status == MilestoneStatus.DONE else None


def _check_due(due: date | None, locality: Locality | None, programme: Programme) -> None:
    """Refuse a due date far from the go-live date (of the locality, or for a programme-wide
    milestone of the programme's localities): most likely a typo in the year."""
    if due is None:
        return
    if locality is not None:
        problem = due_date_problem(due, locality.go_live)
    else:
        problem = programme_due_date_problem(due, [each.go_live for each in programme.localities])
    if problem:
        raise ServiceError(problem, "due")


def _due_warning(milestone: Milestone) -> str | None:
    locality = milestone.locality
    due = milestone.due
    if locality and milestone.must_precede_go_live and due and due > locality.go_live:
        return (
            f"“{milestone.title}” must be done before go-live but is now due after the "
            f"go-live date ({long_date(locality.go_live)})."
        )
    return None


_UNCHANGED = object()


def _changed_since_opened(milestone: Milestone) -> str:
    return (
        f"Someone else changed “{milestone.title}” after you opened it. Your changes were "
        "not saved: review the current values and make your change again."
    )


def _apply_changes(milestone: Milestone, today: date, status, owner_email, due, notes) -> None:
    if status is not None:
        _apply_status(milestone, status, today)
    current_owner = milestone.owner.email if milestone.owner else None
    # Only a new owner is checked: keeping a since-deactivated owner is not a change.
    if owner_email is not _UNCHANGED and (owner_email or None) != current_owner:
        milestone.owner = _owner_by_email(owner_email, milestone.workstream.programme_id)
    if due is not _UNCHANGED and due != milestone.due:
        _check_due(due, milestone.locality, milestone.workstream.programme)
        milestone.due = due
        milestone.due_set_manually = True
    if notes is not None:
        milestone.notes = notes.strip()


def _saved_at_same_moment(title: str) -> str:
    return (
        f"Someone else saved “{title}” at the same moment. Your changes were not "
        "saved: review the current values and make your change again."
    )


@transactional
def update_milestone(
    milestone_id: int,
    actor: User | None,
    *,
    today: date,
    expected_version: int | None,
    status: str | None = None,
    owner_email: str | None | object = _UNCHANGED,
    due: date | None | object = _UNCHANGED,
    notes: str | None = None,
) -> MilestoneChange:
    """Change a milestone. `expected_version` is the version the editor saw (None: don't check).

    A stale edit, or one that loses a race with another save, raises StaleEdit and writes nothing.
    """
    milestone = get_milestone(milestone_id)
    refuse_if_stale(milestone, expected_version, _changed_since_opened(milestone))
    # Only the guarded flush below may write: an autoflush (e.g. when looking up the new owner)
    # would let a lost race escape as StaleDataError instead of StaleEdit.
    with db.session.no_autoflush:
        before = _snapshot(milestone)
        _apply_changes(milestone, today, status, owner_email, due, notes)
        old, new = audit.changed_fields(before, _snapshot(milestone))
        change = MilestoneChange(milestone, new)
        if not new:
            return change
        warning = _due_warning(milestone) if "due" in new else None
        change.warnings.extend([warning] if warning else [])
        record_change(milestone, actor, old, new)
    # Read the title now: a failed flush expires it.
    flush_or_refuse(_saved_at_same_moment(milestone.title))
    return change


def record_change(
    milestone: Milestone, actor: User | None, old: dict, new: dict, why: str | None = None
) -> None:
    """Audit a change of `milestone`'s fields (`audit.changed_fields`' pair), saying `why` when
    it was not a person's edit ("the go-live decision recorded")."""
    reason = f" ({why})" if why else ""
    audit.record(
        actor,
        "update",
        "milestone",
        milestone.id,
        f"Changed “{milestone.title}”: {fields_in_words('milestone', new)}{reason}",
        programme_id=milestone.workstream.programme_id,
        locality_id=milestone.locality_id,
        before=old,
        after=new,
    )


def _existing_workstream(programme: Programme, name: str) -> Workstream:
    for workstream in programme.workstreams:
        if workstream.name == name.strip():
            return workstream
    raise ServiceError(f"{programme.name} has no workstream called {name!r}.", "workstream")


@transactional
def create_milestone(
    locality: Locality | None,
    actor: User,
    *,
    programme: Programme | None = None,
    workstream_name: str,
    title: str,
    due: date | None,
    description: str = "",
    gate_critical: bool = False,
    owner_email: str | None = None,
) -> MilestoneChange:
    """Add a one-off milestone to a locality (or, with `programme` and no locality, a
    programme-wide one), with a fixed due date."""
    programme = programme or locality.programme
    title = title.strip()
    if not title:
        raise ServiceError("Enter the milestone's title.", "title")
    if not workstream_name.strip():
        raise ServiceError("Choose a workstream.", "workstream")
    _check_due(due, locality, programme)
    milestone = Milestone(
        workstream=_existing_workstream(programme, workstream_name),
        locality=locality,
        title=title,
        description=description.strip(),
        due=due,
        due_set_manually=due is not None,
        gate_critical=gate_critical,
        owner=_owner_by_email(owner_email, programme.id),
    )
    db.session.add(milestone)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "milestone",
        milestone.id,
        f"Added milestone “{title}”",
        programme_id=programme.id,
        locality_id=locality.id if locality else None,
        after={"title": title, "due": due, "workstream": workstream_name.strip()},
    )
    warning = _due_warning(milestone)
    return MilestoneChange(milestone, {"title": title}, [warning] if warning else [])
