"""Timeline templates, workstreams and milestones."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.timeline import MilestoneStatus, Offset
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Locality, Programme
    from programme.models.users import User


class TimelineTemplate(db.Model):
    __tablename__ = "timeline_template"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="timeline_templates")
    items: Mapped[list[TimelineTemplateItem]] = relationship(
        back_populates="template",
        order_by="(TimelineTemplateItem.position, TimelineTemplateItem.id)",
        cascade="all, delete-orphan",
    )


class TimelineTemplateItem(db.Model):
    __tablename__ = "timeline_template_item"
    __table_args__ = (
        CheckConstraint("offset_unit IN ('months', 'weeks', 'days')", name="offset_unit"),
        CheckConstraint("offset_amount >= 0", name="offset_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("timeline_template.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    workstream: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    offset_amount: Mapped[int]
    offset_unit: Mapped[str] = mapped_column(String(10))
    gate_critical: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the milestone and its offset come from: a document and its date, "assumption" (with
    # the reason), "set by <programme>" once changed by hand; None for items from before 0008.
    source: Mapped[str | None] = mapped_column(String(300))
    source_reason: Mapped[str | None] = mapped_column(Text)
    # What the milestone made from it stands for, e.g. "go_live_decision" (STANDS_FOR).
    stands_for: Mapped[str | None] = mapped_column(String(30))

    template: Mapped[TimelineTemplate] = relationship(back_populates="items")

    @property
    def when(self) -> str:
        """ "3 months before", "at launch": the offset in words."""
        return Offset(self.offset_amount, self.offset_unit).describe()


class Workstream(db.Model):
    __tablename__ = "workstream"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship(back_populates="workstreams")
    lead: Mapped[User | None] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(back_populates="workstream")


class Milestone(db.Model):
    __tablename__ = "milestone"
    __table_args__ = (
        # Applying a template twice must not create anything twice.
        UniqueConstraint("locality_id", "template_item_id"),
        CheckConstraint(
            "status IN ('not_started', 'in_progress', 'done', 'blocked')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id", ondelete="CASCADE"))
    # None for a programme-wide milestone.
    locality_id: Mapped[int | None] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    template_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_template_item.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # How long before go-live it falls due; None for a milestone with a fixed date.
    offset_amount: Mapped[int | None]
    offset_unit: Mapped[str | None] = mapped_column(String(10))
    due: Mapped[date | None]
    due_set_manually: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=MilestoneStatus.NOT_STARTED.value)
    completed_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    gate_critical: Mapped[bool] = mapped_column(Boolean, default=False)
    # "go_live_decision": the board's decision completes (and a rescind reopens) this milestone;
    # nobody sets its status by hand. None for an ordinary milestone.
    stands_for: Mapped[str | None] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )

    # SQLAlchemy bumps `version` on every UPDATE and refuses one whose row moved on meanwhile.
    __mapper_args__ = {"version_id_col": version}

    workstream: Mapped[Workstream] = relationship(back_populates="milestones")
    locality: Mapped[Locality | None] = relationship(back_populates="milestones")
    owner: Mapped[User | None] = relationship()

    @property
    def is_done(self) -> bool:
        return self.status == MilestoneStatus.DONE

    @property
    def must_precede_go_live(self) -> bool:
        """Counted back from go-live, or gate-critical: either way due before launch."""
        return (self.offset_amount or 0) > 0 or self.gate_critical
