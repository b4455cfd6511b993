"""The workbook's Summary sheet: each locality by wave with its go-live date, days to go, state,
every gate criterion's value, threshold and RAG word, whether it is ready, and its milestones;
a programme total row under them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from programme.domain.export_tables import Column, Emphasis, Table, rag_word
from programme.domain.go_live import phase_label
from programme.domain.readiness import CriterionResult
from programme.models import GateCriterion
from programme.services.readiness.board import Board, BoardRow

EMPTY = "This programme has no localities yet"
_LEADING = (
    Column("Wave", "integer", width=7),
    Column("Locality"),
    Column("Go-live date", "date"),
    Column("Days to go", "integer", width=9),
    Column("State"),  # fitted: "Approved — goes live on 11 Jan 2027" must show whole
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


def summary_sheet(view: Board, counts: Mapping[int, tuple[int, int, int]]) -> Table:
    """`view` is the readiness board; `counts` each locality's milestones (done, total,
    overdue) on the same day, from `programmes.milestone_counts`."""
    rows: list = [
        _row(row, view.criteria, counts.get(row.locality.id, (0, 0, 0)), view.as_of)
        for row in view.rows
    ]
    if rows:
        rows.append(_total(view, counts))
    return Table(summary_columns(view.criteria), rows, EMPTY)


def _results(row: BoardRow, criteria: Sequence[GateCriterion]) -> list[CriterionResult | None]:
    by_key = {result.key: result for result in row.readiness.results}
    return [by_key.get(criterion.key) for criterion in criteria]


def _row(
    row: BoardRow, criteria: Sequence[GateCriterion], counts: tuple[int, int, int], as_of: date
) -> list:
    locality = row.locality
    cells: list = [
        locality.wave,
        locality.name,
        locality.go_live,
        row.days_to_go_live,
        # A decision approves go-live on the go-live date: "Approved — goes live on …" until then.
        phase_label(locality.state, locality.go_live, as_of),
    ]
    for result in _results(row, criteria):
        if result is None:
            cells += [None, None, None]
        else:
            cells += [result.actual / 100, result.threshold / 100, rag_word(result.rag)]
    return [*cells, row.readiness.ready, *counts]


def _total(view: Board, counts: Mapping[int, tuple[int, int, int]]) -> Emphasis:
    """The programme: each criterion pooled across localities (all counted over all counting),
    how many localities are ready, and the milestones added up."""
    rows = view.rows
    results_by_row = [_results(row, view.criteria) for row in rows]
    cells: list = [None, f"Programme ({len(rows)} localities)", None, None, None]
    for index in range(len(view.criteria)):
        results = [found[index] for found in results_by_row if found[index]]
        counted = sum(r.share.denominator for r in results)
        share = sum(r.share.numerator for r in results) / counted if counted else None
        cells += [share, None, None]
    ready = sum(row.readiness.ready for row in rows)
    totals = [sum(count[i] for count in counts.values()) for i in range(3)]
    kinds: list = [None] * len(cells) + ["text"]
    return Emphasis([*cells, f"{ready} of {len(rows)}", *totals], kinds)
