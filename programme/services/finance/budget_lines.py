"""Budget lines: what the business case budgets for a category in a financial year from one
funding source. Added, changed (refused over someone else's change) and deleted (refused while
spend is recorded against the line)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from programme.domain.audit_changes import fields_in_words
from programme.domain.finance_terms import SPEND_CATEGORIES, category_label
from programme.domain.financial_years import year_label
from programme.domain.formatting import count, money
from programme.domain.money import LIMIT_PENCE
from programme.extensions import db
from programme.models import BudgetLine, Organisation, Programme, Spend, User
from programme.services import audit
from programme.services.errors import Conflict, ServiceError
from programme.services.lookup import get_within
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional

FIRST_YEAR, LAST_YEAR = 2000, 2099
SOURCE_LENGTH, NOTE_LENGTH = 100, 500


@dataclass(frozen=True)
class LineValues:
    """What a person gives for a budget line."""

    financial_year: int
    category: str
    funding_source: str
    amount_pence: int
    forecast_pence: int | None = None
    organisation_id: int | None = None
    note: str = ""


def lines_of(programme: Programme) -> list[BudgetLine]:
    """The programme's budget lines by year, category (in the pages' order) and source."""
    order = list(SPEND_CATEGORIES)
    lines = db.session.scalars(
        select(BudgetLine).where(BudgetLine.programme_id == programme.id)
    ).all()
    return sorted(
        lines,
        key=lambda line: (
            line.financial_year,
            order.index(line.category) if line.category in order else len(order),
            line.funding_source.casefold(),
        ),
    )


def get_line(programme: Programme, line_id: int) -> BudgetLine:
    return get_within(
        BudgetLine,
        line_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no budget line {line_id}.",
    )


def line_name(line: BudgetLine) -> str:
    """ "Staffing 2025/26 (DfE grant)"."""
    return (
        f"{category_label(line.category)} {year_label(line.financial_year)} ({line.funding_source})"
    )


def line_values(line: BudgetLine) -> dict:
    return {
        "financial_year": line.financial_year,
        "category": line.category,
        "funding_source": line.funding_source,
        "amount_pence": line.amount_pence,
        "forecast_pence": line.forecast_pence,
        "organisation_id": line.organisation_id,
        "note": line.note,
    }


def spent_against(line: BudgetLine) -> int:
    """What has been recorded against the line, refunds taken off."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(
            Spend.budget_line_id == line.id
        )
    )


def _audit(actor: User | None, action: str, line: BudgetLine, summary: str, **change) -> None:
    audit.record(
        actor, action, "budget_line", line.id, summary, programme_id=line.programme_id, **change
    )


def _checked_amount(pence: int | None, field: str, what: str) -> int:
    if pence is None:
        raise ServiceError(f"Enter the {what} in pounds, such as 655000 or 655,000.50.", field)
    if pence < 0:
        raise ServiceError(f"The {what} cannot be negative.", field)
    if pence > LIMIT_PENCE:
        raise ServiceError(f"The {what} must be {money(LIMIT_PENCE)} or less.", field)
    return pence


def _checked(programme: Programme, values: LineValues, line: BudgetLine | None) -> dict:
    if not FIRST_YEAR <= values.financial_year <= LAST_YEAR:
        raise ServiceError(
            f"Enter a financial year from {year_label(FIRST_YEAR)} to {year_label(LAST_YEAR)}.",
            "financial_year",
        )
    if values.category not in SPEND_CATEGORIES:
        raise ServiceError("Choose the category.", "category")
    source = " ".join((values.funding_source or "").split())
    if not source:
        raise ServiceError("Enter the funding source, for example DfE grant.", "funding_source")
    if len(source) > SOURCE_LENGTH:
        raise ServiceError(
            f"The funding source must be {SOURCE_LENGTH} characters or fewer.", "funding_source"
        )
    note = (values.note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ServiceError(f"The note must be {NOTE_LENGTH} characters or fewer.", "note")
    if values.organisation_id is not None:
        organisation = db.session.get(Organisation, values.organisation_id)
        if organisation is None or organisation.programme_id != programme.id:
            raise ServiceError("Choose the partner organisation from the list.", "organisation_id")
    checked = {
        "financial_year": values.financial_year,
        "category": values.category,
        "funding_source": source,
        "amount_pence": _checked_amount(values.amount_pence, "amount_pence", "budget"),
        "forecast_pence": None
        if values.forecast_pence is None
        else _checked_amount(values.forecast_pence, "forecast_pence", "forecast"),
        "organisation_id": values.organisation_id,
        "note": note,
    }
    _refuse_duplicate(programme, checked, line)
    return checked


def _refuse_duplicate(programme: Programme, checked: dict, line: BudgetLine | None) -> None:
    source = checked["funding_source"].casefold()
    for other in lines_of(programme):
        if (
            other is not line
            and other.financial_year == checked["financial_year"]
            and other.category == checked["category"]
            and other.funding_source.casefold() == source
        ):
            raise Conflict(
                f"There is already a {category_label(other.category).lower()} budget line for "
                f"{year_label(other.financial_year)} funded by {other.funding_source}: change "
                "that one instead.",
                "funding_source",
            )


@transactional
def add_line(programme: Programme, values: LineValues, actor: User | None) -> BudgetLine:
    checked = _checked(programme, values, None)
    with db.session.no_autoflush:
        line = BudgetLine(programme_id=programme.id, **checked)
    db.session.add(line)
    db.session.flush()
    _audit(
        actor,
        "add_budget_line",
        line,
        f"Added the budget line {line_name(line)}: {money(line.amount_pence)}",
        after=line_values(line),
    )
    return line


def _changed_since_opened(line: BudgetLine) -> str:
    return (
        f"Someone else changed the budget line {line_name(line)} after you opened it. Your "
        "changes were not saved: review the current values and make your change again."
    )


@transactional
def change_line(
    line: BudgetLine, values: LineValues, actor: User | None, *, expected_version: int | None
) -> list[str]:
    """Change a budget line; returns the fields changed (none: nothing written). Spend recorded
    against it stays with it, in the line's (perhaps new) year and category."""
    refuse_if_stale(line, expected_version, _changed_since_opened(line))
    checked = _checked(line.programme, values, line)
    old, new = audit.changed_fields(line_values(line), checked)
    if not new:
        return []
    message = _changed_since_opened(line)
    for field, value in new.items():
        setattr(line, field, value)
    _audit(
        actor,
        "change_budget_line",
        line,
        f"Changed the budget line {line_name(line)}: {fields_in_words('budget_line', new)}",
        before=old,
        after=new,
    )
    flush_or_refuse(message)
    return list(new)


@transactional
def delete_line(line: BudgetLine, actor: User | None, *, expected_version: int | None) -> str:
    """Delete a budget line with no spend recorded against it; returns its name."""
    refuse_if_stale(line, expected_version, _changed_since_opened(line))
    name = line_name(line)
    entries = db.session.scalar(select(func.count()).where(Spend.budget_line_id == line.id))
    if entries:
        raise Conflict(
            f"The budget line {name} has spend recorded against it "
            f"({count(entries, 'entry', 'entries')}): delete or move the spend first."
        )
    _audit(
        actor,
        "delete_budget_line",
        line,
        f"Deleted the budget line {name}: {money(line.amount_pence)}",
        before=line_values(line),
    )
    db.session.delete(line)
    flush_or_refuse(_changed_since_opened_after_delete(name))
    return name


def _changed_since_opened_after_delete(name: str) -> str:
    return f"Someone else changed the budget line {name} at the same moment. Nothing was deleted."
