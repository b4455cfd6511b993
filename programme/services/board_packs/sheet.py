"""The "Changes since the last pack" sheet: one row per change, per locality, from the changes a
pack keeps (so the sheet and the pack's page cannot disagree)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from programme.domain.export_tables import Column, Sheet, Table
from programme.domain.formatting import long_date

TITLE = "Changes since the last pack"
COLUMNS = (
    Column("Locality"),
    Column("What changed"),
    Column("Item", "wrap"),
    Column("Before", "wrap"),
    Column("After", "wrap"),
)


def summary_line(changes: Mapping[str, Any]) -> str:
    """What the changes compare, in one sentence, or why there is nothing to list."""
    if changes["first"]:
        return "This is the first board pack: there is no earlier pack to compare with."
    since = long_date(date.fromisoformat(changes["previous_as_of"]))
    if not changes["localities"]:
        return f"This programme has no localities, now or at the last pack, issued on {since}."
    if not any(locality["changes"] for locality in changes["localities"]):
        return f"Nothing changed since the last pack, issued on {since}."
    return f"What changed since the last pack, issued on {since}."


def changes_rows(changes: Mapping[str, Any]) -> list[list[str]]:
    return [
        [locality["name"], change["what"], change["item"], change["before"], change["after"]]
        for locality in changes.get("localities", [])
        for change in locality["changes"]
    ]


def changes_sheet(changes: Mapping[str, Any]) -> Sheet:
    rows = changes_rows(changes)
    message = None if rows else summary_line(changes)
    if changes["first"] and not changes.get("locality_count"):
        message = (
            "This is the first board pack, and this programme has no localities yet: "
            "there is nothing to compare."
        )
    return Sheet(TITLE, Table(COLUMNS, rows, message))
