"""Spend: money spent against a budget line in one quarter of its year. A negative amount is
refused unless it is a refund, and a refund is always stored negative.

The rules (which line spend of a year and category goes against, the refund rule, the amount's
limits) live in `programme.domain.spend`, shared with the finance spreadsheet import;
`record_spend_for` finds the line from a year and category as the import does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from programme.domain import spend as rules
from programme.domain.audit_changes import fields_in_words
from programme.domain.financial_years import quarter_label
from programme.domain.formatting import money
from programme.extensions import db
from programme.models import BudgetLine, Programme, Spend, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.finance.budget_lines import line_name, lines_of
from programme.services.lookup import get_within
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional


@dataclass(frozen=True)
class SpendValues:
    """What a person gives for a spend entry. `amount_pence` is as typed: a refund may be given
    as a positive amount (it is stored negative)."""

    quarter: int | None
    amount_pence: int | None
    is_refund: bool = False
    description: str = ""


def get_spend(programme: Programme, spend_id: int) -> Spend:
    return get_within(
        Spend, spend_id, "programme_id", programme.id, f"{programme.name} has no spend {spend_id}."
    )


def spend_of(line: BudgetLine) -> list[Spend]:
    """The spend recorded against a line, by quarter and then as recorded."""
    return list(
        db.session.scalars(
            select(Spend).where(Spend.budget_line_id == line.id).order_by(Spend.quarter, Spend.id)
        )
    )


def spend_name(spend: Spend) -> str:
    """ "Q2 2025/26 against Staffing 2025/26 (DfE grant)"."""
    line = spend.budget_line
    return f"{quarter_label(line.financial_year, spend.quarter)} against {line_name(line)}"


def spend_values(spend: Spend) -> dict:
    return {
        "quarter": spend.quarter,
        "amount_pence": spend.amount_pence,
        "is_refund": spend.is_refund,
        "description": spend.description,
    }


def _checked(values: SpendValues) -> dict:
    if values.quarter not in (1, 2, 3, 4):
        raise ServiceError("Choose the quarter, 1 to 4 (Q1 is April to June).", "quarter")
    if values.amount_pence is None:
        raise ServiceError("Enter the amount in pounds, such as 1500 or 1,500.50.", "amount")
    try:
        amount = rules.stored_amount(
            values.amount_pence, values.is_refund, "Tick “This is a refund” and enter the amount."
        )
    except ValueError as refused:
        raise ServiceError(str(refused), "amount") from None
    description = (values.description or "").strip()
    if problem := rules.description_problem(description):
        raise ServiceError(problem, "description")
    return {
        "quarter": values.quarter,
        "amount_pence": amount,
        "is_refund": bool(values.is_refund),
        "description": description,
    }


def _audit(actor: User | None, action: str, spend: Spend, summary: str, **change) -> None:
    audit.record(
        actor, action, "spend", spend.id, summary, programme_id=spend.programme_id, **change
    )


def _what(values: dict) -> str:
    amount = money(abs(values["amount_pence"]))
    return f"a refund of {amount}" if values["is_refund"] else amount


@transactional
def record_spend(
    line: BudgetLine, values: SpendValues, actor: User | None, *, import_id: int | None = None
) -> Spend:
    """Record a quarter's spend (or refund) against `line`."""
    checked = _checked(values)
    spend = Spend(
        programme_id=line.programme_id,
        budget_line=line,
        import_id=import_id,
        recorded_by_id=actor.id if actor else None,
        **checked,
    )
    db.session.add(spend)
    db.session.flush()
    _audit(
        actor,
        "record_spend",
        spend,
        f"Recorded {_what(checked)} in {spend_name(spend)}",
        after=spend_values(spend),
    )
    return spend


def line_for(
    programme: Programme,
    year: int,
    category: str,
    funding_source: str | None,
    lines: Sequence[BudgetLine] | None = None,
) -> BudgetLine:
    """The budget line spend in `year` and `category` is recorded against, by the one rule
    (`domain.spend.find_budget_line`) the finance spreadsheet import also follows.
    `lines`: the programme's lines, when the caller has loaded them."""
    if problem := rules.category_problem(category):
        raise ServiceError(problem, "category")
    line, problem = rules.find_budget_line(
        lines_of(programme) if lines is None else lines, year, category, funding_source
    )
    if line is None:
        raise ServiceError(problem, "budget_line")
    return line


@transactional
def record_spend_for(
    programme: Programme,
    year: int,
    category: str,
    funding_source: str | None,
    quarter: int | None,
    amount_pence: int | None,
    *,
    is_refund: bool = False,
    description: str = "",
    actor: User | None = None,
    import_id: int | None = None,
    lines: Sequence[BudgetLine] | None = None,
) -> Spend:
    """Record spend by year and category (as a finance spreadsheet gives it), refused naming
    the budget line that is missing when there is none."""
    line = line_for(programme, year, category, funding_source, lines)
    return record_spend(
        line, SpendValues(quarter, amount_pence, is_refund, description), actor, import_id=import_id
    )


def _changed_since_opened(spend: Spend) -> str:
    return (
        f"Someone else changed the spend in {spend_name(spend)} after you opened it. Your "
        "changes were not saved: review the current values and make your change again."
    )


@transactional
def change_spend(
    spend: Spend, values: SpendValues, actor: User | None, *, expected_version: int | None
) -> list[str]:
    """Change a spend entry's quarter, amount, refund or description; returns the fields changed."""
    refuse_if_stale(spend, expected_version, _changed_since_opened(spend))
    checked = _checked(values)
    old, new = audit.changed_fields(spend_values(spend), checked)
    if not new:
        return []
    message = _changed_since_opened(spend)
    for field, value in new.items():
        setattr(spend, field, value)
    _audit(
        actor,
        "change_spend",
        spend,
        f"Changed the spend in {spend_name(spend)}: {fields_in_words('spend', new)}",
        before=old,
        after=new,
    )
    flush_or_refuse(message)
    return list(new)


@transactional
def delete_spend(spend: Spend, actor: User | None, *, expected_version: int | None) -> str:
    """Delete a spend entry; returns what it was, for the page to say."""
    refuse_if_stale(spend, expected_version, _changed_since_opened(spend))
    what = f"{_what(spend_values(spend))} in {spend_name(spend)}"
    _audit(actor, "delete_spend", spend, f"Deleted {what}", before=spend_values(spend))
    db.session.delete(spend)
    flush_or_refuse("Someone else changed the spend at the same moment. Nothing was deleted.")
    return what
