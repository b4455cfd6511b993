"""The go-live gate: its criteria, locality exceptions and sign-offs, the decisions recorded
against it, and the daily readiness snapshots behind the trend charts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Locality, Programme
    from programme.models.timeline import Workstream
    from programme.models.users import User

_KIND_CHECK = "kind IN ({})".format(", ".join(f"'{kind.value}'" for kind in CriterionKind))


class GateCriterion(db.Model):
    __tablename__ = "gate_criterion"
    __table_args__ = (
        UniqueConstraint("programme_id", "key"),
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint("threshold >= 0 AND threshold <= 100", name="threshold"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # True for the defaults a programme came with that are Lancashire's rule: their thresholds
    # change, they are not removed (this tracker's own additions come as not standard).
    standard: Mapped[bool] = mapped_column(Boolean, default=False)
    # A training criterion's courses, by key: a person is trained once they completed each one.
    courses: Mapped[list[str]] = mapped_column(JSON, default=list)
    milestone_title: Mapped[str | None] = mapped_column(String(300))
    workstream_id: Mapped[int | None] = mapped_column(
        ForeignKey("workstream.id", ondelete="CASCADE")
    )
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Where the criterion and its threshold come from: a document and its date, "assumption" (with
    # the reason), "set by <programme>" once changed by hand; None for criteria from before 0008.
    source: Mapped[str | None] = mapped_column(String(300))
    source_reason: Mapped[str | None] = mapped_column(Text)
    # A criterion's trend starts here, so one added later under a removed one's key never shows
    # the removed one's readings.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()
    workstream: Mapped[Workstream | None] = relationship()
    signer: Mapped[User | None] = relationship()

    def definition(self) -> Criterion:
        return Criterion(
            key=self.key,
            label=self.label,
            kind=CriterionKind(self.kind),
            threshold=self.threshold,
            milestone_title=self.milestone_title,
            workstream_id=self.workstream_id,
            workstream_name=self.workstream.name if self.workstream else None,
            signer=self.signer.name if self.signer else "nobody (no one is named)",
            courses=tuple(self.courses or ()),
        )

    @property
    def kind_label(self) -> str:
        return CriterionKind(self.kind).label


class GateException(db.Model):
    """A locality held to another threshold for one criterion, or excused from it."""

    __tablename__ = "gate_exception"
    __table_args__ = (
        UniqueConstraint("locality_id", "criterion_id"),
        CheckConstraint(
            "waived OR (threshold IS NOT NULL AND threshold >= 0 AND threshold <= 100)",
            name="threshold_or_waived",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("gate_criterion.id", ondelete="CASCADE"))
    threshold: Mapped[int | None] = mapped_column(Integer)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    criterion: Mapped[GateCriterion] = relationship()
    set_by: Mapped[User | None] = relationship()


class CheckSignOff(db.Model):
    """A manual check signed off for one locality by the person the criterion names."""

    __tablename__ = "check_sign_off"
    __table_args__ = (UniqueConstraint("locality_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("gate_criterion.id", ondelete="CASCADE"))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    signed_by_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    criterion: Mapped[GateCriterion] = relationship()


# What a decision records of its moment; none of it may change once written.
DECISION_RECORD = (
    "locality_id",
    "decided_by_id",
    "decided_by_name",
    "decided_at",
    "note",
    "evidence",
)


class GoLiveDecision(db.Model):
    """The board's decision that a locality goes live, with the evidence it was taken on."""

    __tablename__ = "go_live_decision"
    __table_args__ = (
        # At most one decision in force per locality, whatever two board members do at once.
        Index(
            "uq_go_live_decision_in_force",
            "locality_id",
            unique=True,
            sqlite_where=text("rescinded_at IS NULL"),
            postgresql_where=text("rescinded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    rescinded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rescinded_by_name: Mapped[str | None] = mapped_column(String(200))
    rescind_reason: Mapped[str | None] = mapped_column(Text)

    locality: Mapped[Locality] = relationship()

    @property
    def in_force(self) -> bool:
        return self.rescinded_at is None


class DecisionIsFinal(Exception):
    """Raised on any attempt to change what a go-live decision recorded."""


@event.listens_for(GoLiveDecision, "before_update")
def _refuse_changed_record(mapper, connection, decision: GoLiveDecision) -> None:
    state = db.inspect(decision)
    for name in DECISION_RECORD:
        if state.attrs[name].history.has_changes():
            raise DecisionIsFinal(f"A go-live decision's {name} cannot be changed.")


@event.listens_for(GoLiveDecision, "before_delete")
def _refuse_deleted_record(mapper, connection, decision: GoLiveDecision) -> None:
    raise DecisionIsFinal("A go-live decision stays on record; rescind it instead.")


class ReadinessSnapshot(db.Model):
    """A locality's readiness on one day, kept for the trend."""

    __tablename__ = "readiness_snapshot"
    __table_args__ = (UniqueConstraint("locality_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(
        ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    taken_on: Mapped[date]
    ready: Mapped[bool] = mapped_column(Boolean)
    # [{"key", "actual", "threshold", "met", "numerator", "denominator"}]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
