"""The demo programme's outcome data (seed/demo-outcomes.toml): 18 months of indicator values
for the wave-1 localities (the pilot's reaching nine months past its go-live), a few months for
the later waves, one locality moving away."""

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from programme.domain import outcomes
from programme.domain.indicator_units import value_problem
from programme.extensions import db
from programme.models import Indicator, IndicatorTarget, IndicatorValue, Programme
from programme.services import demo
from programme.services.demo_outcomes import ended_periods
from programme.services.outcomes import pages
from programme.services.outcomes.catalogue import indicators_of
from tests.conftest import TODAY
from tests.queries import count_rows


def _periods(programme: Programme) -> dict[tuple[str, str], list[date]]:
    """(locality name, indicator key) -> the periods with a value, oldest first."""
    found = defaultdict(list)
    for value in db.session.scalars(
        select(IndicatorValue)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.programme_id == programme.id)
        .order_by(IndicatorValue.period)
    ):
        found[value.locality.name, value.indicator.key].append(value.period)
    return found


def test_wave_1_localities_have_18_months_of_values_and_a_baseline_and_target_for_each(
    demo_programme,
):
    localities = pages.localities_of(demo_programme)
    wave_1 = [locality for locality in localities if locality.wave == 1]
    indicators = indicators_of(demo_programme)
    periods = _periods(demo_programme)

    assert [locality.name for locality in wave_1] == [
        "Burnham and Highbridge",  # the pilot, live
        "South Somerset",
        "Bridgwater",
    ]
    for locality in wave_1:
        for indicator in indicators:
            held = periods[locality.name, indicator.key]
            expected = 18 if indicator.frequency == outcomes.MONTHLY else 6
            assert len(held) == expected, (locality.name, indicator.key)
            # Every month (or quarter) of the 18, up to the last one ended by the demo's today.
            assert held == ended_periods(indicator.frequency, TODAY, 18)
    assert periods["South Somerset", "children-looked-after"][-1] == date(2026, 11, 1)
    assert periods["South Somerset", "re-referrals"][-1] == date(2026, 7, 1)  # Q2 2026/27
    wave_1_ids = {locality.id for locality in wave_1}
    targets = db.session.scalars(
        select(IndicatorTarget).where(IndicatorTarget.locality_id.in_(wave_1_ids))
    ).all()
    assert len(targets) == len(wave_1) * len(indicators)
    assert all(t.baseline_on < date(2025, 6, 1) for t in targets)
    assert all(
        (t.target_value is None) != (t.target_change_percent is None) for t in targets
    )  # each has a target, as a value or a % change


def test_the_bury_targets_are_a_change_and_the_somerset_ones_a_value(demo_programme):
    targets = {
        (row.locality.name, row.indicator.key): row
        for row in db.session.scalars(select(IndicatorTarget))
    }

    assert targets["Bridgwater", "children-looked-after"].target_change_percent == -30
    assert targets["Bridgwater", "child-protection-plans"].target_change_percent == -45
    assert targets["Bridgwater", "repeat-domestic-abuse-call-outs"].target_change_percent == -66
    assert targets["South Somerset", "re-referrals"].target_value == 20
    assert targets["South Somerset", "permanent-share"].target_value == 74
    assert targets["South Somerset", "turnover"].target_value == 11
    assert targets["South Somerset", "average-caseload"].target_value == 14.7


def test_later_waves_have_a_few_months_of_values_before_their_go_live(demo_programme):
    later = [loc for loc in pages.localities_of(demo_programme) if loc.wave != 1]
    periods = _periods(demo_programme)

    assert later
    for locality in later:
        held = periods[locality.name, "children-looked-after"]
        assert 3 <= len(held) < 18
        assert held[-1] < locality.go_live


def test_one_indicator_moves_away_from_its_target_in_one_locality(demo_programme):
    standings = [
        (standing.locality.name, row.indicator.key, standing.status)
        for row in pages.overview(demo_programme)
        for standing in row.standings
    ]

    moving_away = [(name, key) for name, key, status in standings if status == "moving_away"]
    assert moving_away == [("Bridgwater", "children-looked-after")]
    assert all(status != "no_data" for _, _, status in standings)


def test_no_value_is_for_a_future_period_or_outside_its_units_range(demo_programme):
    rows = db.session.scalars(select(IndicatorValue)).all()

    assert rows
    assert max(row.period for row in rows) <= TODAY
    assert all(value_problem(row.indicator.unit, row.value) is None for row in rows)
    agency = {(r.locality_id, r.period): r.value for r in rows if r.indicator.key == "agency-share"}
    permanent = {
        (r.locality_id, r.period): r.value for r in rows if r.indicator.key == "permanent-share"
    }
    assert agency.keys() == permanent.keys()
    assert all(abs(agency[k] + permanent[k] - 100) < 0.01 for k in agency)


def test_the_indicator_page_draws_each_locality_and_the_comparison(demo_programme):
    indicator = next(i for i in indicators_of(demo_programme) if i.key == "children-looked-after")

    page = pages.indicator_page(demo_programme, indicator)

    assert all(trend.chart is not None for trend in page.trends)
    assert page.comparison is not None
    assert page.comparison_rows


def test_loading_the_demo_again_adds_no_outcome_data(demo_programme):
    counts = {model: count_rows(model) for model in (IndicatorTarget, IndicatorValue)}

    again = demo.load_demo(TODAY)

    assert not again.created
    assert {model: count_rows(model) for model in counts} == counts


def test_the_comparison_has_the_pilot_s_values_after_its_go_live_and_they_improve(
    demo_programme,
):
    indicator = next(i for i in indicators_of(demo_programme) if i.key == "children-looked-after")
    pilot = next(
        loc for loc in pages.localities_of(demo_programme) if loc.name == "Burnham and Highbridge"
    )

    page = pages.indicator_page(demo_programme, indicator)
    column = page.comparison_labels.index("Burnham and Highbridge")
    after = [row for row in page.comparison_rows if row.month.startswith("+")]
    values = db.session.scalars(
        select(IndicatorValue)
        .where(IndicatorValue.locality_id == pilot.id, IndicatorValue.indicator_id == indicator.id)
        .order_by(IndicatorValue.period)
    ).all()
    target = db.session.scalars(
        select(IndicatorTarget).where(
            IndicatorTarget.locality_id == pilot.id, IndicatorTarget.indicator_id == indicator.id
        )
    ).one()

    assert pilot.go_live < TODAY and pilot.state == "live"
    assert len(after) >= 8  # about nine months since go-live
    assert all(row.values[column] for row in after)
    assert values[0].period < pilot.go_live < values[-1].period
    assert values[-1].value < target.baseline_value  # fewer children looked after since
