"""Where a default comes from: every entry in `seed/` names its source document and date, or says
it is an assumption and why, so a council can tell the defaults it should check from the ones
taken from another council's papers.

Plain Python: the seed loaders call `read_provenance`, which refuses an entry with neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ASSUMPTION = "assumption"
SOURCE_FIELDS = ("source", "reason")
COST_SOURCE_FIELDS = ("cost_source", "cost_reason")
MODULES_SOURCE_FIELDS = ("modules_source", "modules_reason")


class SeedError(ValueError):
    """A seed file that does not describe what it should."""


@dataclass(frozen=True)
class Provenance:
    """A document and its date ("Lancashire scrutiny update, March 2021"), or an assumption
    with the one-line reason for it."""

    source: str
    reason: str | None = None

    @property
    def is_assumption(self) -> bool:
        return self.source == ASSUMPTION


def read_provenance(
    entry: Mapping[str, Any], where: str, fields: tuple[str, str] = SOURCE_FIELDS
) -> Provenance:
    """The entry's source (and reason), or SeedError naming `where` when it has neither, or
    when an assumption gives no reason."""
    source_field, reason_field = fields
    source = entry.get(source_field)
    reason = entry.get(reason_field)
    if not isinstance(source, str) or not source.strip():
        raise SeedError(
            f"{where}: needs a `{source_field}` (the document and its date) or "
            f'`{source_field} = "{ASSUMPTION}"` with a `{reason_field}`.'
        )
    if reason is not None and not isinstance(reason, str):
        raise SeedError(f"{where}: `{reason_field}` must be text.")
    source, reason = source.strip(), (reason or "").strip() or None
    if source.lower() == ASSUMPTION:
        if reason is None:
            raise SeedError(
                f"{where}: an assumption needs a `{reason_field}`: why, and that the user "
                "should change it."
            )
        source = ASSUMPTION
    return Provenance(source, reason)


def set_by(programme_name: str) -> str:
    """The source of a value a programme set by hand, in place of the seed's."""
    return f"set by {programme_name}"
