"""Budget against actual against forecast, per financial year and category: the finance page's
figures, worked out from plain facts (budget lines with what has been spent against each, the
training sessions' costs, the localities' go-live years) and the current financial year.

Amounts are whole pence; years are financial years (the year they start in).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from programme.domain.business_case import unfunded_after, year_forecast
from programme.domain.finance_terms import FUNDING_SOURCES, SPEND_CATEGORIES
from programme.domain.financial_years import year_end, year_label
from programme.domain.formatting import money, month_and_year

# How many years after the last go-live the business case should be funded for.
YEARS_AFTER_GO_LIVE = 2


@dataclass(frozen=True)
class LineFigures:
    """One budget line as the summary needs it, with what has been spent against it."""

    year: int
    category: str
    funding_source: str
    budget: int
    forecast: int | None  # None: the budget is the forecast
    spent: int


@dataclass(frozen=True)
class Figures:
    budget: int
    actual: int
    forecast: int

    @property
    def variance(self) -> int:
        """The forecast against the budget: positive is an overspend."""
        return self.forecast - self.budget

    @property
    def variance_text(self) -> str:
        """ "£5,000 over", "£5,000 under" or "On budget"."""
        if self.variance == 0:
            return "On budget"
        return f"{money(abs(self.variance))} {'over' if self.variance > 0 else 'under'}"

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.budget + other.budget,
            self.actual + other.actual,
            self.forecast + other.forecast,
        )


NOTHING = Figures(0, 0, 0)


@dataclass(frozen=True)
class CategoryYear:
    category: str
    label: str
    figures: Figures
    from_sessions: int  # of the actual, what training sessions cost (Training only)


@dataclass(frozen=True)
class FinanceYear:
    year: int
    label: str
    categories: tuple[CategoryYear, ...]
    total: Figures
    funding: tuple[tuple[str, int], ...]  # (funding source, budget), in FUNDING_SOURCES order
    funded: bool
    when: str  # "past", "current" or "future"

    @property
    def has_figures(self) -> bool:
        """Whether anything is budgeted, spent or forecast in the year (else its table of
        noughts is left out)."""
        return self.total != NOTHING


@dataclass(frozen=True)
class FinanceSummary:
    years: tuple[FinanceYear, ...]
    total: Figures
    sources: tuple[str, ...]  # every funding source named, for the funding table's columns
    unfunded_from: int | None  # the first year of the horizon after the last funded one
    training_from_sessions: int

    @property
    def funded_until(self) -> date | None:
        """The end of the last funded year before the unfunded ones ("after March 2027")."""
        return None if self.unfunded_from is None else year_end(self.unfunded_from - 1)

    @property
    def unfunded_warning(self) -> str | None:
        """ "No funding recorded after March 2027", when later years of the horizon have none."""
        end = self.funded_until
        return None if end is None else f"No funding recorded after {month_and_year(end)}"

    @property
    def unfunded_years(self) -> tuple[FinanceYear, ...]:
        return tuple(year for year in self.years if not year.funded)

    def funding_in(self, year: FinanceYear) -> list[int | None]:
        """The year's budget from each of `sources`, None where a source gives nothing."""
        given = dict(year.funding)
        return [given.get(source) for source in self.sources]


def horizon(line_years: Iterable[int], go_live_years: Iterable[int]) -> list[int]:
    """The years the business case should cover: from the first budget line to the last year of
    any line or of any locality's go-live plus YEARS_AFTER_GO_LIVE. Empty with no lines."""
    lines = list(line_years)
    if not lines:
        return []
    last = max([*lines, *(year + YEARS_AFTER_GO_LIVE for year in go_live_years)])
    return list(range(min(lines), last + 1))


def _source_order(sources: Iterable[str]) -> tuple[str, ...]:
    known = {source: position for position, source in enumerate(FUNDING_SOURCES)}
    return tuple(sorted(set(sources), key=lambda s: (known.get(s, len(known)), s.casefold())))


def _when(year: int, current_year: int) -> str:
    if year < current_year:
        return "past"
    return "current" if year == current_year else "future"


def summarise(
    lines: Sequence[LineFigures],
    training_by_year: Mapping[int, int],
    go_live_years: Iterable[int],
    current_year: int,
) -> FinanceSummary:
    """Each year of the horizon (and any other year with training sessions' costs) with each
    category's budget, actual and forecast; a year with no budget line is unfunded.

    Training's actual is what its sessions cost plus any spend recorded against training lines
    (costs no session holds, such as venue hire)."""
    by_cell: dict[tuple[int, str], list[LineFigures]] = defaultdict(list)
    funding: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        by_cell[line.year, line.category].append(line)
        funding[line.year][line.funding_source] += line.budget
    funded = {line.year for line in lines}
    span = horizon(funded, go_live_years)
    years = sorted(set(span) | {year for year, cost in training_by_year.items() if cost})
    sources = _source_order(line.funding_source for line in lines)
    shown = tuple(
        _year(
            year,
            by_cell,
            funding[year],
            training_by_year.get(year, 0),
            year in funded,
            current_year,
        )
        for year in years
    )
    total = sum((year.total for year in shown), NOTHING)
    return FinanceSummary(
        shown,
        total,
        sources,
        unfunded_after(funded, span),
        sum(training_by_year.get(year, 0) for year in years),
    )


def _year(
    year: int,
    by_cell: Mapping[tuple[int, str], list[LineFigures]],
    funding: Mapping[str, int],
    sessions: int,
    funded: bool,
    current_year: int,
) -> FinanceYear:
    categories = []
    for category, label in SPEND_CATEGORIES.items():
        cell = by_cell.get((year, category), [])
        from_sessions = sessions if category == "training" else 0
        budget = sum(line.budget for line in cell)
        actual = sum(line.spent for line in cell) + from_sessions
        planned = sum(line.budget if line.forecast is None else line.forecast for line in cell)
        forecast = year_forecast(year, current_year, budget, actual, planned)
        categories.append(
            CategoryYear(category, label, Figures(budget, actual, forecast), from_sessions)
        )
    return FinanceYear(
        year,
        year_label(year),
        tuple(categories),
        sum((c.figures for c in categories), NOTHING),
        tuple((source, funding[source]) for source in _source_order(funding)),
        funded,
        _when(year, current_year),
    )
