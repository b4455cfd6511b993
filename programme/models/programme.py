"""A programme, its localities (with wave and go-live date) and their teams."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.recruitment import DEFAULT_RECRUITED
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.organisations import Organisation
    from programme.models.recruitment import EstablishmentTemplate, Post, Role
    from programme.models.timeline import Milestone, TimelineTemplate, Workstream

LOCALITY_STATES = ("planning", "live")


class Programme(db.Model):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # The post statuses that count as recruited; None means the default (appointed, in post).
    recruited_statuses: Mapped[list[str] | None] = mapped_column(JSON)

    localities: Mapped[list[Locality]] = relationship(
        back_populates="programme", order_by="(Locality.wave, Locality.go_live, Locality.name)"
    )
    workstreams: Mapped[list[Workstream]] = relationship(
        back_populates="programme", order_by="(Workstream.position, Workstream.id)"
    )
    timeline_templates: Mapped[list[TimelineTemplate]] = relationship(
        back_populates="programme", order_by="TimelineTemplate.name"
    )
    roles: Mapped[list[Role]] = relationship(
        back_populates="programme", order_by="(Role.position, Role.id)"
    )
    establishment_templates: Mapped[list[EstablishmentTemplate]] = relationship(
        order_by="EstablishmentTemplate.name"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        back_populates="programme", order_by="(Organisation.name, Organisation.id)"
    )

    @property
    def recruited(self) -> tuple[str, ...]:
        return tuple(self.recruited_statuses or DEFAULT_RECRUITED)


class Locality(db.Model):
    __tablename__ = "locality"
    __table_args__ = (
        UniqueConstraint("programme_id", "slug"),
        CheckConstraint("state IN ('planning', 'live')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    wave: Mapped[int | None]
    go_live: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default="planning")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    programme: Mapped[Programme] = relationship(back_populates="localities")
    teams: Mapped[list[Team]] = relationship(back_populates="locality", order_by="Team.name")
    milestones: Mapped[list[Milestone]] = relationship(back_populates="locality")


# The other localities of its programme a team serves (a county-wide or shared team): its posts
# and staff count toward each of them as well as toward its own locality.
team_served_locality = Table(
    "team_served_locality",
    db.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("locality_id", ForeignKey("locality.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("locality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # "family_safeguarding": a Lancashire-style team; "area": Somerset's area-wide adult workers.
    kind: Mapped[str] = mapped_column(String(40), default="family_safeguarding")
    # Serves every locality of its programme (Somerset's county-wide psychologists).
    serves_all: Mapped[bool] = mapped_column(Boolean, default=False)

    locality: Mapped[Locality] = relationship(back_populates="teams")
    posts: Mapped[list[Post]] = relationship(back_populates="team", order_by="Post.id")
    served: Mapped[list[Locality]] = relationship(
        secondary=team_served_locality, order_by="Locality.name"
    )

    @property
    def serves_others(self) -> bool:
        return self.serves_all or bool(self.served)
