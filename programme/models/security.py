"""The security log (sign-ins, failures, two-factor changes, refused requests) and the
one-time recovery codes of two-factor sign-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from programme.clock import utc_now
from programme.extensions import db


class SecurityEvent(db.Model):
    __tablename__ = "security_event"
    __table_args__ = (
        Index("ix_security_event_at", "at"),
        Index("ix_security_event_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # sign_in, sign_in_failed, sign_in_slowed, sign_in_refused, two_factor_on, two_factor_off,
    # recovery_code_used, refused (a 403 or 404 answered to a signed-in user), ...
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64))
    # web, cli, json, scheduler
    channel: Mapped[str] = mapped_column(String(20), default="web")
    path: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(String(500), default="")


class RecoveryCode(db.Model):
    """One of a user's one-time recovery codes; only a hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
