"""One change to several milestones at once: set status, set owner, or move due dates.

All or nothing: every selected milestone goes through `milestones.update_milestone` (so each is
checked against the version the page showed, refused by the same rules as a one-by-one change,
and audited on its own) inside one transaction. A stale row, a milestone of another programme or
any refusal leaves every milestone as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from programme.domain.formatting import count
from programme.domain.timeline import MilestoneStatus, add_working_days
from programme.extensions import db
from programme.models import Milestone, Programme, User
from programme.services import milestones
from programme.services.errors import ServiceError, StaleEdit
from programme.services.transaction import transactional

ACTIONS = ("status", "owner", "move")


class BulkRefused(ServiceError):
    """A bulk change refused whole. `milestone_id` names the selected milestone at fault (its row
    shows the message too), if one is; `stale` when someone else changed it meanwhile."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        milestone_id: int | None = None,
        stale: bool = False,
    ):
        super().__init__(message, field)
        self.milestone_id = milestone_id
        self.stale = stale


@dataclass
class BulkChange:
    summary: str
    changed: list[Milestone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _selected(programme: Programme, versions: Mapping[int, int]) -> list[Milestone]:
    found = {
        milestone.id: milestone
        for milestone in db.session.scalars(
            select(Milestone)
            .where(Milestone.id.in_(list(versions)))
            .options(
                joinedload(Milestone.workstream),
                joinedload(Milestone.locality),
                joinedload(Milestone.owner),
            )
        ).unique()
    }
    missing = [str(milestone_id) for milestone_id in versions if milestone_id not in found]
    if missing:
        raise BulkRefused(
            f"There is no milestone {', '.join(missing)}: it may have been removed. Nothing was "
            "changed.",
            "milestone",
        )
    chosen = [found[milestone_id] for milestone_id in versions]
    for milestone in chosen:
        if milestone.workstream.programme_id != programme.id:
            raise BulkRefused(
                f"“{milestone.title}” belongs to another programme, not {programme.name}. "
                "Nothing was changed.",
                "milestone",
            )
    return chosen


def _naming(title: str, message: str) -> str:
    """`message` as a sentence naming the milestone `title` once: most refusals already do."""
    return message if f"“{title}”" in message else f"“{title}”: {message}"


def _none_dated(n: int) -> str:
    if n == 1:
        return "The selected milestone has no due date to move."
    return f"None of the {n} selected milestones has a due date to move."


def _status_label(status: str) -> str:
    return MilestoneStatus(status).label.lower()


@transactional
def bulk_update(
    programme: Programme,
    actor: User,
    versions: Mapping[int, int],
    *,
    action: str,
    today: date,
    status: str | None = None,
    owner_email: str | None = None,
    working_days: int | None = None,
) -> BulkChange:
    """Apply one `action` to the milestones whose ids (with the versions the page showed) are in
    `versions`. Refused whole, with a message naming the milestone, if any cannot be changed."""
    if not versions:
        raise BulkRefused("Select at least one milestone to change.", "milestone")
    if action not in ACTIONS:
        raise BulkRefused("Choose what to change: status, owner or due date.", "action")
    if action == "move" and not working_days:
        raise BulkRefused(
            "Enter how many working days to move the due dates by, for example 5 or -3.", "days"
        )
    chosen = _selected(programme, versions)
    if action == "move" and all(milestone.due is None for milestone in chosen):
        raise BulkRefused(
            f"{_none_dated(len(chosen))} Nothing was changed.",
            "milestone",
            milestone_id=chosen[0].id,
        )
    change = BulkChange("")
    skipped: list[str] = []
    for milestone in chosen:
        changes: dict = {}
        if action == "status":
            changes["status"] = status or ""
        elif action == "owner":
            changes["owner_email"] = owner_email or None
        elif milestone.due is None:
            skipped.append(milestone.title)
            continue
        else:
            changes["due"] = add_working_days(milestone.due, working_days)
        title = milestone.title
        try:
            result = milestones.update_milestone(
                milestone.id,
                actor,
                today=today,
                expected_version=versions[milestone.id],
                **changes,
            )
        except StaleEdit as error:
            raise BulkRefused(error.message, milestone_id=milestone.id, stale=True) from error
        except ServiceError as error:
            raise BulkRefused(
                f"{_naming(title, error.message)} Nothing was changed.",
                error.field,
                milestone_id=milestone.id,
            ) from error
        change.warnings.extend(result.warnings)
        if result.changed:
            change.changed.append(result.milestone)
    change.summary = _summary(action, len(change.changed), status, owner_email, working_days)
    if skipped:
        change.warnings.append(
            f"{', '.join(f'“{title}”' for title in skipped)} "
            f"{'has' if len(skipped) == 1 else 'have'} no due date to move."
        )
    return change


def _summary(action: str, n: int, status, owner_email, working_days) -> str:
    milestones_word = count(n, "milestone")
    if action == "status":
        return f"Marked {milestones_word} {_status_label(status)}."
    if action == "owner":
        owner = db.session.scalar(select(User).where(User.email == owner_email))
        return (
            f"Gave {milestones_word} to {owner.name}."
            if owner
            else f"Left {milestones_word} with no owner."
        )
    direction = "later" if working_days > 0 else "earlier"
    days = count(abs(working_days), "working day")
    return f"Moved the due date of {milestones_word} {days} {direction}."
