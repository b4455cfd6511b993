"""Importing actual spend from a finance spreadsheet: preview every row, then apply all or none;
undoing an applied import removes the spend it recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, insert, select

from programme.clock import utc_now, zone
from programme.domain.finance_terms import category_label
from programme.domain.financial_years import quarter_label
from programme.domain.formatting import clock_time, count, local, money, short_date
from programme.domain.imports import ImportPlan
from programme.domain.spend_import import FIELDS, BudgetLineRef, SpendRef, plan_spend_import
from programme.domain.spreadsheet import Table
from programme.extensions import db
from programme.models import BudgetLine, ImportRecord, Programme, Spend, User
from programme.services import audit, import_flow, imports, locks
from programme.services.errors import Conflict
from programme.services.transaction import transactional

KIND = "spend"


def budget_lines_of(programme: Programme) -> list[BudgetLineRef]:
    """The programme's budget lines as the import matches spend to them: one query. (The line
    is chosen by `domain.spend.find_budget_line`, as for spend recorded on the form.)"""
    return [
        BudgetLineRef(*row)
        for row in db.session.execute(
            select(
                BudgetLine.id,
                BudgetLine.financial_year,
                BudgetLine.category,
                BudgetLine.funding_source,
            )
            .where(BudgetLine.programme_id == programme.id)
            .order_by(BudgetLine.financial_year, BudgetLine.category, BudgetLine.id)
        )
    ]


def _recorded(programme: Programme) -> list[SpendRef]:
    return [
        SpendRef(*row)
        for row in db.session.execute(
            select(
                Spend.budget_line_id, Spend.quarter, Spend.amount_pence, Spend.description
            ).where(Spend.programme_id == programme.id)
        )
    ]


def _plan(
    programme: Programme, table: Table, mapping: dict[str, int], today: date, _mappings
) -> ImportPlan:
    """Categories are matched by their names and finance's usual words for them (no user
    mapping of values: a category the file names otherwise is refused with the known ones)."""
    return plan_spend_import(table, mapping, budget_lines_of(programme), _recorded(programme))


def _write(
    programme: Programme, plan: ImportPlan, record: ImportRecord, actor: User | None, today: date
) -> None:
    """Every row in one statement, each naming the import. The budget lines were planned
    against under the programme's lock, and a line with spend cannot be deleted."""
    rows = [row for row in plan.rows if row.action == "created"]
    if rows:
        db.session.execute(
            insert(Spend),
            [
                {
                    **row.values,
                    "programme_id": programme.id,
                    "import_id": record.id,
                    "recorded_by_id": actor.id if actor else None,
                    "created_at": utc_now(),
                    "version": 1,
                }
                for row in rows
            ],
        )
    total = sum(row.values["amount_pence"] for row in rows)
    audit.record(
        actor,
        "import",
        "import",
        record.id,
        f"Finance spreadsheet import of {record.original_name}: "
        f"{count(len(rows), 'spend row')} recorded, {money(total)} in all",
        programme_id=programme.id,
        after={"import": record.id, "total_pence": total, **plan.counts},
    )


@dataclass
class UndoSummary:
    """What undoing a spend import would do, in the shape the undo page shows."""

    record: ImportRecord
    deleted: list[str] = field(default_factory=list)  # the spend it recorded, one line each
    reverted: list = field(default_factory=list)  # a spend import changes no stored row
    steps: int = 0
    organisations: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    noun: str = "spend row"  # the undo page's words for what it deletes
    names_note: str = ""  # a spend import remembers no names

    @property
    def possible(self) -> bool:
        return not self.blockers

    @property
    def sentence(self) -> str:
        record, when, who = self.record, "", ""
        if record.applied_at is not None:
            moment = local(record.applied_at, zone())
            when = f" on {short_date(moment)} at {clock_time(moment)}"
        if record.applied_by is not None:
            who = f" by {record.applied_by.name}"
        what = (
            f"the {count(len(self.deleted), 'spend row')} it recorded will be deleted"
            if self.deleted
            else "nothing it recorded is left to delete"
        )
        return f"Undo the import of {record.original_name} applied{who}{when}: {what}."


def _blockers(record: ImportRecord) -> list[str]:
    if (refusal := imports.undo_refusal(record, "finance spreadsheet")) is not None:
        return [refusal]
    changed = db.session.scalar(
        select(func.count(Spend.id)).where(Spend.import_id == record.id, Spend.version != 1)
    )
    if changed:
        return [
            f"{count(changed, 'spend row')} it recorded {'was' if changed == 1 else 'were'} "
            "changed since; undoing the import would lose that change."
        ]
    return []


def describe_undo(record: ImportRecord) -> UndoSummary:
    summary = UndoSummary(record, blockers=_blockers(record))
    for spend, line in db.session.execute(
        select(Spend, BudgetLine)
        .join(BudgetLine, BudgetLine.id == Spend.budget_line_id)
        .where(Spend.import_id == record.id)
        .order_by(Spend.id)
    ):
        summary.deleted.append(
            f"{quarter_label(line.financial_year, spend.quarter)} · "
            f"{category_label(line.category)} · {line.funding_source} · "
            f"{money(spend.amount_pence)}"
            + (f" · {spend.description}" if spend.description else "")
        )
    return summary


@transactional
def undo_import(record: ImportRecord, actor: User | None) -> int:
    """Delete the spend the programme's last finance import recorded; returns how many rows."""
    programme = import_flow.programme_of(record)
    locks.lock(programme)
    blockers = _blockers(record)
    if blockers:
        raise Conflict(f"{blockers[0]} Nothing was undone.")
    removed = db.session.execute(
        delete(Spend).where(Spend.import_id == record.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    imports.mark_undone(
        record,
        actor,
        f"Undid the finance spreadsheet import of {record.original_name}: "
        f"{count(removed, 'spend row')} deleted",
        spend=removed,
    )
    return removed


SPEND = import_flow.Importer(
    kind=KIND,
    title="a finance spreadsheet of actual spend",
    fields=FIELDS,
    plan=_plan,
    write=_write,
    undo=undo_import,
    describe_undo=describe_undo,
)
