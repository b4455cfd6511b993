"""Who belongs to which programme, and in what role. A user's role is held per programme;
administrators (`User.role == "admin"`) are instance-wide and need no membership."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.domain.permissions import MEMBER_ROLES
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Programme
    from programme.models.users import User


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "programme_id"),
        CheckConstraint(
            "role IN (" + ", ".join(f"'{role}'" for role in MEMBER_ROLES) + ")", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    user: Mapped[User] = relationship()
    programme: Mapped[Programme] = relationship()
