"""Importing outcome indicator values (a quarterly return): preview every row, then apply all of
them or none. A value already recorded for the locality, indicator and period is changed."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import insert, select

from programme.domain.formatting import count
from programme.domain.imports import ImportPlan
from programme.domain.indicator_import import FIELDS, ExistingValue, IndicatorRef, plan_import
from programme.domain.spreadsheet import Table
from programme.domain.value_mapping import ValueMappings
from programme.extensions import db
from programme.models import (
    ImportRecord,
    Indicator,
    IndicatorValue,
    Locality,
    Programme,
    User,
)
from programme.services import audit, import_flow
from programme.services.errors import StaleEdit
from programme.services.recruitment_import import lookups_for
from programme.services.stale import refuse_if_changed

KIND = "indicators"


def _indicators(programme: Programme) -> list[IndicatorRef]:
    return [
        IndicatorRef(*row)
        for row in db.session.execute(
            select(Indicator.id, Indicator.key, Indicator.name, Indicator.unit, Indicator.frequency)
            .where(Indicator.programme_id == programme.id)
            .order_by(Indicator.position, Indicator.name)
        )
    ]


def _existing(programme: Programme) -> list[ExistingValue]:
    return [
        ExistingValue(*row)
        for row in db.session.execute(
            select(
                IndicatorValue.id,
                IndicatorValue.locality_id,
                IndicatorValue.indicator_id,
                IndicatorValue.period,
                IndicatorValue.value,
            )
            .join(Locality, Locality.id == IndicatorValue.locality_id)
            .where(Locality.programme_id == programme.id)
        )
    ]


def _plan(
    programme: Programme,
    table: Table,
    mapping: dict[str, int],
    today: date,
    mappings: ValueMappings,
) -> ImportPlan:
    """Localities by every name the programme knows them by (and this preview's mappings)."""
    return plan_import(
        table,
        mapping,
        lookups_for(programme, mappings).localities,
        _indicators(programme),
        _existing(programme),
        today,
    )


def _write(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """New values in one statement; changed values through the ORM, each checked to hold the
    value the preview showed (a value entered by hand meanwhile stops the import)."""
    created = [row for row in plan.rows if row.action == "created"]
    if created:
        db.session.execute(
            insert(IndicatorValue),
            [
                {
                    **row.values,
                    "import_id": record.id,
                    "recorded_by_id": actor.id if actor else None,
                    "version": 1,
                }
                for row in created
            ],
        )
    updated = {row.target_id: row for row in plan.rows if row.action == "updated"}
    if updated:
        values = db.session.scalars(
            select(IndicatorValue).where(IndicatorValue.id.in_(list(updated)))
        ).all()
        if len(values) != len(updated):
            _changed_meanwhile(min(row.row for row in updated.values()))
        for stored in values:
            row = updated[stored.id]
            old, new = row.changes["value"]
            refuse_if_changed(stored, {"value": old}, _meanwhile(row.row))
            stored.value = new
            stored.import_id = record.id
        db.session.flush()
    _audit(programme, plan, record, actor)


def _meanwhile(row: int) -> str:
    return (
        f"Row {row}'s value was changed while the import ran. Nothing was saved: try the "
        "import again."
    )


def _changed_meanwhile(row: int):
    raise StaleEdit(_meanwhile(row))


def _audit(programme: Programme, plan: ImportPlan, record: ImportRecord, actor) -> None:
    """One entry per locality the import recorded values for, each with what it did."""
    touched: Counter[int] = Counter(
        row.values["locality_id"] for row in plan.rows if row.action in ("created", "updated")
    )
    for locality_id, values in sorted(touched.items()) or [(None, 0)]:
        audit.record(
            actor,
            "import",
            "import",
            record.id,
            f"Indicator import of {record.original_name}: "
            f"{count(values, 'value')} recorded or changed",
            programme_id=programme.id,
            locality_id=locality_id,
            after={"import": record.id, **plan.counts},
        )


INDICATORS = import_flow.Importer(
    kind=KIND,
    title="outcome indicator values",
    fields=FIELDS,
    plan=_plan,
    write=_write,
    lookups=lookups_for,
)
