"""The business case (issue 20): budget lines by financial year and category with their funding,
spend recorded against them, partners' pledged contributions, and cost-avoidance scenarios.

Money is held in whole pence, as training costs are. A financial year is held as the calendar
year it starts in: 2025 is April 2025 to March 2026 (see `domain/financial_years.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.finance_terms import SPEND_CATEGORIES
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.organisations import Organisation
    from programme.models.programme import Programme

_CATEGORY_CHECK = "category IN (" + ", ".join(f"'{key}'" for key in SPEND_CATEGORIES) + ")"


class BudgetLine(db.Model):
    """What the business case budgets for one category in one financial year, from one funding
    source ("Staffing, 2025/26, DfE grant: £655,000")."""

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint(
            "programme_id",
            "financial_year",
            "category",
            "funding_source",
            name="uq_budget_line_year_category_source",  # the conventional name is too long
        ),
        CheckConstraint(_CATEGORY_CHECK, name="category"),
        CheckConstraint("amount_pence >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int]  # the year it starts in: 2025 is 2025/26
    category: Mapped[str] = mapped_column(String(40))  # a key of SPEND_CATEGORIES
    # Who pays: "Council", "DfE grant", "Public health", "Partner contribution", ...
    funding_source: Mapped[str] = mapped_column(String(100))
    # The partner organisation paying, when the source is a partner's contribution.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    # The expected outturn when it differs from the budget; None: the budget is the forecast.
    forecast_pence: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    spends: Mapped[list[Spend]] = relationship(
        back_populates="budget_line", order_by="(Spend.quarter, Spend.id)"
    )


class Spend(db.Model):
    """Money spent against a budget line in one quarter of its year (Q1 is April to June). A
    negative amount is only ever an explicit refund."""

    __tablename__ = "spend"
    __table_args__ = (
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
        CheckConstraint("amount_pence >= 0 OR is_refund", name="refund"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    # A line with spend recorded against it cannot be deleted (the spend would be orphaned).
    budget_line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_line.id", ondelete="RESTRICT"), index=True
    )
    quarter: Mapped[int]  # 1 to 4 within the line's financial year
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    is_refund: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(String(300), default="")
    # The finance spreadsheet import that recorded it, if one did (undoing it removes it).
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_record.id", ondelete="SET NULL"), index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    budget_line: Mapped[BudgetLine] = relationship(back_populates="spends")


class PartnerPledge(db.Model):
    """What a partner organisation pledged to the partnership for one financial year (money,
    posts seconded, or both) and what it has paid so far."""

    __tablename__ = "partner_pledge"
    __table_args__ = (
        UniqueConstraint("organisation_id", "financial_year"),
        CheckConstraint(
            "(pledged_pence IS NULL OR pledged_pence >= 0) AND received_pence >= 0 "
            "AND (posts_pledged IS NULL OR posts_pledged >= 0)",
            name="amounts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int]
    pledged_pence: Mapped[int | None] = mapped_column(BigInteger)
    posts_pledged: Mapped[int | None] = mapped_column(Integer)
    received_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship()


class CostScenario(db.Model):
    """One of the business case's cost-avoidance scenarios ("Low", "High")."""

    __tablename__ = "cost_scenario"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    years: Mapped[list[ScenarioYear]] = relationship(
        back_populates="scenario",
        order_by="ScenarioYear.financial_year",
        cascade="all, delete-orphan",
    )


class ScenarioYear(db.Model):
    """The costs a scenario expects the model to avoid in one financial year."""

    __tablename__ = "scenario_year"
    __table_args__ = (
        UniqueConstraint("scenario_id", "financial_year"),
        CheckConstraint("avoided_pence >= 0", name="avoided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("cost_scenario.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int]
    avoided_pence: Mapped[int] = mapped_column(BigInteger)

    scenario: Mapped[CostScenario] = relationship(back_populates="years")
