"""Importing an HR recruitment spreadsheet: preview every row, then apply all of them or none."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Date, DateTime, Integer, insert, literal, select

from programme.clock import utc_now
from programme.domain.employers import NewOrganisation, OrganisationRef
from programme.domain.formatting import count
from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import ImportPlan
from programme.domain.programme_names import (
    LocalityRef,
    Lookups,
    RoleRef,
    TeamRef,
    build_lookups,
)
from programme.domain.recruitment_import import plan_import
from programme.domain.spreadsheet import Table
from programme.domain.value_mapping import ValueMappings
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
from programme.services import audit, import_flow, organisations, value_mappings
from programme.services.recruitment.roles import taxonomy
from programme.services.recruitment_import_posts import insert_posts, post_finder, update_posts
from programme.services.recruitment_undo import describe_undo, undo_import

KIND = "recruitment"


def lookups_for(programme: Programme, mappings: ValueMappings | None = None) -> Lookups:
    """The programme's localities, teams, roles, organisations and statuses, by every name:
    their own, those remembered for the programme, and this run's mappings."""
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
    employers = organisations.organisations_of(programme)
    lookups = build_lookups(
        [LocalityRef(*row) for row in localities],
        [TeamRef(*row) for row in teams],
        [RoleRef(r.id, r.name, r.key, r.agency, tuple(r.names)) for r in roles],
        [OrganisationRef(o.id, o.name, o.type, tuple(o.names)) for o in employers],
        taxonomy().agencies,
        {
            kind: o.id
            for kind, o in organisations.default_organisations(programme, employers).items()
        },
    )
    return value_mappings.with_mappings(lookups, programme, mappings or {})


def _plan(
    programme: Programme,
    table: Table,
    mapping: dict[str, int],
    today: date,
    mappings: ValueMappings,
) -> ImportPlan:
    return plan_import(
        table,
        mapping,
        lookups_for(programme, mappings),
        post_finder(programme),
        today,
        programme.recruited,
    )


def _write_and_audit(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    _write(programme, plan, record, actor, today)
    _audit(programme, plan, record, actor)


def _add_organisations(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None
) -> None:
    """Add the organisations the plan's rows need and the programme lacks, and put their ids in
    the rows' values and changes."""
    added: dict[NewOrganisation, int] = {}

    def made(value):
        if not isinstance(value, NewOrganisation):
            return value
        if value not in added:
            added[value] = _organisation_for(programme, value, actor, record).id
        return added[value]

    for row in plan.rows:
        if row.action not in ("created", "updated"):
            continue
        if "organisation_id" in row.values:
            row.values["organisation_id"] = made(row.values["organisation_id"])
        if "organisation_id" in row.changes:
            old, new = row.changes["organisation_id"]
            row.changes["organisation_id"] = (old, made(new))


def _organisation_for(programme, new: NewOrganisation, actor, record: ImportRecord):
    """The organisation the plan said it would add, under its name and type, so that what is
    applied is what the preview showed."""
    return organisations.create_organisation(
        programme, new.name, new.type, actor, import_id=record.id
    )


def _write(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """New posts, their first history step and their undo rows are each written in one batch;
    updated posts by id and planned version, so a post edited meanwhile is refused."""
    _add_organisations(programme, plan, record, actor)
    created = [row.values for row in plan.rows if row.action == "created"]
    if created:
        now = utc_now()  # once: as a column default it would be called twice for every post
        same = {
            "programme_id": programme.id,
            "import_id": record.id,
            "status_changed_on": today,
            "frozen": False,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert_posts({**values, **same} for values in created)
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
        _update_posts(updated, plan.versions, record, actor, today)


def _insert_first_steps(record: ImportRecord, actor: User | None, today: date) -> None:
    """Each post the import created starts its history with its status, dated today."""
    db.session.execute(
        insert(PostStatusChange).from_select(
            ["post_id", "status", "changed_on", "at", "actor_id", "import_id"],
            select(
                Post.id,
                Post.status,
                literal(today, Date),
                literal(utc_now(), DateTime(timezone=True)),
                literal(actor.id if actor else None, Integer),
                literal(record.id),
            ).where(Post.import_id == record.id),
        )
    )


def _update_posts(
    rows: list, versions: dict[int, int], record: ImportRecord, actor: User | None, today: date
) -> None:
    """The changes, then a history step for each post whose status moved, then the undo rows
    (each with the version the post reached, so undo can tell a post changed after)."""
    update_posts(rows, versions, today)
    step = {
        "changed_on": today,
        "at": utc_now(),
        "actor_id": actor.id if actor else None,
        "import_id": record.id,
    }
    stepped = [row for row in rows if "status" in row.changes]
    if stepped:
        db.session.execute(
            insert(PostStatusChange).execution_options(render_nulls=True),
            [
                {**step, "post_id": row.post_id, "status": row.changes["status"][1]}
                for row in stepped
            ],
        )
    import_id = record.id
    db.session.execute(
        insert(ImportChange).execution_options(render_nulls=True),
        [
            {
                "import_id": import_id,
                "post_id": row.post_id,
                "action": "updated",
                "before": audit.jsonable({k: old for k, (old, _new) in row.changes.items()}),
                "version_after": versions[row.post_id] + 1,
            }
            for row in rows
        ],
    )


def _audit(programme: Programme, plan: ImportPlan, record: ImportRecord, actor) -> None:
    """One entry per locality the import touched, so each locality's trail shows it."""
    team_locality = dict(
        db.session.execute(
            select(Team.id, Team.locality_id)
            .join(Locality)
            .where(Locality.programme_id == programme.id)
        ).all()
    )
    touched: Counter[int] = Counter()
    for row in plan.rows:
        if row.action in ("created", "updated"):
            touched[team_locality[row.values["team_id"]]] += 1
    counts = plan.counts
    for locality_id, rows in sorted(touched.items()):
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Recruitment import of {record.original_name}: "
            f"{count(rows, 'post')} created or updated here",
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


RECRUITMENT = import_flow.Importer(
    kind=KIND,
    title="an HR recruitment spreadsheet",
    fields=FIELDS,
    plan=_plan,
    write=_write_and_audit,
    undo=undo_import,
    lookups=lookups_for,
    blank_cells=("holder_name", "holder_email", "start_date", "notes"),
    describe_undo=describe_undo,
)
