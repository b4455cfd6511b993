"""What the app e-mails: the outbox (every message, sent or not), each person's digest
preferences, and the single-use links that invitations and password resets carry."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.users import User

# pending: waiting for its first or next attempt (next_attempt_at says when);
# sending: claimed by one process, which is talking to the server now;
# sent: the server accepted it; stored: kept, not sent (MAIL_TRANSPORT=outbox);
# failed: refused for good (a 5xx answer) or out of attempts, shown to admins to resend.
OUTBOX_STATUSES = ("pending", "sending", "sent", "stored", "failed")
# calendar: an invitation to, update of or cancellation of a training session, with its .ics.
MESSAGE_KINDS = ("digest", "invitation", "password_reset", "calendar")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # A digest is (recipient, ISO week): the database refuses a second one, whichever
        # process builds it. Other kinds use a key of their own (the link they carry).
        UniqueConstraint("recipient", "kind", "dedupe_key"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in OUTBOX_STATUSES) + ")", name="status"
        ),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in MESSAGE_KINDS) + ")", name="kind"
        ),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    # The ISO week ('2026-W49') for a digest; for other kinds, what makes the message unique.
    dedupe_key: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # Extra headers (List-Unsubscribe and List-Unsubscribe-Post on a digest).
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the message tells the person, one entry an item: {"part", "text", "link"}.
    items: Mapped[list] = mapped_column(JSON, default=list)
    # Files sent with it: [{"filename", "content_type", "content"}] (text content, e.g. .ics).
    attachments: Mapped[list | None] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User | None] = relationship()


# The parts of the weekly digest a person can turn off one by one.
DIGEST_PARTS = ("milestones", "recruitment", "training", "readiness")


class DigestPreference(db.Model):
    """One row for a person who has changed anything; none means everything is on."""

    __tablename__ = "digest_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    milestones: Mapped[bool] = mapped_column(Boolean, default=True)
    recruitment: Mapped[bool] = mapped_column(Boolean, default=True)
    training: Mapped[bool] = mapped_column(Boolean, default=True)
    readiness: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )

    def wants(self, part: str) -> bool:
        return self.enabled and bool(getattr(self, part))


LINK_PURPOSES = ("invitation", "password_reset")


class AccountLink(db.Model):
    """A single-use link e-mailed to set a password: only the token's SHA-256 is kept."""

    __tablename__ = "account_link"
    __table_args__ = (
        CheckConstraint(
            "purpose IN (" + ", ".join(f"'{p}'" for p in LINK_PURPOSES) + ")", name="purpose"
        ),
        Index("ix_account_link_user_created", "user_id", "created_at"),
        Index("ix_account_link_address_created", "requested_from", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The network address that asked for it (a reset), for the per-address rate limit.
    requested_from: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class CalendarFeed(db.Model):
    """A person's private calendar feed address (their sessions and milestones): only the
    token's SHA-256 is kept; revoking deletes the row, so the old address answers 404."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
