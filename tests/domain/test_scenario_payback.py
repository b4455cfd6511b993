"""The business case's scenarios against its cost: the years it is read over, running totals,
each scenario's payback year in words, the chart's lines and its summary."""

from programme.domain.scenario_payback import (
    COST_LINE,
    ScenarioInput,
    axis_money,
    business_case_figures,
    horizon,
    payback_chart,
)

# Bury's shape, in pounds: £1.081m over two years against low and high avoidance.
COSTS = {2023: 400_000_00, 2024: 681_000_00}
LOW = ScenarioInput(1, "Low", {2023: 100_000_00, 2024: 300_000_00, 2025: 700_000_00})
HIGH = ScenarioInput(2, "High", {2023: 500_000_00, 2024: 900_000_00})
NONE = ScenarioInput(3, "Cautious", {2025: 10_000_00})


def test_the_horizon_runs_from_the_first_year_to_the_last_and_five_years_at_least():
    assert horizon([2023, 2024], [2025], 2026) == [2023, 2024, 2025, 2026, 2027]
    assert horizon([2023], [2030], 2026) == list(range(2023, 2031))
    assert horizon([], [], 2026) == [2026, 2027, 2028, 2029, 2030]


def test_each_scenario_pays_back_in_the_year_its_avoidance_catches_the_cost():
    figures = business_case_figures(COSTS, [LOW, HIGH, NONE], current_year=2026)

    assert figures.years == (2023, 2024, 2025, 2026, 2027)
    assert (
        figures.cumulative_costs == (400_000_00, 1_081_000_00, 1_081_000_00) + (1_081_000_00,) * 2
    )
    low, high, cautious = figures.scenarios
    assert low.cumulative == (100_000_00, 400_000_00, 1_100_000_00, 1_100_000_00, 1_100_000_00)
    assert low.payback_text == "Pays back in 2025/26"
    assert high.payback_text == "Pays back in 2023/24"
    assert cautious.payback_text == "Does not pay back by 2027/28"


def test_the_table_rows_carry_each_year_and_whether_its_cost_was_spent_or_forecast():
    rows = business_case_figures(COSTS, [LOW], current_year=2024).rows

    first, second = rows[0], rows[1]
    assert (first.label, first.spent, first.cost, first.cumulative_cost) == (
        "2023/24",
        True,
        400_000_00,
        400_000_00,
    )
    assert second.spent is False
    assert [(cell.avoided, cell.cumulative) for cell in second.scenarios] == [
        (300_000_00, 400_000_00)
    ]


def test_the_summary_states_the_cost_and_each_payback_in_words():
    figures = business_case_figures(COSTS, [LOW, NONE], current_year=2026)

    assert figures.summary == (
        "The programme's cumulative cost from 2023/24 to 2027/28 reaches £1,081,000. "
        "The Low scenario avoids £1,100,000 by 2027/28 and pays back in 2025/26. "
        "The Cautious scenario avoids £10,000 by 2027/28 and does not pay back by 2027/28."
    )
    assert figures.paybacks == (
        "Low pays back in 2025/26 and Cautious does not pay back by 2027/28"
    )


def test_without_scenarios_the_summary_says_so():
    figures = business_case_figures(COSTS, [], current_year=2026)

    assert figures.summary.endswith("No cost-avoidance scenario is recorded.")


def test_the_chart_draws_the_cost_line_and_one_line_per_scenario():
    chart = payback_chart(business_case_figures(COSTS, [LOW, HIGH], current_year=2026))

    assert [line.label for line in chart.lines] == [COST_LINE, "Low", "High"]
    assert [line.style for line in chart.lines] == ["solid", "dashed", "dotted"]
    assert [tick.label for tick in chart.category_ticks][0] == "2023/24"
    assert chart.value_ticks[0].label == "£0"
    assert chart.value_ticks[-1].label.endswith("m")


def test_money_on_the_axis_is_short():
    assert axis_money(0) == "£0"
    assert axis_money(75_000) == "£750"
    assert axis_money(50_000_000) == "£500k"
    assert axis_money(150_000_000) == "£1.5m"
    assert axis_money(125_000_000) == "£1.25m"
