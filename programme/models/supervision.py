"""Group supervision after go-live (issue 20): the weekly case discussions a Family
Safeguarding team holds, which show the model is practised and not only launched."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Team


class SupervisionSession(db.Model):
    __tablename__ = "supervision_session"
    __table_args__ = (CheckConstraint("families_discussed >= 0", name="families"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    families_discussed: Mapped[int] = mapped_column(Integer)
    psychologist_present: Mapped[bool] = mapped_column(Boolean, default=False)
    # The actions the team manager agreed (free text, no family's details).
    actions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team] = relationship()
