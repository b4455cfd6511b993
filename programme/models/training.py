"""Staff, courses with their modules, training sessions and the attendance registers."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.training import ATTENDANCE_STATUSES, DEFAULT_COUNTED
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.organisations import Organisation
    from programme.models.programme import Team
    from programme.models.recruitment import Post, Role
    from programme.models.users import User

_ATTENDANCE_CHECK = "status IS NULL OR status IN ({})".format(
    ", ".join(f"'{status.value}'" for status in ATTENDANCE_STATUSES)
)


class StaffMember(db.Model):
    """A person in a team, counted for the training of their role while in post."""

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("programme_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="RESTRICT"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    # The person's employer, when known.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))  # lower-case; people are matched by it
    start_date: Mapped[date | None]
    leaving_date: Mapped[date | None]
    # Set when an administrator erased the person: name and e-mail are then "Erased person N".
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team] = relationship()
    role: Mapped[Role] = relationship()
    post: Mapped[Post | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


course_role = Table(
    "course_role",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Course(db.Model):
    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    # The readiness criterion it counts toward (trained_mi, trained_fs_workshops), if any.
    criterion: Mapped[str | None] = mapped_column(String(60))
    cost_per_cohort_pence: Mapped[int] = mapped_column(Integer, default=0)
    capacity: Mapped[int] = mapped_column(Integer, default=16)
    # The attendance statuses that count toward completing a module.
    counted: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(DEFAULT_COUNTED))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Where the course and, apart, its cost and module titles come from (seed/courses.toml);
    # None before 0008.
    source: Mapped[str | None] = mapped_column(String(300))
    source_reason: Mapped[str | None] = mapped_column(Text)
    cost_source: Mapped[str | None] = mapped_column(String(300))
    cost_reason: Mapped[str | None] = mapped_column(Text)
    modules_source: Mapped[str | None] = mapped_column(String(300))
    modules_reason: Mapped[str | None] = mapped_column(Text)

    modules: Mapped[list[CourseModule]] = relationship(
        order_by="CourseModule.number", cascade="all, delete-orphan"
    )
    roles: Mapped[list[Role]] = relationship(secondary=course_role, order_by="Role.position")


class CourseModule(db.Model):
    __tablename__ = "course_module"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class TrainingSession(db.Model):
    """One module delivered on one day to a cohort (16 by default)."""

    __tablename__ = "training_session"
    __table_args__ = (CheckConstraint("capacity >= 1", name="capacity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_module.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    capacity: Mapped[int] = mapped_column(Integer, default=16)
    cost_pence: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    # When the trainer last saved the register; a past session without one is flagged.
    register_saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # A cancelled session stays in the schedule, with its reason; its places are released.
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # The iCalendar SEQUENCE of its invitations: raised by each change people are told of.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Two people saving one session at once: the second is refused (StaleDataError).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    course: Mapped[Course] = relationship()
    module: Mapped[CourseModule] = relationship()
    trainer: Mapped[User | None] = relationship()
    places: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class Attendance(db.Model):
    """A person's place at a session: enrolled (status None) until the register says otherwise."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "staff_id"),
        CheckConstraint(_ATTENDANCE_CHECK, name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str | None] = mapped_column(String(20))
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    session: Mapped[TrainingSession] = relationship(back_populates="places")
    staff: Mapped[StaffMember] = relationship()
