"""The business case's cost-avoidance scenarios ("Low", "High"): adding, renaming and deleting
them, setting what each expects to avoid per financial year, and the business case they make
against what the programme costs (`finance_figures.yearly_costs`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from programme.domain.business_case import YearMoney
from programme.domain.charts import LineChart
from programme.domain.financial_years import financial_year_of, year_label
from programme.domain.money import LIMIT_PENCE
from programme.domain.scenario_payback import (
    BusinessCaseFigures,
    ScenarioInput,
    business_case_figures,
    horizon,
    payback_chart,
)
from programme.extensions import db
from programme.models import CostScenario, Programme, ScenarioYear, User
from programme.services import audit
from programme.services.errors import Conflict, ServiceError
from programme.services.finance_figures import yearly_costs
from programme.services.lookup import get_within
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional

NAME_LENGTH = 100  # CostScenario.name's column
# The form for a scenario's years offers this many years past the business case's last, so a
# scenario can run beyond the budget.
LATER_YEARS = 2


def scenarios_of(programme: Programme) -> list[CostScenario]:
    """The programme's scenarios in the order they were added, each with its years. Two
    queries."""
    return list(
        db.session.scalars(
            select(CostScenario)
            .where(CostScenario.programme_id == programme.id)
            .options(selectinload(CostScenario.years))
            .order_by(CostScenario.position, CostScenario.id)
        )
    )


def get_scenario(programme: Programme, scenario_id: int) -> CostScenario:
    return get_within(
        CostScenario,
        scenario_id,
        "programme_id",
        programme.id,
        f"{programme.name} has no scenario {scenario_id}.",
    )


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _checked_name(programme_id: int, name: str | None, exclude: CostScenario | None) -> str:
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise ServiceError("Enter the scenario's name, for example Low or High.", "name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(f"The name must be {NAME_LENGTH} characters or fewer.", "name")
    for other in db.session.scalars(
        select(CostScenario).where(CostScenario.programme_id == programme_id)
    ):
        if other is not exclude and _name_key(other.name) == _name_key(name):
            raise Conflict(f"There is already a scenario called “{other.name}”.", "name")
    return name


def _audit(actor: User | None, action: str, scenario: CostScenario, summary: str, **change):
    audit.record(
        actor,
        action,
        "cost_scenario",
        scenario.id,
        summary,
        programme_id=scenario.programme_id,
        **change,
    )


def _changed_since_opened(scenario: CostScenario) -> str:
    return (
        f"Someone else changed the {scenario.name} scenario after you opened it. Your changes "
        "were not saved: review the current values and make your change again."
    )


@transactional
def add_scenario(programme: Programme, name: str, actor: User | None) -> CostScenario:
    """A new scenario, with no avoided costs yet, after the programme's others."""
    name = _checked_name(programme.id, name, None)
    last = db.session.scalar(
        select(func.max(CostScenario.position)).where(CostScenario.programme_id == programme.id)
    )
    scenario = CostScenario(
        programme_id=programme.id, name=name, position=0 if last is None else last + 1
    )
    db.session.add(scenario)
    db.session.flush()
    _audit(
        actor, "create", scenario, f"Added the cost-avoidance scenario {name}", after={"name": name}
    )
    return scenario


@transactional
def rename_scenario(
    scenario: CostScenario, name: str, actor: User | None, expected_version: int | None = None
) -> bool:
    """Give the scenario a new name; False when it already has it (nothing written)."""
    refuse_if_stale(scenario, expected_version, _changed_since_opened(scenario))
    old = scenario.name
    name = _checked_name(scenario.programme_id, name, scenario)
    if name == old:
        return False
    scenario.name = name
    _audit(
        actor,
        "update",
        scenario,
        f"Renamed the cost-avoidance scenario {old} to {name}",
        before={"name": old},
        after={"name": name},
    )
    flush_or_refuse(_changed_since_opened(scenario))
    return True


@transactional
def delete_scenario(
    scenario: CostScenario, actor: User | None, expected_version: int | None = None
) -> str:
    """Delete the scenario and its avoided costs; returns its name."""
    refuse_if_stale(scenario, expected_version, _changed_since_opened(scenario))
    name = scenario.name
    _audit(
        actor,
        "delete",
        scenario,
        f"Deleted the cost-avoidance scenario {name}",
        before={"name": name, **_years_for_audit(_avoided_of(scenario))},
    )
    db.session.delete(scenario)
    flush_or_refuse(_changed_since_opened(scenario))
    return name


def _avoided_of(scenario: CostScenario) -> dict[int, int]:
    return {one.financial_year: one.avoided_pence for one in scenario.years}


def _years_for_audit(avoided: Mapping[int, int | None]) -> dict[str, int | None]:
    return {year_label(year): avoided[year] for year in sorted(avoided)}


def _checked_amount(year: int, pence: int | None) -> int | None:
    field = year_field(year)
    if pence is None:
        return None
    if pence < 0:
        raise ServiceError(
            f"The avoided cost for {year_label(year)} cannot be negative: enter 0 or more.", field
        )
    if pence >= LIMIT_PENCE:
        raise ServiceError(
            f"The avoided cost for {year_label(year)} must be less than £1,000,000,000.", field
        )
    return pence


def year_field(year: int) -> str:
    """The form field holding a year's avoided cost."""
    return f"year_{year}"


@transactional
def set_avoided_costs(
    scenario: CostScenario,
    avoided: Mapping[int, int | None],
    actor: User | None,
    expected_version: int | None = None,
) -> list[int]:
    """Set the scenario's avoided cost for each year in `avoided` (None: none for that year);
    years not in `avoided` keep theirs. Returns the years that changed (none: nothing written).
    A change raises the scenario's version, so two people editing its years cannot both win."""
    refuse_if_stale(scenario, expected_version, _changed_since_opened(scenario))
    wanted = {year: _checked_amount(year, pence) for year, pence in avoided.items()}
    held = {one.financial_year: one for one in scenario.years}
    before: dict[int, int | None] = {}
    after: dict[int, int | None] = {}
    for year, pence in sorted(wanted.items()):
        row = held.get(year)
        current = None if row is None else row.avoided_pence
        if current == pence:
            continue
        before[year], after[year] = current, pence
        if row is None:
            scenario.years.append(ScenarioYear(financial_year=year, avoided_pence=pence))
        elif pence is None:
            scenario.years.remove(row)
        else:
            row.avoided_pence = pence
    if not after:
        return []
    flag_modified(scenario, "name")  # the years are the scenario's: its version moves on
    _audit(
        actor,
        "set_avoided_costs",
        scenario,
        f"Changed the avoided costs of the cost-avoidance scenario {scenario.name} for "
        + ", ".join(year_label(year) for year in after),
        before=_years_for_audit(before),
        after=_years_for_audit(after),
    )
    flush_or_refuse(_changed_since_opened(scenario))
    return list(after)


def form_years(programme: Programme, today: date, scenario: CostScenario) -> list[int]:
    """The years a scenario's form offers: the business case's years (see
    `scenario_payback.horizon`) and LATER_YEARS more, and any year the scenario already has."""
    costs = yearly_costs(programme, today)
    years = horizon(
        (one.year for one in costs),
        (one.financial_year for one in scenario.years),
        financial_year_of(today),
    )
    later = range(years[-1] + 1, years[-1] + 1 + LATER_YEARS)
    return sorted({*years, *later, *(one.financial_year for one in scenario.years)})


@dataclass(frozen=True)
class BusinessCase:
    figures: BusinessCaseFigures
    chart: LineChart | None  # None: nothing to draw (no cost and no scenario)
    scenarios: list[CostScenario]
    has_budget: bool  # some budget line has an amount
    costs: tuple[YearMoney, ...] = ()  # each year's budget, actual and forecast, in order


def business_case(programme: Programme, today: date) -> BusinessCase:
    """The programme's cost year by year against each scenario's avoided cost. Four queries."""
    costs = yearly_costs(programme, today)
    scenarios = scenarios_of(programme)
    figures = business_case_figures(
        {one.year: one.forecast for one in costs},
        [ScenarioInput(one.id, one.name, _avoided_of(one)) for one in scenarios],
        financial_year_of(today),
    )
    drawn = bool(scenarios or costs)
    return BusinessCase(
        figures,
        payback_chart(figures) if drawn else None,
        scenarios,
        any(one.budget for one in costs),
        tuple(costs),
    )
