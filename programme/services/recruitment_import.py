"""Importing an HR recruitment spreadsheet: preview every row, then apply all of them or none."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, DateTime, Integer, delete, func, insert, literal, select

from programme.domain.imports import columns_for, mapping_problems, missing_fields
from programme.domain.recruitment_import import (
    FIELDS,
    POST_FIELDS,
    ExistingPost,
    ImportPlan,
    LocalityRef,
    Lookups,
    RoleRef,
    TeamRef,
    build_lookups,
    plan_import,
)
from programme.domain.spreadsheet import ReadLimits, Table
from programme.extensions import db
from programme.models import (
    ImportChange,
    ImportRecord,
    Locality,
    Post,
    PostStatusChange,
    Programme,
    Role,
    Team,
    User,
)
from programme.models._columns import utcnow
from programme.services import audit, imports, recruitment
from programme.services.errors import Conflict, ServiceError, StaleEdit
from programme.services.transaction import transactional

KIND = "recruitment"


class ImportRejected(ServiceError):
    """Some rows were refused, so nothing was written. `plan` says which and why."""

    def __init__(self, plan: ImportPlan):
        rejected = plan.count("rejected")
        super().__init__(
            f"{rejected} row{'s' if rejected != 1 else ''} cannot be imported, so nothing was "
            "saved. Correct the file and try again."
        )
        self.plan = plan


class ColumnsMissing(ServiceError):
    def __init__(self, fields: list[str], headers: list[str]):
        labels = ", ".join(FIELDS[name].label.lower() for name in fields)
        found = ", ".join(f"“{h}”" for h in headers if h) or "none"
        super().__init__(
            f"No column could be matched for the {labels}. The headers found were {found}: "
            "rename the column, or map it once in the web import (the mapping is remembered).",
            "file",
        )
        self.fields = fields


@dataclass
class Preview:
    """A dry run: what importing the file now would do to each row."""

    table: Table
    mapping: dict[str, int]
    plan: ImportPlan | None  # None until every required column is mapped
    lookups: Lookups | None

    @property
    def missing(self) -> list[str]:
        return missing_fields(FIELDS, self.mapping)

    @property
    def columns(self) -> dict[str, str]:
        return columns_for(FIELDS, self.mapping, self.table.headers)


def _lookups(programme: Programme) -> Lookups:
    localities = db.session.execute(
        select(Locality.id, Locality.name, Locality.slug).where(
            Locality.programme_id == programme.id
        )
    )
    teams = db.session.execute(
        select(Team.id, Team.locality_id, Team.name)
        .join(Locality)
        .where(Locality.programme_id == programme.id)
    )
    roles = db.session.scalars(select(Role).where(Role.programme_id == programme.id))
    return build_lookups(
        [LocalityRef(*row) for row in localities],
        [TeamRef(*row) for row in teams],
        [RoleRef(r.id, r.name, r.key, r.agency, tuple(r.names)) for r in roles],
        recruitment.taxonomy().agencies,
    )


def _existing_posts(programme: Programme) -> list[ExistingPost]:
    columns = [getattr(Post, name) for name in POST_FIELDS]
    rows = db.session.execute(
        select(Post.id, Post.frozen, *columns).where(Post.programme_id == programme.id)
    )
    return [
        ExistingPost(
            id=row.id,
            team_id=row.team_id,
            role_id=row.role_id,
            frozen=row.frozen,
            values={name: getattr(row, name) for name in POST_FIELDS},
        )
        for row in rows
    ]


def _preview(programme: Programme, table: Table, mapping: dict[str, int]) -> Preview:
    if missing_fields(FIELDS, mapping):
        return Preview(table, mapping, None, None)
    lookups = _lookups(programme)
    plan = plan_import(table, mapping, lookups, _existing_posts(programme))
    return Preview(table, mapping, plan, lookups)


def preview_file(programme: Programme, data: bytes, filename: str, limits: ReadLimits) -> Preview:
    """Read a file and plan its import without writing anything."""
    table = imports.read_file(data, filename, FIELDS, limits)
    return _preview(programme, table, imports.mapping_for(programme, KIND, FIELDS, table.headers))


@transactional
def upload(
    programme: Programme, data: bytes, filename: str, actor: User | None, limits: ReadLimits
) -> tuple[ImportRecord, Preview]:
    """Keep an uploaded file (under a generated name) with its preview; nothing else changes."""
    preview = preview_file(programme, data, filename, limits)
    record = imports.store_upload(
        programme, KIND, data, filename, actor, preview.table, preview.mapping
    )
    _note_outcome(record, preview)
    return record, preview


def _note_outcome(record: ImportRecord, preview: Preview) -> None:
    if preview.plan is None:
        record.errors = [
            {"row": record.header_row, "column": FIELDS[name].label, "message": "No column chosen."}
            for name in preview.missing
        ]
        return
    counts = preview.plan.counts
    record.created, record.updated = counts["created"], counts["updated"]
    record.unchanged, record.rejected = counts["unchanged"], counts["rejected"]
    record.errors = [error.as_dict() for error in preview.plan.errors]


def preview_record(record: ImportRecord, limits: ReadLimits) -> Preview:
    """Plan the stored file again, against the programme as it is now."""
    table = imports.read_file(record.content, record.stored_name, FIELDS, limits)
    return _preview(_programme(record), table, dict(record.mapping))


def _programme(record: ImportRecord) -> Programme:
    return db.session.get(Programme, record.programme_id)


@transactional
def set_mapping(record: ImportRecord, choices: Mapping[str, int | None]) -> None:
    """Use the user's column choices for this import and remember them for files like it."""
    _refuse_unless_previewed(record)
    mapping = {name: index for name, index in choices.items() if index is not None}
    problems = mapping_problems(FIELDS, mapping, record.headers)
    if problems:
        raise ServiceError(" ".join(problems), "mapping")
    record.mapping = mapping
    imports.remember_mapping(_programme(record), KIND, record.headers, dict(choices))


def _refuse_unless_previewed(record: ImportRecord) -> None:
    if record.state != "previewed":
        raise Conflict(f"This import was already {record.state}; upload the file again.")


class PreviewChanged(Conflict):
    """Applying the file now would do something other than the preview the user confirmed."""


@transactional
def apply_import(
    record: ImportRecord,
    actor: User | None,
    *,
    today: date,
    limits: ReadLimits,
    confirmed: str | None = None,
) -> ImportPlan:
    """Apply every row of a previewed import, or none if any row is refused.

    `confirmed` is the fingerprint of the preview the user saw; if the programme has changed
    since so that the rows would now do something else, nothing is written.
    """
    _refuse_unless_previewed(record)
    programme = _programme(record)
    _lock(programme)
    preview = preview_record(record, limits)
    if preview.plan is None:
        raise ColumnsMissing(preview.missing, record.headers)
    if preview.plan.count("rejected"):
        raise ImportRejected(preview.plan)
    if confirmed is not None and confirmed != preview.plan.fingerprint():
        raise PreviewChanged(
            "The programme's posts changed after this preview was made, so the rows would now "
            "do something else. Nothing was saved: check the new preview below and save again."
        )
    _apply(programme, record, preview, actor, today)
    return preview.plan


def _apply(
    programme: Programme, record: ImportRecord, preview: Preview, actor: User | None, today: date
) -> None:
    record.state, record.applied_by, record.applied_at = "applied", actor, utcnow()
    _note_outcome(record, preview)
    db.session.flush()  # the record's id marks each status change it makes
    _write(programme, preview.plan, record, actor, today)
    _audit(programme, preview, record, actor)


def _write(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """New posts, their first history step and their undo rows are each written by one
    statement; updated posts go through the ORM, so a post edited meanwhile is caught by its
    version."""
    created = [row.values for row in plan.rows if row.action == "created"]
    if created:
        db.session.execute(
            insert(Post),
            [
                {
                    **values,
                    "programme_id": programme.id,
                    "import_id": record.id,
                    "status_changed_on": today,
                    "frozen": False,
                    "version": 1,
                }
                for values in created
            ],
        )
        _insert_first_steps(record, actor, today)
        db.session.execute(
            insert(ImportChange).from_select(
                ["import_id", "post_id", "action", "version_after"],
                select(literal(record.id), Post.id, literal("created"), literal(1)).where(
                    Post.import_id == record.id
                ),
            )
        )
    updated = [row for row in plan.rows if row.action == "updated"]
    if updated:
        _update_posts(programme, updated, record, actor, today)


def _insert_first_steps(record: ImportRecord, actor: User | None, today: date) -> None:
    """Each post the import created starts its history with its status, dated today."""
    db.session.execute(
        insert(PostStatusChange).from_select(
            ["post_id", "status", "changed_on", "at", "actor_id", "import_id"],
            select(
                Post.id,
                Post.status,
                literal(today, Date),
                literal(utcnow(), DateTime(timezone=True)),
                literal(actor.id if actor else None, Integer),
                literal(record.id),
            ).where(Post.import_id == record.id),
        )
    )


def _update_posts(
    programme: Programme, rows: list, record: ImportRecord, actor: User | None, today: date
) -> None:
    posts = {
        post.id: post
        for post in db.session.scalars(select(Post).where(Post.programme_id == programme.id))
    }
    stepped = []
    for row in rows:
        post = posts[row.post_id]
        if any(getattr(post, name) != old for name, (old, _new) in row.changes.items()):
            raise StaleEdit(
                f"Row {row.row}'s post was changed while the import ran. Nothing was saved: "
                "try the import again."
            )
        for name, (_old, new) in row.changes.items():
            setattr(post, name, new)
        if "status" in row.changes:
            post.status_changed_on = today
            stepped.append({"post_id": post.id, "status": post.status})
    db.session.flush()
    if stepped:
        db.session.execute(
            insert(PostStatusChange),
            [
                {
                    **step,
                    "changed_on": today,
                    "actor_id": actor.id if actor else None,
                    "import_id": record.id,
                }
                for step in stepped
            ],
        )
    db.session.execute(
        insert(ImportChange),
        [
            {
                "import_id": record.id,
                "post_id": row.post_id,
                "action": "updated",
                "before": audit.jsonable({k: old for k, (old, _new) in row.changes.items()}),
                "version_after": posts[row.post_id].version,
            }
            for row in rows
        ],
    )


def _audit(programme: Programme, preview: Preview, record: ImportRecord, actor) -> None:
    """One entry per locality the import touched, so each locality's trail shows it."""
    team_locality = dict(
        db.session.execute(
            select(Team.id, Team.locality_id)
            .join(Locality)
            .where(Locality.programme_id == programme.id)
        ).all()
    )
    touched: Counter[int] = Counter()
    for row in preview.plan.rows:
        if row.action in ("created", "updated"):
            touched[team_locality[row.values["team_id"]]] += 1
    counts = preview.plan.counts
    for locality_id, rows in sorted(touched.items()):
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Recruitment import of {record.original_name}: {rows} posts created or updated here",
            programme_id=programme.id,
            locality_id=locality_id,
            after={"import": record.id, **counts},
        )
    if not touched:
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Recruitment import of {record.original_name}: nothing to change",
            programme_id=programme.id,
            after={"import": record.id, **counts},
        )


def import_file(
    programme: Programme,
    data: bytes,
    filename: str,
    actor: User | None,
    *,
    today: date,
    limits: ReadLimits,
    dry_run: bool = False,
) -> ImportPlan:
    """The command-line import: the same preview and the same all-or-nothing apply."""
    preview = preview_file(programme, data, filename, limits)
    if preview.plan is None:
        raise ColumnsMissing(preview.missing, list(preview.table.headers))
    if dry_run or preview.plan.count("rejected"):
        return preview.plan
    _store_and_apply(programme, data, filename, preview, actor, today)
    return preview.plan


@transactional
def _store_and_apply(
    programme: Programme, data: bytes, filename: str, preview: Preview, actor, today: date
) -> ImportRecord:
    """Keep the file and apply the plan just made from it, in the transaction that made it."""
    _lock(programme)
    record = imports.store_upload(
        programme, KIND, data, filename, actor, preview.table, preview.mapping
    )
    _apply(programme, record, preview, actor, today)
    return record


@transactional
def undo_import(record: ImportRecord, actor: User | None) -> int:
    """Put back every post the programme's last import created or changed; returns how many."""
    programme = _programme(record)
    _lock(programme)
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
    _redate_statuses(record)
    record.state, record.undone_by, record.undone_at = "undone", actor, utcnow()
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


def _lock(programme: Programme) -> None:
    """Imports and undos of one programme take turns (PostgreSQL; SQLite has one writer)."""
    db.session.execute(select(Programme.id).where(Programme.id == programme.id).with_for_update())


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
