"""Reading the security log for the administrators' page: filtered by kind, e-mail address,
network address and dates, newest first, a page at a time. (`security_log.record` writes it.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select

from programme.domain.paging import PageSpan, page_bounds
from programme.domain.security_events import KIND_LABELS, kind_label
from programme.extensions import db
from programme.models import SecurityEvent

PER_PAGE = 50


@dataclass(frozen=True)
class SecurityFilters:
    kind: str | None = None
    email: str | None = None  # part of an e-mail address, any case
    address: str | None = None  # the start of a network address ("203.0.113.")
    date_from: date | None = None  # inclusive, in the programme's time zone
    date_to: date | None = None  # inclusive

    @property
    def active(self) -> bool:
        return any((self.kind, self.email, self.address, self.date_from, self.date_to))

    def as_args(self) -> dict[str, str]:
        values = {
            "kind": self.kind,
            "email": self.email,
            "address": self.address,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class SecurityPage:
    events: list[SecurityEvent]
    span: PageSpan


def kind_choices() -> list[tuple[str, str]]:
    """Every kind with words, and any other kind the log holds, by label."""
    held = set(db.session.scalars(select(SecurityEvent.kind).distinct()))
    kinds = set(KIND_LABELS) | held
    return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda k: k[1])


def _moment(day: date, zone: tzinfo | None) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone or UTC).astimezone(UTC)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(filters: SecurityFilters, zone: tzinfo | None) -> list:
    conditions: list[Any] = []
    if filters.kind:
        conditions.append(SecurityEvent.kind == filters.kind)
    if filters.email:
        pattern = f"%{_escaped(filters.email.strip().lower())}%"
        conditions.append(func.lower(SecurityEvent.email).like(pattern, escape="\\"))
    if filters.address:
        pattern = f"{_escaped(filters.address.strip())}%"
        conditions.append(SecurityEvent.address.like(pattern, escape="\\"))
    if filters.date_from:
        conditions.append(SecurityEvent.at >= _moment(filters.date_from, zone))
    if filters.date_to:
        conditions.append(SecurityEvent.at < _moment(filters.date_to + timedelta(days=1), zone))
    return conditions


def log_page(
    filters: SecurityFilters, zone: tzinfo | None, page: int = 1, per_page: int = PER_PAGE
) -> SecurityPage:
    """The events matching `filters`, newest first; a page past the last shows the last."""
    conditions = _conditions(filters, zone)
    total = db.session.scalar(select(func.count()).select_from(SecurityEvent).where(*conditions))
    page, pages = page_bounds(page, total, per_page)
    events = list(
        db.session.scalars(
            select(SecurityEvent)
            .where(*conditions)
            .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return SecurityPage(events, PageSpan(len(events), total, page, pages, per_page))
