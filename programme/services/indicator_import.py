"""Importing outcome indicator values (a quarterly return): preview every row, then apply all of
them or none. A value already recorded for the locality, indicator and period is changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, or_, select

from programme.domain.formatting import count
from programme.domain.imports import ImportPlan
from programme.domain.indicator_import import FIELDS, ExistingValue, IndicatorRef, plan_import
from programme.domain.outcomes import period_label, value_text
from programme.domain.spreadsheet import Table
from programme.domain.value_mapping import ValueMappings
from programme.extensions import db
from programme.models import (
    ImportChange,
    ImportRecord,
    Indicator,
    IndicatorValue,
    Locality,
    Programme,
    User,
)
from programme.services import audit, import_flow, imports, locks
from programme.services.errors import Conflict, StaleEdit
from programme.services.recruitment_import import lookups_for
from programme.services.stale import refuse_if_changed
from programme.services.transaction import transactional

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
        before = {}
        for stored in values:
            row = updated[stored.id]
            old, new = row.changes["value"]
            refuse_if_changed(stored, {"value": old}, _meanwhile(row.row))
            before[stored.id] = {"value": old, "import_id": stored.import_id}
            stored.value = new
            stored.import_id = record.id
        db.session.flush()
        # What each changed value held, for an undo to put back (a value has no post: its id
        # is kept in `before`).
        db.session.execute(
            insert(ImportChange),
            [
                {
                    "import_id": record.id,
                    "action": "updated",
                    "before": {"indicator_value_id": stored.id, **before[stored.id]},
                    "version_after": stored.version,
                }
                for stored in values
            ],
        )
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


# --- Undo: the values it added deleted, the values it changed put back -----------------------


@dataclass(frozen=True)
class Reverted:
    post: str  # the undo page's first column: here the locality, indicator and period
    changes: list[tuple[str, str, str]]  # (what, now, before)


@dataclass
class UndoSummary:
    """What undoing an indicator import would do, in the shape the undo page shows."""

    record: ImportRecord
    deleted: list[str] = field(default_factory=list)
    reverted: list[Reverted] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    steps: int = 0
    organisations: list[str] = field(default_factory=list)
    noun: str = "indicator value"
    row_heading: str = "Value"
    names_note: str = (
        "Names it remembered for localities stay remembered (forget them on the "
        "remembered-names page)."
    )

    @property
    def possible(self) -> bool:
        return not self.blockers

    @property
    def sentence(self) -> str:
        parts = []
        if self.deleted:
            parts.append(f"the {count(len(self.deleted), 'value')} it added will be deleted")
        if self.reverted:
            parts.append(
                f"the {count(len(self.reverted), 'value')} it changed will go back to what "
                f"{'it' if len(self.reverted) == 1 else 'they'} held before"
            )
        what = " and ".join(parts) or "nothing it recorded is left to take back"
        return f"Undo the import of {self.record.original_name}: {what}."


def _label(value: IndicatorValue) -> str:
    indicator = value.indicator
    return (
        f"{value.locality.name} · {indicator.name} · "
        f"{period_label(value.period, indicator.frequency)}"
    )


def _undo_plan(record: ImportRecord):
    """(values to delete, (value, change) pairs to put back, blockers)."""
    changes = list(
        db.session.scalars(
            select(ImportChange)
            .where(ImportChange.import_id == record.id)
            .order_by(ImportChange.id)
        )
    )
    changed_ids = {change.before["indicator_value_id"] for change in changes}
    found = {
        value.id: value
        for value in db.session.scalars(
            select(IndicatorValue).where(
                or_(IndicatorValue.import_id == record.id, IndicatorValue.id.in_(changed_ids))
            )
        )
    }
    created = sorted(
        (value for value in found.values() if value.id not in changed_ids),
        key=lambda value: value.id,
    )
    reverted = [(found.get(change.before["indicator_value_id"]), change) for change in changes]
    return created, reverted, _blockers(record, created, reverted)


def _blockers(record: ImportRecord, created, reverted) -> list[str]:
    if (refusal := imports.undo_refusal(record, "indicator")) is not None:
        return [refusal]
    later = [_label(value) for value in created if value.version != 1]
    later += [
        _label(value)
        for value, change in reverted
        if value is not None and value.version != change.version_after
    ]
    blockers = [
        f"{name} was changed since the import; undoing it would lose that change." for name in later
    ]
    gone = sum(1 for value, _change in reverted if value is None)
    if gone:
        blockers.append(
            f"{count(gone, 'value')} the import changed {'was' if gone == 1 else 'were'} "
            "removed since; undoing it cannot put "
            f"{'it' if gone == 1 else 'them'} back."
        )
    return blockers


def describe_undo(record: ImportRecord) -> UndoSummary:
    created, reverted, blockers = _undo_plan(record)
    summary = UndoSummary(record, blockers=blockers)
    summary.deleted = [
        f"{_label(value)}: {value_text(value.value, value.indicator.unit)}" for value in created
    ]
    for value, change in reverted:
        if value is not None:
            unit = value.indicator.unit
            now, before = value_text(value.value, unit), value_text(change.before["value"], unit)
            summary.reverted.append(Reverted(_label(value), [("Value", now, before)]))
    return summary


@transactional
def undo_import(record: ImportRecord, actor: User | None) -> int:
    """Delete the values the programme's last indicator import added and put back the values it
    changed; returns how many values."""
    programme = import_flow.programme_of(record)
    locks.lock(programme)
    created, reverted, blockers = _undo_plan(record)
    if blockers:
        raise Conflict(f"{blockers[0]} Nothing was undone.")
    for value in created:
        db.session.delete(value)
    for value, change in reverted:
        value.value = change.before["value"]
        value.import_id = change.before["import_id"]
    db.session.flush()
    imports.mark_undone(
        record,
        actor,
        f"Undid the indicator import of {record.original_name}: "
        f"{count(len(created), 'value')} deleted, {count(len(reverted), 'value')} put back",
        deleted=len(created),
        reverted=len(reverted),
    )
    return len(created) + len(reverted)


INDICATORS = import_flow.Importer(
    kind=KIND,
    title="outcome indicator values",
    fields=FIELDS,
    plan=_plan,
    write=_write,
    lookups=lookups_for,
    undo=undo_import,
    describe_undo=describe_undo,
)
