"""Timeline templates: a launch plan such as Lancashire's 8 months, stored as TOML under
``seed/timelines``, each item an offset before go-live with where it comes from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from programme.domain.go_live import STANDS_FOR
from programme.domain.provenance import SOURCE_FIELDS, Provenance, SeedError, read_provenance
from programme.domain.timeline import OFFSET_UNITS, Offset


@dataclass(frozen=True)
class TemplateItem:
    """One milestone in a timeline template."""

    workstream: str
    title: str
    offset: Offset
    description: str = ""
    gate_critical: bool = False
    provenance: Provenance | None = None  # where the milestone and its offset come from
    # What a milestone made from it stands for: "go_live_decision" (the board's decision
    # completes it), or None.
    stands_for: str | None = None


@dataclass(frozen=True)
class TimelineTemplate:
    """A named, reusable launch timeline (e.g. Lancashire's 8-month plan)."""

    key: str
    name: str
    description: str
    items: tuple[TemplateItem, ...]

    def workstreams(self) -> list[str]:
        """Distinct workstream names, in the order they first appear in ``items``."""
        return list(dict.fromkeys(item.workstream for item in self.items))


class TemplateError(SeedError):
    """A timeline template is malformed; the message names the item and field at fault."""


_TOP_LEVEL_FIELDS = {"key", "name", "description", "items"}
_ITEM_FIELDS = {
    "workstream",
    "title",
    "description",
    "offset_amount",
    "offset_unit",
    "gate_critical",
    "stands_for",
    *SOURCE_FIELDS,
}


def _required_text(table: dict[str, Any], field: str, where: str) -> str:
    value = table.get(field)
    if value is None:
        raise TemplateError(f"{where}: '{field}' is missing")
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: '{field}' must be non-empty text")
    return value.strip()


def _optional_text(table: dict[str, Any], field: str, where: str) -> str:
    value = table.get(field, "")
    if not isinstance(value, str):
        raise TemplateError(f"{where}: '{field}' must be text")
    return value.strip()


def _reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise TemplateError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}")


def _parse_offset(table: dict[str, Any], where: str) -> Offset:
    amount = table.get("offset_amount")
    if amount is None:
        raise TemplateError(f"{where}: 'offset_amount' is missing")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise TemplateError(f"{where}: 'offset_amount' must be a whole number of 0 or more")
    unit = table.get("offset_unit")
    if unit is None:
        raise TemplateError(f"{where}: 'offset_unit' is missing")
    if unit not in OFFSET_UNITS:
        raise TemplateError(f"{where}: 'offset_unit' must be one of {', '.join(OFFSET_UNITS)}")
    return Offset(amount, unit)


def _parse_item(table: Any, number: int) -> TemplateItem:
    where = f"item {number}"
    if not isinstance(table, dict):
        raise TemplateError(f"{where}: must be a table of fields")
    _reject_unknown(table, _ITEM_FIELDS, where)
    title = _required_text(table, "title", where)
    where = f"item {number} ({title!r})"
    gate_critical = table.get("gate_critical", False)
    if not isinstance(gate_critical, bool):
        raise TemplateError(f"{where}: 'gate_critical' must be true or false")
    return TemplateItem(
        workstream=_required_text(table, "workstream", where),
        title=title,
        offset=_parse_offset(table, where),
        description=_optional_text(table, "description", where),
        gate_critical=gate_critical,
        provenance=_item_provenance(table, where),
        stands_for=_stands_for(table, where),
    )


def _stands_for(table: dict[str, Any], where: str) -> str | None:
    value = table.get("stands_for")
    if value is None:
        return None
    if value not in STANDS_FOR:
        raise TemplateError(f"{where}: 'stands_for' must be one of {', '.join(STANDS_FOR)}")
    return value


def _item_provenance(table: dict[str, Any], where: str) -> Provenance:
    try:
        return read_provenance(table, where)
    except SeedError as exc:
        raise TemplateError(str(exc)) from None


def parse_template(text: str) -> TimelineTemplate:
    """Parse and validate a TOML timeline template.

    Raises ``TemplateError`` naming the item number (1-based) and field when anything is
    missing, mistyped, unknown, or when two items share a workstream and title.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"not valid TOML: {exc}") from exc
    _reject_unknown(data, _TOP_LEVEL_FIELDS, "template")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise TemplateError("template: needs at least one [[items]] entry")
    items = tuple(_parse_item(raw, number) for number, raw in enumerate(raw_items, start=1))
    seen: dict[tuple[str, str], int] = {}
    for number, item in enumerate(items, start=1):
        first = seen.setdefault((item.workstream, item.title), number)
        if first != number:
            raise TemplateError(f"item {number} ({item.title!r}): duplicates item {first}")
    return TimelineTemplate(
        key=_required_text(data, "key", "template"),
        name=_required_text(data, "name", "template"),
        description=_optional_text(data, "description", "template"),
        items=items,
    )


def load_template(path: Path) -> TimelineTemplate:
    """Read and parse the TOML template at ``path``; errors are prefixed with the path."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return parse_template(text)
    except TemplateError as exc:
        raise TemplateError(f"{path}: {exc}") from exc
