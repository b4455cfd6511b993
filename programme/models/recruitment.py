"""The role taxonomy, establishment templates, and the posts of each team with their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.recruitment import POST_STATUSES, PostStatus
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.organisations import Organisation
    from programme.models.programme import Programme, Team
    from programme.models.users import User

_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{status.value}'" for status in POST_STATUSES))


class Role(db.Model):
    """A role in the programme's taxonomy, with the names HR spreadsheets use for it."""

    __tablename__ = "role"
    __table_args__ = (
        UniqueConstraint("programme_id", "key"),
        UniqueConstraint("programme_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    adult_specialist: Mapped[bool] = mapped_column(Boolean, default=False)
    # The day the adult-specialist flag was last changed (None: as the programme began), so the
    # readiness pages can say from when a role counts toward the recruitment criterion.
    adult_specialist_changed_on: Mapped[date | None]
    agency: Mapped[str] = mapped_column(String(40))
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    programme: Mapped[Programme] = relationship(back_populates="roles")


class EstablishmentTemplate(db.Model):
    """A team make-up (Lancashire's, Somerset's) that creates a team's posts in one step."""

    __tablename__ = "establishment_template"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    team_kind: Mapped[str] = mapped_column(String(40), default="family_safeguarding")

    lines: Mapped[list[EstablishmentTemplateLine]] = relationship(
        order_by="EstablishmentTemplateLine.position", cascade="all, delete-orphan"
    )

    @property
    def post_count(self) -> int:
        return sum(line.count for line in self.lines)


class EstablishmentTemplateLine(db.Model):
    __tablename__ = "establishment_template_line"
    __table_args__ = (
        CheckConstraint("count >= 1", name="count"),
        CheckConstraint("fte > 0 AND fte <= 1", name="fte"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("establishment_template.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    agency: Mapped[str | None] = mapped_column(String(40))

    role: Mapped[Role] = relationship()


class Post(db.Model):
    """One post in a team's establishment, on its way through the recruitment pipeline."""

    __tablename__ = "post"
    __table_args__ = (
        # References are unique within a programme; posts without one are matched by position.
        UniqueConstraint("programme_id", "reference"),
        CheckConstraint(_STATUS_CHECK, name="status"),
        CheckConstraint("fte > 0 AND fte <= 1", name="fte"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside team_id so references can be unique per programme and counted in one query.
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str | None] = mapped_column(String(60))
    # The employing organisation; the post's agency category is the organisation's type.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(30), default=PostStatus.VACANT.value)
    status_changed_on: Mapped[date | None]
    holder_name: Mapped[str] = mapped_column(String(200), default="")
    holder_email: Mapped[str] = mapped_column(String(254), default="")
    start_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    # A frozen post stays on the books but out of the establishment that the gate counts.
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    # The spreadsheet import that created the post, if one did.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_record.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team] = relationship(back_populates="posts")
    role: Mapped[Role] = relationship()
    # Joined: every list of posts names each post's employer, in the same query.
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    history: Mapped[list[PostStatusChange]] = relationship(
        back_populates="post",
        order_by="(PostStatusChange.changed_on, PostStatusChange.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def status_label(self) -> str:
        return PostStatus(self.status).label

    @property
    def display_name(self) -> str:
        return f"{self.role.name} ({self.reference})" if self.reference else self.role.name


class PostStatusChange(db.Model):
    """One dated step of a post through the pipeline."""

    __tablename__ = "post_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    changed_on: Mapped[date]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_record.id", ondelete="SET NULL"), index=True
    )

    post: Mapped[Post] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return PostStatus(self.status).label


def post_values(post: Post) -> dict[str, Any]:
    """The fields an edit or an import may change, for audit trails and undo."""
    return {
        "team_id": post.team_id,
        "role_id": post.role_id,
        "reference": post.reference,
        "organisation_id": post.organisation_id,
        "fte": post.fte,
        "status": post.status,
        "holder_name": post.holder_name,
        "holder_email": post.holder_email,
        "start_date": post.start_date,
        "notes": post.notes,
    }
