"""The outcome indicators every new programme starts with, read from seed/indicators.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from programme.domain.indicator_units import UNITS
from programme.domain.outcomes import FREQUENCY_LABELS, GROUP_LABELS
from programme.domain.provenance import Provenance, SeedError, read_provenance
from programme.domain.slugs import is_valid_slug


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    lower_is_better: bool
    frequency: str
    group: str
    description: str
    provenance: Provenance

    @property
    def source(self) -> str:
        """The source as the indicator row keeps it (one column): the document, or the
        assumption with its reason."""
        if self.provenance.is_assumption and self.provenance.reason:
            return f"assumption: {self.provenance.reason}"[:300]
        return self.provenance.source[:300]


def parse_indicators(text: str, source: str = "indicators.toml") -> tuple[IndicatorSpec, ...]:
    specs = []
    for entry in tomllib.loads(text).get("indicators", []):
        where = f"{source}: indicator {entry.get('key', '?')}"
        spec = IndicatorSpec(
            key=str(entry.get("key", "")),
            name=str(entry.get("name", "")).strip(),
            unit=str(entry.get("unit", "")),
            lower_is_better=entry.get("lower_is_better", True),
            frequency=str(entry.get("frequency", "monthly")),
            group=str(entry.get("group", "outcomes")),
            description=str(entry.get("description", "")).strip(),
            provenance=read_provenance(entry, where),
        )
        if not is_valid_slug(spec.key):
            raise SeedError(f"{where}: the key must be lower-case words joined by hyphens.")
        if not spec.name or len(spec.name) > 200:
            raise SeedError(f"{where}: needs a name of 200 characters or fewer.")
        if spec.unit not in UNITS:
            raise SeedError(f"{where}: unknown unit {spec.unit!r}.")
        if spec.frequency not in FREQUENCY_LABELS:
            raise SeedError(f"{where}: frequency must be monthly or quarterly.")
        if spec.group not in GROUP_LABELS:
            raise SeedError(f"{where}: group must be outcomes or workforce.")
        if not isinstance(spec.lower_is_better, bool):
            raise SeedError(f"{where}: lower_is_better must be true or false.")
        if len(spec.description) > 500:
            raise SeedError(f"{where}: the description must be 500 characters or fewer.")
        specs.append(spec)
    for field in ("key", "name"):
        if len({getattr(spec, field) for spec in specs}) != len(specs):
            raise SeedError(f"{source}: two indicators share a {field}.")
    return tuple(specs)


def load_indicators(path: Path) -> tuple[IndicatorSpec, ...]:
    return parse_indicators(path.read_text(encoding="utf-8"), path.name)
