"""A programme's outcome indicators: the default catalogue from seed/indicators.toml, and the
indicators programme managers add."""

from __future__ import annotations

from functools import cache

from sqlalchemy import func, select

from programme.domain.indicator_seed import IndicatorSpec, load_indicators
from programme.domain.indicator_units import UNITS
from programme.domain.outcomes import (
    DESCRIPTION_LENGTH,
    FREQUENCY_LABELS,
    GROUP_LABELS,
    NAME_LENGTH,
)
from programme.domain.slugs import slugify, unique_key
from programme.extensions import db
from programme.models import Indicator, Programme, User
from programme.seed_files import INDICATORS_FILE
from programme.services import audit
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.transaction import transactional

# Words the outcomes pages' addresses use after /outcomes/: never an indicator's key.
RESERVED_KEYS = frozenset({"new"})


@cache
def default_indicators() -> tuple[IndicatorSpec, ...]:
    return load_indicators(INDICATORS_FILE)


def install_indicators(programme: Programme) -> None:
    """Give a new programme the default indicators (in the seed file's order); the programme
    must have its id (flushed)."""
    for position, spec in enumerate(default_indicators()):
        db.session.add(
            Indicator(
                programme_id=programme.id,
                key=spec.key,
                name=spec.name,
                unit=spec.unit,
                lower_is_better=spec.lower_is_better,
                frequency=spec.frequency,
                group=spec.group,
                description=spec.description,
                source=spec.source,
                position=position,
            )
        )


def indicators_of(programme: Programme) -> list[Indicator]:
    """The programme's indicators: children and families first, then workforce, in order."""
    return list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.programme_id == programme.id)
            .order_by(Indicator.group, Indicator.position, Indicator.id)
        )
    )


def get_indicator(programme: Programme, key: str) -> Indicator:
    indicator = db.session.scalar(
        select(Indicator).where(Indicator.programme_id == programme.id, Indicator.key == key)
    )
    if indicator is None:
        raise NotFound(f"{programme.name} has no indicator {key!r}.", "indicator")
    return indicator


def indicator_values(indicator: Indicator) -> dict:
    """What the audit trail keeps of an indicator."""
    return {
        "key": indicator.key,
        "name": indicator.name,
        "unit": indicator.unit,
        "lower_is_better": indicator.lower_is_better,
        "frequency": indicator.frequency,
        "group": indicator.group,
        "description": indicator.description,
    }


def _checked(name: str, unit: str, frequency: str, group: str, description: str) -> str:
    name = (name or "").strip()
    if not name or not slugify(name):
        raise ServiceError("Enter the indicator's name.", "name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(f"The name must be {NAME_LENGTH} characters or fewer.", "name")
    if unit not in UNITS:
        raise ServiceError("Choose the unit the indicator is measured in.", "unit")
    if frequency not in FREQUENCY_LABELS:
        raise ServiceError("Choose how often a value is recorded.", "frequency")
    if group not in GROUP_LABELS:
        raise ServiceError("Choose the indicator's group.", "group")
    if len(description or "") > DESCRIPTION_LENGTH:
        raise ServiceError(
            f"The description must be {DESCRIPTION_LENGTH} characters or fewer.", "description"
        )
    return name


@transactional
def add_indicator(
    programme: Programme,
    actor: User | None,
    *,
    name: str,
    unit: str,
    lower_is_better: bool,
    frequency: str,
    group: str,
    description: str = "",
) -> Indicator:
    """Add an indicator to the programme's catalogue; its key is made from its name."""
    name = _checked(name, unit, frequency, group, description)
    held = db.session.execute(
        select(Indicator.key, Indicator.name).where(Indicator.programme_id == programme.id)
    ).all()
    if name.casefold() in {row.name.casefold() for row in held}:
        raise Conflict(f"There is already an indicator called “{name}”.", "name")
    key = unique_key(slugify(name), {row.key for row in held} | RESERVED_KEYS)
    position = db.session.scalar(
        select(func.coalesce(func.max(Indicator.position), -1)).where(
            Indicator.programme_id == programme.id
        )
    )
    indicator = Indicator(
        programme_id=programme.id,
        key=key,
        name=name,
        unit=unit,
        lower_is_better=bool(lower_is_better),
        frequency=frequency,
        group=group,
        description=(description or "").strip(),
        source=f"added by {actor.name}"[:300] if actor is not None else "",
        position=position + 1,
    )
    db.session.add(indicator)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "indicator",
        indicator.id,
        f"Added the indicator {name}",
        programme_id=programme.id,
        after=indicator_values(indicator),
    )
    return indicator
