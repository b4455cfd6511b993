"""The workbook's Summary sheet: each locality by wave with its go-live date, days to go, state,
every gate criterion's value, threshold and RAG word, whether it is ready, and its milestones;
a programme total row under them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from programme.domain.export_tables import Column, Emphasis, Table, rag_word
from programme.domain.readiness import CriterionResult
from programme.domain.timeline import is_overdue
from programme.models import GateCriterion, Milestone
from programme.services.readiness.board import Board, BoardRow

EMPTY = "This programme has no localities yet"
_LEADING = (
    Column("Wave", "integer", width=7),
    Column("Locality"),
    Column("Go-live date", "date"),
    Column("Days to go", "integer", width=9),
    Column("State", width=10),
)
_TRAILING = (
    Column("Ready", "yes_no", width=8),
    Column("Milestones done", "integer", width=11),
    Column("Milestones total", "integer", width=11),
    Column("Overdue milestones", "integer", width=11),
)


def summary_columns(criteria: Sequence[GateCriterion]) -> list[Column]:
    per_criterion = [
        column
        for criterion in criteria
        for column in (
            Column(criterion.label, "percent", width=12),
            Column(f"{criterion.label}: threshold", "percent", width=12),
            Column(f"{criterion.label}: RAG", "rag", width=9),
        )
    ]
    return [*_LEADING, *per_criterion, *_TRAILING]


def summary_sheet(view: Board, milestones: Sequence[Milestone], as_of: date) -> Table:
    """`view` is the readiness board on `as_of`; `milestones` every milestone of the programme."""
    counts = _milestone_counts(milestones, as_of)
    rows: list = [
        _row(row, view.criteria, counts.get(row.locality.id, (0, 0, 0))) for row in view.rows
    ]
    if rows:
        rows.append(_total(view, counts))
    return Table(summary_columns(view.criteria), rows, EMPTY)


def _milestone_counts(
    milestones: Sequence[Milestone], as_of: date
) -> dict[int, tuple[int, int, int]]:
    """(done, total, overdue) of each locality's own milestones."""
    counts: dict[int, list[int]] = {}
    for milestone in milestones:
        if milestone.locality_id is None:
            continue
        done, total, overdue = counts.setdefault(milestone.locality_id, [0, 0, 0])
        counts[milestone.locality_id] = [
            done + milestone.is_done,
            total + 1,
            overdue + is_overdue(milestone.due, milestone.status, as_of),
        ]
    return {key: (value[0], value[1], value[2]) for key, value in counts.items()}


def _results(row: BoardRow, criteria: Sequence[GateCriterion]) -> list[CriterionResult | None]:
    by_key = {result.key: result for result in row.readiness.results}
    return [by_key.get(criterion.key) for criterion in criteria]


def _row(row: BoardRow, criteria: Sequence[GateCriterion], counts: tuple[int, int, int]) -> list:
    locality = row.locality
    cells: list = [
        locality.wave,
        locality.name,
        locality.go_live,
        row.days_to_go_live,
        locality.state.capitalize(),
    ]
    for result in _results(row, criteria):
        if result is None:
            cells += [None, None, None]
        else:
            cells += [result.actual / 100, result.threshold / 100, rag_word(result.rag)]
    return [*cells, row.readiness.ready, *counts]


def _total(view: Board, counts: dict[int, tuple[int, int, int]]) -> Emphasis:
    """The programme: each criterion pooled across localities (all counted over all counting),
    how many localities are ready, and the milestones added up."""
    rows = view.rows
    cells: list = [None, f"Programme ({len(rows)} localities)", None, None, None]
    for index in range(len(view.criteria)):
        results = [r for r in (_results(row, view.criteria)[index] for row in rows) if r]
        counted = sum(r.share.denominator for r in results)
        share = sum(r.share.numerator for r in results) / counted if counted else None
        cells += [share, None, None]
    ready = sum(row.readiness.ready for row in rows)
    totals = [sum(count[i] for count in counts.values()) for i in range(3)]
    kinds: list = [None] * len(cells) + ["text"]
    return Emphasis([*cells, f"{ready} of {len(rows)}", *totals], kinds)
