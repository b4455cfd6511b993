"""Line charts drawn on the server as SVG: the geometry only (where each point, line and tick
goes), for `templates/components/charts.html` to draw. A chart is always shown beside the table
of its figures, and says in words what it shows, so it is never the only way to read them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 72  # room for the value labels
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 48  # room for the category labels
# Lines are told apart by their dash and marker as well as their colour (WCAG 1.4.1).
STYLES = ("solid", "dashed", "dotted", "dash-dot")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per category; None leaves a gap


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    category: str


@dataclass(frozen=True)
class Line:
    label: str
    style: str  # one of STYLES: the CSS class that draws it
    segments: tuple[tuple[Point, ...], ...]  # runs of points without a gap

    @property
    def points(self) -> tuple[Point, ...]:
        return tuple(point for segment in self.segments for point in segment)


@dataclass(frozen=True)
class Tick:
    position: float  # y for a value tick, x for a category tick
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    lines: tuple[Line, ...]
    value_ticks: tuple[Tick, ...]
    category_ticks: tuple[Tick, ...]
    # A horizontal reference line (a target), with its label; None when there is none.
    reference: Tick | None = None


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
    reference: float | None = None,
    reference_label: str = "",
    from_zero: bool = True,
) -> LineChart:
    """Lay out `series` over `categories` (the x axis, evenly spaced, labelled sparsely when
    there are many). Values are scaled to nice ticks; `from_zero` starts the scale at 0."""
    values = [v for s in series for v in s.values if v is not None]
    if reference is not None:
        values.append(reference)
    low, high, step = _nice_scale(values, from_zero)
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def x_of(index: int) -> float:
        if len(categories) <= 1:
            return (left + right) / 2
        return round(left + (right - left) * index / (len(categories) - 1), 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    lines = tuple(
        Line(one.label, STYLES[number % len(STYLES)], _segments(one, categories, x_of, y_of))
        for number, one in enumerate(series)
    )
    ticks = []
    value = low
    while value <= high + step / 1000:
        ticks.append(Tick(y_of(value), value_label(value)))
        value += step
    every = max(1, math.ceil(len(categories) / 8))  # at most about eight labels along the axis
    category_ticks = tuple(
        Tick(x_of(index), label)
        for index, label in enumerate(categories)
        if index % every == 0 or index == len(categories) - 1
    )
    marked = None if reference is None else Tick(y_of(reference), reference_label)
    return LineChart(
        WIDTH, HEIGHT, left, right, top, bottom, lines, tuple(ticks), category_ticks, marked
    )


def _segments(one: Series, categories, x_of, y_of) -> tuple[tuple[Point, ...], ...]:
    segments: list[tuple[Point, ...]] = []
    run: list[Point] = []
    for index, value in enumerate(one.values):
        if value is None:
            if run:
                segments.append(tuple(run))
            run = []
            continue
        run.append(Point(x_of(index), y_of(value), value, categories[index]))
    if run:
        segments.append(tuple(run))
    return tuple(segments)


def _nice_scale(values: Sequence[float], from_zero: bool) -> tuple[float, float, float]:
    """(low, high, step): a scale covering `values` in four to six steps of 1, 2 or 5 × 10ⁿ."""
    if not values:
        return 0.0, 1.0, 0.25
    low = min(0.0, min(values)) if from_zero else min(values)
    high = max(values)
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step
