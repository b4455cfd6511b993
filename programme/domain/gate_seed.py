"""The default go-live gate every new programme starts with, read from seed/gate.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from programme.domain.gate_criteria import ADDABLE_KINDS, Criterion, CriterionKind, check_threshold
from programme.domain.provenance import read_provenance
from programme.domain.recruitment import SeedError


def parse_gate(text: str, source: str = "gate.toml") -> tuple[Criterion, ...]:
    """The default criteria from seed/gate.toml."""
    criteria = []
    for entry in tomllib.loads(text).get("criteria", []):
        try:
            kind = CriterionKind(entry["kind"])
        except ValueError as error:
            raise SeedError(f"{source}: unknown criterion kind {entry['kind']!r}.") from error
        if kind in ADDABLE_KINDS and kind is not CriterionKind.TRAINED:
            raise SeedError(f"{source}: {kind.value} criteria are added in the app, per programme.")
        criterion = Criterion(
            entry["key"],
            entry["label"],
            kind,
            int(entry["threshold"]),
            courses=tuple(entry.get("courses", ())),
            removable=bool(entry.get("removable", False)),
            provenance=read_provenance(entry, f"{source}: criterion {entry['key']}"),
        )
        check_threshold(criterion.threshold, source)
        if kind is CriterionKind.TRAINED and not criterion.courses:
            raise SeedError(f"{source}: {criterion.key} names no courses to be trained in.")
        if kind is not CriterionKind.TRAINED and criterion.courses:
            raise SeedError(f"{source}: only a training criterion names courses.")
        criteria.append(criterion)
    if len({c.key for c in criteria}) != len(criteria):
        raise SeedError(f"{source}: two criteria share a key.")
    return tuple(criteria)


def load_gate(path: Path) -> tuple[Criterion, ...]:
    return parse_gate(path.read_text(encoding="utf-8"), path.name)
