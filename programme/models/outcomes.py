"""Outcome indicators (issue 20): the catalogue a programme measures itself by, each locality's
baseline and target, and the values recorded month by month or quarter by quarter."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.indicator_units import UNITS
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Locality

FREQUENCIES = ("monthly", "quarterly")


class Indicator(db.Model):
    """One measure of a programme's outcomes ("Children looked after, per 10,000 children"),
    seeded from seed/indicators.toml or added by a programme manager."""

    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("programme_id", "key"),
        UniqueConstraint("programme_id", "name"),
        CheckConstraint("unit IN (" + ", ".join(f"'{u}'" for u in UNITS) + ")", name="unit"),
        CheckConstraint(
            "frequency IN (" + ", ".join(f"'{f}'" for f in FREQUENCIES) + ")", name="frequency"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))  # a slug: children-looked-after
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))  # a key of domain/indicator_units.UNITS
    lower_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    # "outcomes" (children and families) or "workforce".
    group: Mapped[str] = mapped_column(String(40), default="outcomes")
    description: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # where the catalogue took it
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class IndicatorTarget(db.Model):
    """A locality's baseline for an indicator and what it aims for: a value, or a change from
    the baseline in per cent (-30 for a 30% fall)."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("locality_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_on: Mapped[date] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_change_percent: Mapped[float | None] = mapped_column(Float)
    target_by: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    locality: Mapped[Locality] = relationship()
    indicator: Mapped[Indicator] = relationship()


class IndicatorValue(db.Model):
    """An indicator's value in one locality for one period: the month, or the quarter, that
    starts on `period`."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("locality_id", "indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[date] = mapped_column(Date)  # the first day of its month or quarter
    value: Mapped[float] = mapped_column(Float)
    # The indicator import that recorded it, if one did.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_record.id", ondelete="SET NULL"), index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    locality: Mapped[Locality] = relationship()
    indicator: Mapped[Indicator] = relationship()
