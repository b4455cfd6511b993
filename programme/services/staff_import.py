"""Importing team lists: people matched by e-mail, all rows or none."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from programme.domain.formatting import count
from programme.domain.imports import ImportPlan
from programme.domain.spreadsheet import Table
from programme.domain.staff_import import (
    FIELDS,
    STAFF_FIELDS,
    ExistingStaff,
    plan_staff_import,
)
from programme.domain.value_mapping import ValueMappings
from programme.extensions import db
from programme.models import ImportRecord, Post, Programme, StaffMember, Team, User
from programme.services import audit, batch_insert, import_flow
from programme.services.recruitment_import import lookups_for
from programme.services.recruitment_import_posts import CHUNK
from programme.services.stale import refuse_if_changed

KIND = "staff"


def _plan(
    programme: Programme,
    table: Table,
    mapping: dict[str, int],
    today: date,
    mappings: ValueMappings,
) -> ImportPlan:
    staff = db.session.execute(
        select(
            StaffMember.id, StaffMember.email, *(getattr(StaffMember, f) for f in STAFF_FIELDS)
        ).where(StaffMember.programme_id == programme.id)
    )
    existing = [
        ExistingStaff(row.id, row.email, {name: getattr(row, name) for name in STAFF_FIELDS})
        for row in staff
    ]
    references = {
        reference.upper(): post_id
        for post_id, reference in db.session.execute(
            select(Post.id, Post.reference).where(
                Post.programme_id == programme.id, Post.reference.is_not(None)
            )
        )
    }
    return plan_staff_import(table, mapping, lookups_for(programme, mappings), existing, references)


def _write(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """New people in batches of INSERTs (`batch_insert`); changed people (only they are loaded)
    through the ORM, so a person edited while the import ran is caught by their version."""
    created = [row for row in plan.rows if row.action == "created"]
    if created:
        # A person in a post is employed by the post's organisation, as one added by hand is.
        employers = dict(
            db.session.execute(
                select(Post.id, Post.organisation_id).where(
                    Post.id.in_({row.values["post_id"] for row in created} - {None})
                )
            ).all()
        )
        batch_insert.insert_rows(
            StaffMember,
            (
                {
                    **row.values,
                    "email": row.key,
                    "programme_id": programme.id,
                    "organisation_id": employers.get(row.values["post_id"]),
                    "version": 1,
                }
                for row in created
            ),
        )
    updated = {row.target_id: row for row in plan.rows if row.action == "updated"}
    if updated:
        for person in _people(sorted(updated)):
            row = updated[person.id]
            refuse_if_changed(
                person,
                {name: old for name, (old, _new) in row.changes.items()},
                f"Row {row.row}'s person was changed while the import ran. Nothing was "
                "saved: try the import again.",
            )
            for name, (_old, new) in row.changes.items():
                setattr(person, name, new)
        db.session.flush()
    _audit(programme, plan, record, actor)


def _people(ids: list[int]) -> list[StaffMember]:
    """The people the import changes, and no others: a few hundred ids per query."""
    people = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        people.extend(db.session.scalars(select(StaffMember).where(StaffMember.id.in_(chunk))))
    return people


def _audit(programme: Programme, plan: ImportPlan, record: ImportRecord, actor) -> None:
    """One entry per locality whose teams the import changed."""
    team_locality = dict(
        db.session.execute(
            select(Team.id, Team.locality_id).where(
                Team.id.in_({row.values["team_id"] for row in plan.rows if "team_id" in row.values})
            )
        ).all()
    )
    touched: Counter[int] = Counter(
        team_locality[row.values["team_id"]]
        for row in plan.rows
        if row.action in ("created", "updated")
    )
    for locality_id, people in sorted(touched.items()) or [(None, 0)]:
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Staff import of {record.original_name}: "
            f"{count(people, 'person', 'people')} added or changed",
            programme_id=programme.id,
            locality_id=locality_id,
            after={"import": record.id, **plan.counts},
        )


STAFF = import_flow.Importer(
    kind=KIND,
    title="a staff list",
    fields=FIELDS,
    plan=_plan,
    write=_write,
    lookups=lookups_for,
    blank_cells=("start_date", "leaving_date", "post_id"),
)


def staff_count(programme: Programme) -> int:
    return db.session.scalar(
        select(func.count(StaffMember.id)).where(StaffMember.programme_id == programme.id)
    )
