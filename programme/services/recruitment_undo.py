"""What undoing a recruitment import would do, said before it is done: the posts it deletes,
the posts it puts back (field by field), and anything that stops it; and the undo itself
(`undo_import`). Both read the same change rows the import left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import joinedload

from programme.clock import utc_now, zone
from programme.domain.formatting import clock_time, count, local, long_date, short_date
from programme.domain.hr_trackers import FIELDS
from programme.domain.recruitment import PostStatus
from programme.extensions import db
from programme.models import (
    ImportChange,
    ImportRecord,
    Locality,
    Organisation,
    Post,
    PostStatusChange,
    Programme,
    Role,
    StaffMember,
    Team,
    User,
)
from programme.services import audit, import_flow, imports, locks
from programme.services.errors import Conflict
from programme.services.transaction import transactional

FIELD_LABELS = {
    "team_id": "Team",
    "role_id": "Role",
    "organisation_id": "Employing organisation",
    **{n: f.label for n, f in FIELDS.items()},
}


@dataclass(frozen=True)
class Reverted:
    """A post the import updated, and what goes back: (field, its value now, before the import)."""

    post: str
    changes: tuple[tuple[str, str, str], ...]


@dataclass
class UndoSummary:
    record: ImportRecord
    deleted: list[str] = field(default_factory=list)  # the posts it created, by name
    reverted: list[Reverted] = field(default_factory=list)
    steps: int = 0  # status history steps the import recorded, removed with it
    organisations: list[str] = field(default_factory=list)  # those it added, removed with it
    blockers: list[str] = field(default_factory=list)  # why it cannot be undone now

    @property
    def possible(self) -> bool:
        return not self.blockers

    @property
    def applied(self) -> str:
        """Who applied it and when: "applied by Jo Bloggs on 2 Dec 2026 at 10:14"."""
        record = self.record
        when = ""
        if record.applied_at is not None:
            moment = local(record.applied_at, zone())
            when = f" on {short_date(moment)} at {clock_time(moment)}"
        who = f" by {record.applied_by.name}" if record.applied_by else ""
        return f"applied{who}{when}"

    @property
    def sentence(self) -> str:
        """The whole undo in one sentence, as the confirmation page heads it."""
        parts = []
        if self.deleted:
            parts.append(f"{count(len(self.deleted), 'post')} created by it will be deleted")
        if self.reverted:
            whose = "its" if len(self.reverted) == 1 else "their"
            parts.append(
                f"{count(len(self.reverted), 'post')} it updated will go back to {whose} values "
                "before it"
            )
        what = "; ".join(parts) or "nothing it changed is left to put back"
        return f"Undo the import of {self.record.original_name} {self.applied}: {what}."


def describe_undo(record: ImportRecord) -> UndoSummary:
    """What `undo_import` would do to the programme now, or why it would refuse."""
    summary = UndoSummary(record)
    summary.organisations = list(
        db.session.scalars(
            select(Organisation.name)
            .where(Organisation.import_id == record.id)
            .order_by(Organisation.name)
        )
    )
    programme = import_flow.programme_of(record)
    latest = imports.last_applied(programme, record.kind)
    if record.state != "applied":
        summary.blockers.append(imports.nothing_to_undo(record))
        return summary
    if latest is None or latest.id != record.id:
        later = f" ({latest.original_name}, {_when(latest)})" if latest else ""
        summary.blockers.append(
            "Only the programme's most recent import that changed something can be undone; "
            f"another was applied after this one{later}."
        )
    changes = list(
        db.session.scalars(select(ImportChange).where(ImportChange.import_id == record.id))
    )
    posts = {
        post.id: post
        for post in db.session.scalars(
            select(Post)
            .where(Post.id.in_([c.post_id for c in changes if c.post_id is not None]))
            .options(joinedload(Post.role), joinedload(Post.team).joinedload(Team.locality))
        )
    }
    names = _names(record)
    removed = 0
    for change in sorted(changes, key=lambda c: (c.action, c.id)):
        post = posts.get(change.post_id)
        if post is None:
            removed += 1
            continue
        label = _label(post)
        if post.version != change.version_after:
            summary.blockers.append(
                f"{label} was changed after this import; undoing it would lose that change."
            )
        elif change.action == "created":
            summary.deleted.append(label)
        else:
            summary.reverted.append(
                Reverted(
                    label,
                    tuple(
                        (
                            FIELD_LABELS.get(name, name),
                            _shown(name, getattr(post, name), names),
                            _shown(name, before, names),
                        )
                        for name, before in change.before.items()
                    ),
                )
            )
    if removed:
        summary.blockers.append(
            f"{count(removed, 'post')} this import created or updated "
            f"{'was' if removed == 1 else 'were'} removed since; undoing the import would lose "
            "that change."
        )
    summary.steps = db.session.scalar(
        select(func.count(PostStatusChange.id)).where(PostStatusChange.import_id == record.id)
    )
    return summary


def _when(record: ImportRecord) -> str:
    return f"applied {long_date(record.applied_at, zone())}" if record.applied_at else "applied"


def _label(post: Post) -> str:
    """A post as the page names it: "DA worker (perpetrators) (SOM-001), FS Team North,
    Bridgwater"."""
    return f"{post.display_name}, {post.team.name}, {post.team.locality.name}"


def _names(record: ImportRecord) -> dict[str, dict[int, str]]:
    programme_id = record.programme_id
    teams = db.session.execute(
        select(Team.id, Team.name).join(Locality).where(Locality.programme_id == programme_id)
    )
    roles = db.session.execute(select(Role.id, Role.name).where(Role.programme_id == programme_id))
    employers = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.programme_id == programme_id)
    )
    return {
        "team_id": dict(teams.all()),
        "role_id": dict(roles.all()),
        "organisation_id": dict(employers.all()),
    }


def _shown(name: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    """A post's value as the page shows it (values kept before an import are JSON: ISO dates)."""
    if value is None or value == "":
        return "(blank)"
    if name in names:
        return names[name].get(value, str(value))
    if name == "status":
        return PostStatus(value).label
    if name == "start_date":
        return short_date(date.fromisoformat(value) if isinstance(value, str) else value)
    return str(value)


@transactional
def undo_import(record: ImportRecord, actor: User | None) -> int:
    """Put back every post the programme's last import created or changed; returns how many."""
    programme = import_flow.programme_of(record)
    locks.lock(programme)
    latest = imports.last_applied(programme)
    if record.state != "applied" or latest is None or latest.id != record.id:
        raise Conflict(
            "Only the programme's most recent import that changed something can be undone, "
            "and only once."
        )
    posts = {
        post.id: post
        for post in db.session.scalars(select(Post).where(Post.programme_id == programme.id))
    }
    for change in record.changes:
        post = posts.get(change.post_id)
        if post is None or post.version != change.version_after:
            what = f"the {post.display_name} post in {post.team.name}" if post else "a post"
            raise Conflict(
                f"Since this import, {what} was changed or removed, so undoing the import would "
                "lose that change. Nothing was undone."
            )
    touched = _localities_touched(record)
    db.session.execute(delete(PostStatusChange).where(PostStatusChange.import_id == record.id))
    db.session.execute(
        delete(Post).where(Post.import_id == record.id),
        execution_options={"synchronize_session": False},
    )
    for change in record.changes:
        if change.action == "updated":
            _put_back(posts[change.post_id], change)
    db.session.flush()  # the posts it moved point at their old organisations again
    _remove_organisations_added(programme, record, actor)
    _redate_statuses(record)
    record.state, record.undone_by, record.undone_at = "undone", actor, utc_now()
    for locality_id in touched or [None]:
        audit.record(
            actor,
            "undo_import",
            "import",
            record.id,
            f"Undid the recruitment import of {record.original_name}",
            programme_id=programme.id,
            locality_id=locality_id,
            after={"import": record.id, "posts": len(record.changes)},
        )
    return len(record.changes)


def _localities_touched(record: ImportRecord) -> list[int]:
    return list(
        db.session.scalars(
            select(Team.locality_id)
            .join(Post, Post.team_id == Team.id)
            .join(ImportChange, ImportChange.post_id == Post.id)
            .where(ImportChange.import_id == record.id)
            .distinct()
            .order_by(Team.locality_id)
        )
    )


def _put_back(post: Post, change: ImportChange) -> None:
    for name, value in change.before.items():
        setattr(post, name, date.fromisoformat(value) if name == "start_date" and value else value)


def _redate_statuses(record: ImportRecord) -> None:
    """An updated post's status is dated by the last step left in its history."""
    db.session.flush()
    updated = select(ImportChange.post_id).where(
        ImportChange.import_id == record.id, ImportChange.action == "updated"
    )
    latest = dict(
        db.session.execute(
            select(PostStatusChange.post_id, func.max(PostStatusChange.changed_on))
            .where(PostStatusChange.post_id.in_(updated))
            .group_by(PostStatusChange.post_id)
        ).all()
    )
    for post in db.session.scalars(select(Post).where(Post.id.in_(updated))):
        post.status_changed_on = latest.get(post.id)


def _remove_organisations_added(programme: Programme, record: ImportRecord, actor) -> None:
    """The organisations the import added go too (audited), unless a post or person has been
    given one since."""
    added = db.session.scalars(
        select(Organisation).where(
            Organisation.import_id == record.id,
            ~exists().where(Post.organisation_id == Organisation.id),
            ~exists().where(StaffMember.organisation_id == Organisation.id),
        )
    ).all()
    for organisation in added:
        audit.record(
            actor,
            "delete",
            "organisation",
            organisation.id,
            f"Removed {organisation.name}, added by the import of {record.original_name}, "
            "as the import was undone",
            programme_id=programme.id,
            before={"name": organisation.name, "type": organisation.type},
        )
        db.session.delete(organisation)
