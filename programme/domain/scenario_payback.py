"""A business case's cost-avoidance scenarios set against what the programme costs: per financial
year, the cost and each scenario's avoided cost, their running totals, the year each scenario
pays back, and the chart of the running totals with its summary in words.

Amounts are whole pence; years are financial years (see `financial_years.py`). The arithmetic
itself (running totals, the payback rule) is `business_case.py`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from programme.domain.business_case import cumulative, payback_year
from programme.domain.charts import LineChart, Series, line_chart
from programme.domain.financial_years import year_label
from programme.domain.formatting import listed, money, number

# A business case is read over five years at least (Bury's and Somerset's ran three to five):
# a scenario's later years are offered even before anything is budgeted for them.
MINIMUM_YEARS = 5
COST_LINE = "Cumulative cost"


def horizon(
    cost_years: Iterable[int],
    avoided_years: Iterable[int],
    current_year: int,
    minimum: int = MINIMUM_YEARS,
) -> list[int]:
    """The years the business case is read over: from its first year of cost or avoidance (this
    year when there is neither) to its last, and at least `minimum` years long."""
    known = set(cost_years) | set(avoided_years)
    first = min(known, default=current_year)
    last = max(max(known, default=first), first + minimum - 1)
    return list(range(first, last + 1))


@dataclass(frozen=True)
class ScenarioInput:
    """A scenario as the business case holds it: its avoided cost by financial year."""

    key: int
    name: str
    avoided: Mapping[int, int]


@dataclass(frozen=True)
class ScenarioCurve:
    key: int
    name: str
    avoided: tuple[int, ...]  # one per year of the horizon
    cumulative: tuple[int, ...]
    payback: int | None  # the year it pays back, if it does within the horizon
    last_year: int

    @property
    def payback_text(self) -> str:
        """ "Pays back in 2028/29" or "Does not pay back by 2030/31"."""
        if self.payback is None:
            return f"Does not pay back by {year_label(self.last_year)}"
        return f"Pays back in {year_label(self.payback)}"


@dataclass(frozen=True)
class ScenarioCell:
    avoided: int
    cumulative: int


@dataclass(frozen=True)
class YearRow:
    """One row of the business case's table."""

    year: int
    label: str
    spent: bool  # True: the year has ended and its cost is what was spent; else a forecast
    cost: int
    cumulative_cost: int
    scenarios: tuple[ScenarioCell, ...]  # in the order of `BusinessCaseFigures.scenarios`


@dataclass(frozen=True)
class BusinessCaseFigures:
    years: tuple[int, ...]
    current_year: int
    costs: tuple[int, ...]  # one per year: spent for an ended year, else the forecast
    cumulative_costs: tuple[int, ...]
    scenarios: tuple[ScenarioCurve, ...]

    @property
    def rows(self) -> list[YearRow]:
        return [
            YearRow(
                year,
                year_label(year),
                year < self.current_year,
                self.costs[index],
                self.cumulative_costs[index],
                tuple(
                    ScenarioCell(curve.avoided[index], curve.cumulative[index])
                    for curve in self.scenarios
                ),
            )
            for index, year in enumerate(self.years)
        ]

    @property
    def total_cost(self) -> int:
        return self.cumulative_costs[-1] if self.cumulative_costs else 0

    @property
    def summary(self) -> str:
        """The chart's text alternative: where the costs end up and each scenario's payback."""
        if not self.years:
            return "Nothing is recorded yet."
        last = year_label(self.years[-1])
        span = f"from {year_label(self.years[0])} to {last}"
        sentences = [f"The programme's cumulative cost {span} reaches {money(self.total_cost)}."]
        if not self.scenarios:
            sentences.append("No cost-avoidance scenario is recorded.")
        for curve in self.scenarios:
            text = curve.payback_text
            sentences.append(
                f"The {curve.name} scenario avoids {money(curve.cumulative[-1])} by {last} and "
                f"{text[:1].lower()}{text[1:]}."
            )
        return " ".join(sentences)

    @property
    def paybacks(self) -> str:
        """Each scenario's payback in one line: "Low pays back in 2028/29 and High does not..."."""
        return listed(
            f"{curve.name} {curve.payback_text[:1].lower()}{curve.payback_text[1:]}"
            for curve in self.scenarios
        )


def business_case_figures(
    costs: Mapping[int, int],
    scenarios: Sequence[ScenarioInput],
    current_year: int,
    minimum_years: int = MINIMUM_YEARS,
) -> BusinessCaseFigures:
    """The business case over its horizon (see `horizon`): `costs` is what each year costs
    (spent, for a year that has ended; else forecast), each scenario what it expects to avoid."""
    years = horizon(
        costs, (year for one in scenarios for year in one.avoided), current_year, minimum_years
    )
    in_horizon = {year: costs.get(year, 0) for year in years}
    curves = []
    for one in scenarios:
        avoided = {year: one.avoided.get(year, 0) for year in years}
        curves.append(
            ScenarioCurve(
                one.key,
                one.name,
                tuple(avoided.values()),
                tuple(total for _year, total in cumulative(avoided, years)),
                payback_year(in_horizon, avoided),
                years[-1],
            )
        )
    return BusinessCaseFigures(
        tuple(years),
        current_year,
        tuple(in_horizon.values()),
        tuple(total for _year, total in cumulative(in_horizon, years)),
        tuple(curves),
    )


def axis_money(pence: float) -> str:
    """A value on a money axis, short: "£0", "£750k", "£1.5m"."""
    pounds = pence / 100
    if abs(pounds) >= 1_000_000:
        return f"£{number(pounds / 1_000_000, places=2)}m"
    if abs(pounds) >= 1_000:
        return f"£{number(pounds / 1_000, places=1)}k"
    return f"£{number(round(pounds))}"


def payback_chart(figures: BusinessCaseFigures) -> LineChart:
    """The cumulative cost and each scenario's cumulative avoided cost, year by year."""
    series = [Series(COST_LINE, figures.cumulative_costs)]
    series += [Series(curve.name, curve.cumulative) for curve in figures.scenarios]
    return line_chart([year_label(year) for year in figures.years], series, axis_money)
