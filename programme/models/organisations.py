"""Partner organisations: the council and the agencies that employ a programme's posts and staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from programme.clock import utc_now
from programme.extensions import db

if TYPE_CHECKING:
    from programme.models.programme import Programme


class Organisation(db.Model):
    """An employing organisation of a programme ("Westshire County Council"), of one of the
    agency types of seed/roles.toml, with the other names spreadsheets call it."""

    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # An agency key of seed/roles.toml [agencies]: council, police, probation, ...
    type: Mapped[str] = mapped_column(String(40))
    # Alternative names (what spreadsheets call it); imports match them too.
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The day its partnership agreement was signed, when known.
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)
    # A name or e-mail address of the partner's contact for the programme.
    contact: Mapped[str] = mapped_column(String(200), default="")
    # The spreadsheet import that added it, if one did: undoing the import removes it again.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_record.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship(back_populates="organisations")
