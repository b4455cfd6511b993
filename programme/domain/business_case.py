"""The business case's arithmetic, as plain rules: what a year costs, running totals, and the
year the model pays back. Amounts are whole pence; years are financial years (the year they
start in, see `financial_years.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class YearMoney:
    """One financial year of a budget: what was budgeted, what has been spent, and what the year
    is expected to cost in the end."""

    year: int
    budget: int
    actual: int
    forecast: int


def year_forecast(
    year: int, current_year: int, budget: int, actual: int, forecast_override: int | None
) -> int:
    """What a year is expected to cost: a year that has ended cost what was spent; the current
    year its forecast (the budget unless one was set), or what has been spent if that is more
    already; a later year its forecast."""
    planned = budget if forecast_override is None else forecast_override
    if year < current_year:
        return actual
    if year == current_year:
        return max(planned, actual)
    return planned


def cumulative(by_year: Mapping[int, int], years: Iterable[int]) -> list[tuple[int, int]]:
    """The running total over `years` in order (a year missing from `by_year` adds nothing)."""
    total = 0
    running = []
    for year in years:
        total += by_year.get(year, 0)
        running.append((year, total))
    return running


def payback_year(costs: Mapping[int, int], avoided: Mapping[int, int]) -> int | None:
    """The first year by whose end the costs avoided so far reach the costs so far; None when
    that never happens in the years known (or nothing has been spent or avoided)."""
    years = sorted(set(costs) | set(avoided))
    spent = saved = 0
    for year in years:
        spent += costs.get(year, 0)
        saved += avoided.get(year, 0)
        if saved > 0 and saved >= spent:
            return year
    return None


def unfunded_after(funded_years: Iterable[int], horizon: Iterable[int]) -> int | None:
    """The first year of `horizon` after the last funded one: "no funding recorded after March
    2027" names the year before it. None when every year of the horizon is funded up to its end."""
    funded = set(funded_years)
    if not funded:
        return None
    later = [year for year in horizon if year > max(funded)]
    return min(later) if later else None
