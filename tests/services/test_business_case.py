"""Cost-avoidance scenarios: added, renamed, deleted and given their avoided cost per year, each
change audited and refused over someone else's; and the business case they make against what
the programme costs, with the year each pays back."""

from __future__ import annotations

from datetime import date

import pytest

from programme.domain.audit_changes import change_lines
from programme.models import CostScenario, ScenarioYear
from programme.services import business_case
from programme.services.errors import Conflict, NotFound, ServiceError, StaleEdit
from programme.services.training import catalogue
from tests.builders import create_programme, create_session, create_user
from tests.business_case_builders import create_budget_line, create_scenario, create_spend
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows, reread


@pytest.fixture
def programme(app):
    return create_programme(slug="westshire")


@pytest.fixture
def manager(app):
    return create_user("programme_manager")


def _avoided(scenario: CostScenario) -> dict[int, int]:
    return {one.financial_year: one.avoided_pence for one in reread(scenario).years}


def test_a_manager_adds_scenarios_in_order_and_each_is_audited(programme, manager):
    low = business_case.add_scenario(programme, "  Low ", manager)
    high = business_case.add_scenario(programme, "High", manager)

    assert [s.name for s in business_case.scenarios_of(programme)] == ["Low", "High"]
    (event,) = audit_events_for("cost_scenario", low.id)
    assert (event.action, event.summary) == ("create", "Added the cost-avoidance scenario Low")
    assert reread(high).position == 1


def test_a_name_is_needed_and_two_scenarios_cannot_share_one(programme, manager):
    business_case.add_scenario(programme, "Low", manager)

    with pytest.raises(ServiceError) as blank:
        business_case.add_scenario(programme, "   ", manager)
    with pytest.raises(Conflict) as taken:
        business_case.add_scenario(programme, "low", manager)

    assert blank.value.field == "name"
    assert (taken.value.field, taken.value.message) == (
        "name",
        "There is already a scenario called “Low”.",
    )
    assert count_rows(CostScenario) == 1


def test_another_programme_may_use_the_same_name(programme, manager):
    business_case.add_scenario(programme, "Low", manager)
    other = create_programme("Eastshire", slug="eastshire")

    business_case.add_scenario(other, "Low", manager)

    assert count_rows(CostScenario) == 2


def test_renaming_keeps_the_years_and_is_refused_over_a_newer_version(programme, manager):
    low = create_scenario(programme, "Low", {2025: 100_00})
    opened = low.version

    assert business_case.rename_scenario(low, "Low (Bury)", manager, opened) is True
    assert business_case.rename_scenario(reread(low), "Low (Bury)", manager) is False
    with pytest.raises(StaleEdit):
        business_case.rename_scenario(reread(low), "Lower", manager, opened)

    assert reread(low).name == "Low (Bury)"
    assert _avoided(low) == {2025: 100_00}
    events = audit_events_for("cost_scenario", low.id)
    assert [(e.action, e.before, e.after) for e in events] == [
        ("update", {"name": "Low"}, {"name": "Low (Bury)"})
    ]


def test_setting_the_years_adds_changes_and_clears_them_and_moves_the_version(programme, manager):
    low = create_scenario(programme, "Low", {2024: 50_00, 2025: 100_00, 2026: 200_00})
    opened = low.version

    changed = business_case.set_avoided_costs(
        low, {2024: 50_00, 2025: None, 2026: 250_00, 2027: 300_00}, manager, opened
    )

    assert changed == [2025, 2026, 2027]
    assert _avoided(low) == {2024: 50_00, 2026: 250_00, 2027: 300_00}
    assert reread(low).version == opened + 1
    (event,) = audit_events_for("cost_scenario", low.id)
    assert event.action == "set_avoided_costs"
    assert event.before == {"2025/26": 100_00, "2026/27": 200_00, "2027/28": None}
    lines = change_lines("cost_scenario", event.action, event.before, event.after)
    assert [line.text for line in lines] == [
        "2025/26: £100 → —",
        "2026/27: £200 → £250",
        "2027/28: — → £300",
    ]


def test_the_same_years_again_write_nothing(programme, manager):
    low = create_scenario(programme, "Low", {2025: 100_00})

    assert business_case.set_avoided_costs(low, {2025: 100_00, 2026: None}, manager) == []
    assert audit_events_for("cost_scenario", low.id) == []
    assert reread(low).version == 1


def test_years_saved_over_someone_elses_change_are_refused(programme, manager):
    low = create_scenario(programme, "Low", {2025: 100_00})
    opened = low.version
    business_case.set_avoided_costs(low, {2025: 150_00}, manager, opened)

    with pytest.raises(StaleEdit):
        business_case.set_avoided_costs(reread(low), {2025: 999_00}, manager, opened)

    assert _avoided(low) == {2025: 150_00}


def test_a_negative_avoided_cost_is_refused_naming_the_year_and_nothing_is_written(
    programme, manager
):
    low = create_scenario(programme, "Low", {2025: 100_00})

    with pytest.raises(ServiceError) as refused:
        business_case.set_avoided_costs(low, {2025: 200_00, 2026: -1}, manager)

    assert refused.value.field == "year_2026"
    assert "2026/27 cannot be negative" in refused.value.message
    assert _avoided(low) == {2025: 100_00}


def test_deleting_a_scenario_deletes_its_years_and_records_them(programme, manager):
    low = create_scenario(programme, "Low", {2025: 100_00})
    scenario_id = low.id

    assert business_case.delete_scenario(low, manager, low.version) == "Low"

    assert count_rows(CostScenario) == 0
    assert count_rows(ScenarioYear) == 0
    (event,) = audit_events_for("cost_scenario", scenario_id)
    assert (event.action, event.before) == ("delete", {"name": "Low", "2025/26": 100_00})


def test_a_scenario_of_another_programme_is_not_found(programme):
    other = create_scenario(create_programme("Eastshire", slug="eastshire"), "Low")

    with pytest.raises(NotFound):
        business_case.get_scenario(programme, other.id)


def test_the_business_case_sets_spend_and_forecast_against_each_scenario(programme):
    spent = create_budget_line(programme, 2025, 500_000_00)
    create_spend(spent, 450_000_00)
    create_session(catalogue.get_course(programme, "mi"), 1, date(2025, 6, 2), cost_pence=6_000_00)
    create_budget_line(programme, 2026, 600_000_00)
    create_budget_line(programme, 2027, 400_000_00)
    create_scenario(programme, "Low", {2026: 300_000_00, 2027: 500_000_00, 2028: 500_000_00})
    create_scenario(programme, "Cautious", {2027: 100_000_00})

    case = business_case.business_case(programme, TODAY)

    figures = case.figures
    assert figures.years == (2025, 2026, 2027, 2028, 2029)
    assert figures.costs == (456_000_00, 600_000_00, 400_000_00, 0, 0)
    assert [curve.payback_text for curve in figures.scenarios] == [
        "Does not pay back by 2029/30",
        "Does not pay back by 2029/30",
    ]
    assert case.has_budget
    assert [line.label for line in case.chart.lines] == ["Cumulative cost", "Low", "Cautious"]


def test_a_scenario_pays_back_in_the_year_its_running_total_catches_the_cost(programme):
    create_budget_line(programme, 2026, 1_000_000_00)
    create_scenario(programme, "High", {2026: 400_000_00, 2027: 400_000_00, 2028: 400_000_00})

    (high,) = business_case.business_case(programme, TODAY).figures.scenarios

    assert high.payback_text == "Pays back in 2028/29"


def test_with_nothing_recorded_there_is_nothing_to_draw(programme):
    case = business_case.business_case(programme, TODAY)

    assert case.chart is None
    assert not case.has_budget
    assert case.scenarios == []


def test_a_scenarios_form_offers_the_business_case_years_and_two_more(programme):
    create_budget_line(programme, 2025, 100_00)
    create_budget_line(programme, 2027, 100_00)
    low = create_scenario(programme, "Low", {2033: 5_00})

    assert business_case.form_years(programme, TODAY, low) == list(range(2025, 2036))
    assert business_case.form_years(programme, TODAY, create_scenario(programme, "High")) == list(
        range(2025, 2032)
    )
