"""The one table `bench/run` prints: each operation, its median (or p50/p95), the floor measured
in the same run, their ratio, the target and whether it is met."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    operation: str
    value: str  # the median (seconds), or "p50 / p95 ms", or a count
    floor: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: no target

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("met" if self.met else "MISSED")


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.operation}: {row.value} | {row.floor} | {row.ratio} | {row.verdict}")
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}")


HEADERS = ("operation", "median (p50 / p95 for pages)", "floor", "ratio", "target", "met")


def _cells(row: Row) -> tuple[str, ...]:
    return (row.operation, row.value, row.floor, row.ratio, row.target, row.verdict)


def plain_text(table: Table) -> str:
    lines = [HEADERS, *(_cells(row) for row in table.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    text = []
    for index, line in enumerate(lines):
        text.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            text.append("  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in text)


def markdown(table: Table, machine: list[str]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|")

    lines = [*(f"- {fact}" for fact in machine), ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "---|" * len(HEADERS))
    lines += ["| " + " | ".join(cell(c) for c in _cells(row)) + " |" for row in table.rows]
    if table.notes:
        lines += ["", *(f"- {note}" for note in table.notes)]
    return "\n".join(lines) + "\n"


# --- Measuring ----------------------------------------------------------------------------------


def timed(call: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def median_of(
    call: Callable[[], object], repeat: int = 3, before: Callable[[], object] | None = None
):
    """The median seconds of `repeat` runs (`before` runs untimed ahead of each), and the last
    run's result."""
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        result, seconds = timed(call)
        times.append(seconds)
    return statistics.median(times), result


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0.5 for p50, 0.95 for p95)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x" if floor > 0 else ""
