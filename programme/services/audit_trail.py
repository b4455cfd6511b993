"""Reading an audit trail for its page, a locality's or a whole programme's (every change in the
programme, its localities' included): filtered by who, what kind and when (and on the programme's
page by locality and by channel), a page at a time, each entry's changes in plain English.

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
from programme.domain.audit_channels import CHANNEL_LABELS, channel_label, who_did_it
from programme.domain.paging import PageSpan, page_bounds
from programme.extensions import db
from programme.models import AuditEvent, Locality, User
from programme.models.organisations import Organisation
from programme.models.programme import Programme, Team
from programme.models.readiness import GateCriterion
from programme.models.recruitment import Role
from programme.models.training import Course

PER_PAGE = 50
SYSTEM = "system"  # the "who" filter's value for changes nobody made by hand

# Whose trail: one locality's, or the whole programme's.
Scope = Locality | Programme


@dataclass(frozen=True)
class TrailFilters:
    who: str | None = None  # a user's id as text, or SYSTEM
    kind: str | None = None  # an action
    date_from: date | None = None  # inclusive, in the programme's time zone
    date_to: date | None = None  # inclusive
    locality: str | None = None  # a locality's slug (the programme's trail only)
    channel: str | None = None  # web, cli, json or scheduler (the programme's trail only)

    @property
    def active(self) -> bool:
        return any((self.who, self.kind, self.date_from, self.date_to, self.locality, self.channel))

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string has them (to keep them across pages)."""
        values = {
            "who": self.who,
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "locality": self.locality,
            "channel": self.channel,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    kind: str  # the action in words
    changes: list[ChangeLine] = field(default_factory=list)
    who: str = ""  # "Ada Lovelace", "command line, acting as Ada Lovelace", "scheduled job", ...
    where: str | None = None  # the locality's name (the programme's trail only)


@dataclass(frozen=True)
class TrailPage:
    entries: list[Entry]
    span: PageSpan


@dataclass(frozen=True)
class TrailChoices:
    """What the filters offer: the people, kinds of change and channels in the trail (and the
    programme's localities, on the programme's trail)."""

    people: list[tuple[str, str]]  # (value, name)
    kinds: list[tuple[str, str]]  # (action, label)
    has_system: bool
    channels: list[tuple[str, str]] = field(default_factory=list)  # (channel, label)
    localities: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


def _in_scope(scope: Scope):
    if isinstance(scope, Locality):
        return AuditEvent.locality_id == scope.id
    return AuditEvent.programme_id == scope.id


def _programme_id(scope: Scope) -> int:
    return scope.programme_id if isinstance(scope, Locality) else scope.id


def choices(scope: Scope) -> TrailChoices:
    actors = select(AuditEvent.actor_id).where(_in_scope(scope))
    people = db.session.execute(
        select(User.id, User.name).where(User.id.in_(actors)).order_by(User.name, User.id)
    ).all()
    actions = db.session.execute(
        select(
            AuditEvent.action,
            AuditEvent.channel,
            func.count(AuditEvent.actor_id) < func.count(),
        )
        .where(_in_scope(scope))
        .group_by(AuditEvent.action, AuditEvent.channel)
    ).all()
    kinds = sorted({(action, action_label(action)) for action, _, _ in actions}, key=lambda k: k[1])
    used = {channel for _, channel, _ in actions}
    channels = [(key, label) for key, label in CHANNEL_LABELS.items() if key in used]
    channels += [(key, channel_label(key)) for key in sorted(used - set(CHANNEL_LABELS))]
    places: list[tuple[str, str]] = []
    if isinstance(scope, Programme):
        places = [
            (slug, name)
            for slug, name in db.session.execute(
                select(Locality.slug, Locality.name)
                .where(Locality.programme_id == scope.id)
                .order_by(Locality.name)
            )
        ]
    return TrailChoices(
        people=[(str(user_id), name) for user_id, name in people],
        kinds=kinds,
        has_system=any(bool(system) for _, _, system in actions),
        channels=channels,
        localities=places,
    )


def _moment(day: date, zone: tzinfo | None) -> datetime:
    """The start of `day` where users live, in UTC (as the trail stores moments)."""
    return datetime.combine(day, time(), tzinfo=zone or UTC).astimezone(UTC)


def _conditions(scope: Scope, filters: TrailFilters, zone: tzinfo | None) -> list:
    conditions: list[Any] = [_in_scope(scope)]
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
    if filters.locality:
        place = select(Locality.id).where(
            Locality.programme_id == _programme_id(scope), Locality.slug == filters.locality
        )
        conditions.append(AuditEvent.locality_id == place.scalar_subquery())
    if filters.channel:
        conditions.append(AuditEvent.channel == filters.channel)
    return conditions


def matching(scope: Scope, filters: TrailFilters, zone: tzinfo | None) -> list[Entry]:
    """Every entry matching `filters`, newest first, in words: all the pages, for the downloads."""
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(*_conditions(scope, filters, zone))
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
    return _in_words(scope, events, zone)


def _in_words(scope: Scope, events: list[AuditEvent], zone: tzinfo | None) -> list[Entry]:
    lookups = lookups_for(_programme_id(scope), events, zone)
    places: dict[int, str] = {}
    if isinstance(scope, Programme):
        places = _names(Locality, Locality.id, {event.locality_id for event in events})
    return [
        Entry(
            event,
            action_label(event.action),
            change_lines(event.entity_type, event.action, event.before, event.after, lookups),
            who=who_did_it(event.channel, event.actor.name if event.actor else None),
            where=places.get(event.locality_id) if event.locality_id is not None else None,
        )
        for event in events
    ]


def trail_page(
    scope: Scope,
    filters: TrailFilters,
    zone: tzinfo | None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> TrailPage:
    """The entries matching `filters`, newest first, `per_page` to a page, each with its changes
    in words. A page past the last shows the last."""
    conditions = _conditions(scope, filters, zone)
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
    entries = _in_words(scope, events, zone)
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


def lookups_for(programme_id: int, events: list[AuditEvent], zone: tzinfo | None) -> Lookups:
    """The labels the entries' stored keys stand for, in one query for each kind of name."""
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
