"""Reading a locality's audit trail for its page: filtered by who, what kind and when, a page at a
time, each entry's changes in plain English.

A page costs the same number of queries however many entries it shows: the count, the page,
the choices for the filters and one query per kind of name the entries may refer to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from programme.domain.audit_changes import ChangeLine, Lookups, action_label, change_lines
from programme.domain.paging import PageSpan, page_bounds
from programme.extensions import db
from programme.models import AuditEvent, Locality, User
from programme.models.organisations import Organisation
from programme.models.programme import Team
from programme.models.readiness import GateCriterion
from programme.models.recruitment import Role
from programme.models.training import Course

PER_PAGE = 50
SYSTEM = "system"  # the "who" filter's value for changes nobody made by hand


@dataclass(frozen=True)
class TrailFilters:
    who: str | None = None  # a user's id as text, or SYSTEM
    kind: str | None = None  # an action
    date_from: date | None = None  # inclusive, in the programme's time zone
    date_to: date | None = None  # inclusive

    @property
    def active(self) -> bool:
        return any((self.who, self.kind, self.date_from, self.date_to))

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string has them (to keep them across pages)."""
        values = {
            "who": self.who,
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    kind: str  # the action in words
    changes: list[ChangeLine] = field(default_factory=list)


@dataclass(frozen=True)
class TrailPage:
    entries: list[Entry]
    span: PageSpan


@dataclass(frozen=True)
class TrailChoices:
    """What the filters offer: the people and the kinds of change in this locality's trail."""

    people: list[tuple[str, str]]  # (value, name)
    kinds: list[tuple[str, str]]  # (action, label)
    has_system: bool


def choices(locality: Locality) -> TrailChoices:
    actors = select(AuditEvent.actor_id).where(AuditEvent.locality_id == locality.id)
    people = db.session.execute(
        select(User.id, User.name).where(User.id.in_(actors)).order_by(User.name, User.id)
    ).all()
    actions = db.session.execute(
        select(AuditEvent.action, func.count(AuditEvent.actor_id) < func.count())
        .where(AuditEvent.locality_id == locality.id)
        .group_by(AuditEvent.action)
    ).all()
    kinds = sorted(((action, action_label(action)) for action, _ in actions), key=lambda k: k[1])
    return TrailChoices(
        people=[(str(user_id), name) for user_id, name in people],
        kinds=kinds,
        has_system=any(bool(system) for _, system in actions),
    )


def _moment(day: date, zone: tzinfo | None) -> datetime:
    """The start of `day` where users live, in UTC (as the trail stores moments)."""
    return datetime.combine(day, time(), tzinfo=zone or UTC).astimezone(UTC)


def _conditions(locality: Locality, filters: TrailFilters, zone: tzinfo | None) -> list:
    conditions: list[Any] = [AuditEvent.locality_id == locality.id]
    if filters.who == SYSTEM:
        conditions.append(AuditEvent.actor_id.is_(None))
    elif filters.who:
        conditions.append(AuditEvent.actor_id == int(filters.who))
    if filters.kind:
        conditions.append(AuditEvent.action == filters.kind)
    if filters.date_from:
        conditions.append(AuditEvent.at >= _moment(filters.date_from, zone))
    if filters.date_to:
        conditions.append(AuditEvent.at < _moment(filters.date_to + timedelta(days=1), zone))
    return conditions


def matching(locality: Locality, filters: TrailFilters, zone: tzinfo | None) -> list[Entry]:
    """Every entry matching `filters`, newest first, in words: all the pages, for the downloads."""
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(*_conditions(locality, filters, zone))
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
    return _in_words(locality, events, zone)


def _in_words(locality: Locality, events: list[AuditEvent], zone: tzinfo | None) -> list[Entry]:
    lookups = lookups_for(locality, events, zone)
    return [
        Entry(
            event,
            action_label(event.action),
            change_lines(event.entity_type, event.action, event.before, event.after, lookups),
        )
        for event in events
    ]


def trail_page(
    locality: Locality,
    filters: TrailFilters,
    zone: tzinfo | None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> TrailPage:
    """The entries matching `filters`, newest first, `per_page` to a page, each with its changes
    in words. A page past the last shows the last."""
    conditions = _conditions(locality, filters, zone)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions))
    page, pages = page_bounds(page, total, per_page)
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(*conditions)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    entries = _in_words(locality, events, zone)
    return TrailPage(entries, PageSpan(len(entries), total, page, pages, per_page))


def _values(events: list[AuditEvent], *keys: str) -> set:
    found = set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            for key in keys:
                value = values.get(key)
                if isinstance(value, list):
                    found.update(value)
                elif value is not None:
                    found.add(value)
    return found


def _names(model, column, wanted: set) -> dict:
    """Names by `column` for the values wanted: one query, always (a fixed count per page)."""
    wanted = {value for value in wanted if isinstance(value, str | int)}
    rows = db.session.execute(select(column, model.name).where(column.in_(sorted(wanted, key=str))))
    return dict(rows.all())


def lookups_for(locality: Locality, events: list[AuditEvent], zone: tzinfo | None) -> Lookups:
    """The labels the entries' stored keys stand for, in one query for each kind of name."""
    programme_id = locality.programme_id
    criteria = dict(
        db.session.execute(
            select(GateCriterion.key, GateCriterion.label).where(
                GateCriterion.programme_id == programme_id
            )
        ).all()
    )
    courses = dict(
        db.session.execute(
            select(Course.key, Course.name).where(Course.programme_id == programme_id)
        ).all()
    )
    localities = dict(
        db.session.execute(
            select(Locality.slug, Locality.name).where(Locality.programme_id == programme_id)
        ).all()
    )
    people = _names(User, User.email, _values(events, "owner", "signer"))
    ids = {key: {v for v in _values(events, key) if isinstance(v, int)} for key in _ID_KEYS}
    return Lookups(
        criteria=criteria,
        people=people,
        courses=courses,
        localities=localities,
        teams=_names(Team, Team.id, ids["team_id"]),
        roles=_names(Role, Role.id, ids["role_id"]),
        organisations=_names(Organisation, Organisation.id, ids["organisation_id"]),
        zone=zone,
    )


_ID_KEYS = ("team_id", "role_id", "organisation_id")
