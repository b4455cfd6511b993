"""The units outcome indicators are measured in, and the values each allows."""

from __future__ import annotations

# Each unit with how pages name it and the range a value must fall in (None: no upper bound).
UNITS: dict[str, tuple[str, float, float | None]] = {
    "per_10000": ("per 10,000 children", 0.0, None),
    "count": ("number", 0.0, None),
    "percent": ("%", 0.0, 100.0),
    "average": ("average", 0.0, None),
}


def unit_label(unit: str) -> str:
    return UNITS[unit][0] if unit in UNITS else unit


def value_problem(unit: str, value: float) -> str | None:
    """Why `value` cannot be a value in `unit`, or None when it can: a percentage over 100, a
    negative count, a count with a fraction."""
    _label, lowest, highest = UNITS[unit]
    if value < lowest:
        return "cannot be negative"
    if highest is not None and value > highest:
        return "cannot be more than 100%" if unit == "percent" else "is too large"
    if unit == "count" and value != int(value):
        return "must be a whole number"
    return None
