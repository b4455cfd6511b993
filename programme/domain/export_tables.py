"""A table to export: its columns (each with the kind of value it holds) and its rows, as plain
values. The same table is written as .xlsx (`xlsx_export`) or .csv (`csv_export`), so a page's
two downloads cannot disagree, and the workbook's sheets are tables too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

# What a column holds, which decides how each format writes it:
# text: words (wrap: long words, such as notes, wrapped in a wider column); integer, number;
# percent: a share as a fraction (0.833 is 83.3%); money: pounds; date, datetime: real dates
# (aware datetimes are shown in the programme's zone); yes_no: a bool as "Yes"/"No";
# rag: the words "Red", "Amber", "Green" (the sheet colours them, the word stays).
ColumnKind = Literal[
    "text", "wrap", "integer", "number", "percent", "money", "date", "datetime", "yes_no", "rag"
]
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind = "text"
    # Width in characters; None fits the header and the first rows.
    width: float | None = None


@dataclass(frozen=True)
class Emphasis:
    """A row that sums up the rows above it (a total, a team's % row): bold, ruled above.
    `kinds` may override a column's kind in this row alone (a team's % under a column of
    words): one entry per column, None keeping the column's own."""

    values: Sequence[object]
    kinds: Sequence[ColumnKind | None] = ()


Row = Sequence[object] | Emphasis


@dataclass
class Table:
    columns: Sequence[Column]
    rows: Iterable[Row]
    # Said under the header row when there are no rows ("No localities yet").
    empty_message: str | None = None

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


@dataclass(frozen=True)
class Sheet:
    """A workbook's sheet: its tab's title and its table."""

    title: str
    table: Table


@dataclass(frozen=True)
class WorkbookInfo:
    title: str  # the document's title, also the footer's left part
    creator: str
    created: datetime  # from the clock, in UTC
    footer_date: str  # "2 December 2026": the day the figures are as of, in words
    zone: tzinfo  # aware datetimes are written as local times in this zone


def row_values(row: Row) -> Sequence[object]:
    return row.values if isinstance(row, Emphasis) else row


def row_kinds(row: Row, kinds: Sequence[ColumnKind]) -> Sequence[ColumnKind]:
    """The kind of each cell of a row: its column's, unless an Emphasis row overrides it."""
    if not isinstance(row, Emphasis) or not row.kinds:
        return kinds
    return [
        override or kind
        for kind, override in zip(kinds, list(row.kinds) + [None] * len(kinds), strict=False)
    ]


def rag_word(rag: str | None) -> str | None:
    """The word a RAG cell holds, so the colour is never the only signal."""
    return None if rag is None else RAG_WORDS.get(rag, rag)
