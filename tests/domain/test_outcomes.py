"""Outcome indicators' arithmetic: periods, change against a baseline, targets given as a value
or as a % change, on track or moving away, and months since go-live."""

from datetime import date, datetime

import pytest

from programme.domain.indicator_seed import parse_indicators
from programme.domain.outcomes import (
    MOVING_AWAY,
    NO_DATA,
    ON_TRACK,
    Target,
    align,
    change_percent,
    change_text,
    fit_period,
    month_offset_label,
    months_since_go_live,
    parse_number,
    parse_period,
    period_key,
    period_label,
    period_problem,
    period_start,
    read_period,
    status,
    target_from_change,
    value_text,
)
from programme.domain.provenance import SeedError

# --- Periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "frequency", "period"),
    [
        ("2026-05", "monthly", date(2026, 5, 1)),
        ("2026-5", "monthly", date(2026, 5, 1)),
        ("05/2026", "monthly", date(2026, 5, 1)),
        ("May 2026", "monthly", date(2026, 5, 1)),
        ("sept 2026", "monthly", date(2026, 9, 1)),
        ("Q1 2026/27", "quarterly", date(2026, 4, 1)),
        ("2026/27 Q4", "quarterly", date(2027, 1, 1)),
        ("Q3 FY26/27", "quarterly", date(2026, 10, 1)),
        ("2026-05", "quarterly", date(2026, 4, 1)),  # a month stands for its quarter
        ("2027-03", "quarterly", date(2027, 1, 1)),
    ],
)
def test_periods_are_read_as_their_first_day(text, frequency, period):
    assert parse_period(text, frequency) == period


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("2026-13", "monthly"),
        ("Q1 2026/27", "monthly"),  # a quarter is not a month
        ("2026 Q2", "quarterly"),  # calendar or financial? refused
        ("Q5 2026/27", "quarterly"),
        ("soon", "monthly"),
        ("", "monthly"),
        ("Smarch 2026", "monthly"),
    ],
)
def test_what_is_not_a_period_is_refused(text, frequency):
    assert parse_period(text, frequency) is None


# The forms the indicator import reads in councils' returns (the form reads them too).


@pytest.mark.parametrize(
    ("written", "start"),
    [
        ("May 2026", date(2026, 5, 1)),
        ("may-26", date(2026, 5, 1)),
        ("Sept 2026", date(2026, 9, 1)),
        ("2026-05", date(2026, 5, 1)),
        ("05/2026", date(2026, 5, 1)),
        ("5/2026", date(2026, 5, 1)),
        ("14/05/2026", date(2026, 5, 1)),
        ("31 May 2026", date(2026, 5, 1)),
        (datetime(2026, 5, 31), date(2026, 5, 1)),
    ],
)
def test_a_month_is_read_however_a_return_writes_it(written, start):
    period = read_period(written)
    assert (period.start, period.kind) == (start, "month")


@pytest.mark.parametrize(
    ("written", "start"),
    [
        ("Q1 2026/27", date(2026, 4, 1)),
        ("q3 2026-27", date(2026, 10, 1)),
        ("Q4 FY26/27", date(2027, 1, 1)),
        ("2026/27 Q2", date(2026, 7, 1)),
        ("Quarter 1 2026/27", date(2026, 4, 1)),
    ],
)
def test_a_financial_quarter_is_read(written, start):
    period = read_period(written)
    assert (period.start, period.kind) == (start, "quarter")


@pytest.mark.parametrize(
    "written", ["", "Spring", "13/2026", "2026-13", "Q5 2026/27", "Q1 2026/28"]
)
def test_a_bad_period_is_refused_with_a_sentence(written):
    with pytest.raises(ValueError) as refused:
        read_period(written)
    assert refused.value.args[0].endswith(".")


def test_a_quarterly_indicator_takes_a_quarter_or_a_month_or_date_in_it():
    """The value form and the import agree: a month stands for the quarter it falls in (the
    import used to refuse "June 2026" but took "30/06/2026"; the form took both)."""
    re_referrals = "Re-referrals within 12 months"
    assert fit_period(read_period("Q1 2026/27"), "quarterly", re_referrals) == date(2026, 4, 1)
    assert fit_period(read_period("30/06/2026"), "quarterly", re_referrals) == date(2026, 4, 1)
    assert fit_period(read_period("June 2026"), "quarterly", re_referrals) == date(2026, 4, 1)
    with pytest.raises(ValueError) as refused:
        fit_period(read_period("Q1 2026/27"), "monthly", "Children looked after")
    assert str(refused.value) == (
        "Children looked after is recorded monthly: Q1 2026/27 is not a month; give the month, "
        "as in May 2026."
    )


def test_periods_are_labelled_and_keyed():
    assert period_label(date(2026, 5, 1), "monthly") == "May 2026"
    assert period_label(date(2026, 4, 1), "quarterly") == "Q1 2026/27"
    assert period_label(date(2027, 1, 1), "quarterly") == "Q4 2026/27"
    assert period_key(date(2026, 4, 1), "quarterly") == "2026-04"
    assert period_start(date(2026, 6, 30), "quarterly") == date(2026, 4, 1)
    assert period_start(date(2026, 6, 30), "monthly") == date(2026, 6, 1)


def test_a_period_that_has_started_may_be_recorded_one_still_to_come_may_not():
    today = date(2026, 11, 30)
    assert period_problem(date(2026, 11, 1), "monthly", today) is None
    assert period_problem(date(2026, 10, 1), "quarterly", today) is None  # the current quarter
    assert period_problem(date(2026, 12, 1), "monthly", today) == (
        "Dec 2026 is in the future: record a value once its period has started."
    )


# --- Change, targets, standing -------------------------------------------------------------------


def test_change_against_the_baseline_in_per_cent():
    assert change_percent(50.0, 35.0) == pytest.approx(-30.0)
    assert change_percent(20.0, 25.0) == pytest.approx(25.0)
    assert change_percent(20.0, 20.0) == 0


def test_no_change_in_per_cent_from_a_zero_baseline():
    assert change_percent(0.0, 3.0) is None
    assert change_text(None) == "—"


def test_a_target_as_a_change_means_a_value_from_the_baseline():
    assert target_from_change(100.0, -30) == pytest.approx(70.0)
    assert target_from_change(74.0, 10) == pytest.approx(81.4)
    assert target_from_change(0.0, -30) == 0  # a zero baseline stays zero


def test_a_target_given_as_a_value_or_as_a_change():
    as_value = Target(50.0, date(2026, 1, 1), value=40.0)
    as_change = Target(50.0, date(2026, 1, 1), change_percent=-30)
    neither = Target(50.0, date(2026, 1, 1))

    assert as_value.target_value == 40.0
    assert as_change.target_value == pytest.approx(35.0)
    assert neither.target_value is None


def test_lower_is_better_a_value_under_the_baseline_is_on_track():
    target = Target(50.0, date(2026, 1, 1), change_percent=-30)
    assert status(45.0, target, lower_is_better=True) == ON_TRACK
    assert status(50.0, target, lower_is_better=True) == ON_TRACK  # holding the baseline
    assert status(55.0, target, lower_is_better=True) == MOVING_AWAY


def test_higher_is_better_the_direction_turns_round():
    target = Target(74.0, date(2026, 1, 1), value=80.0)
    assert status(78.0, target, lower_is_better=False) == ON_TRACK
    assert status(82.0, target, lower_is_better=False) == ON_TRACK  # the target met
    assert status(70.0, target, lower_is_better=False) == MOVING_AWAY


def test_no_value_or_no_baseline_is_no_data():
    target = Target(50.0, date(2026, 1, 1))
    assert status(None, target, True) == NO_DATA
    assert status(40.0, None, True) == NO_DATA


def test_a_zero_baseline_still_gives_a_standing():
    target = Target(0.0, date(2026, 1, 1), change_percent=-30)
    assert status(0.0, target, True) == ON_TRACK
    assert status(2.0, target, True) == MOVING_AWAY


def test_values_and_changes_read_with_their_unit():
    assert value_text(20.5, "percent") == "20.5%"
    assert value_text(74.0, "percent") == "74%"
    assert value_text(14.7, "average") == "14.7"
    assert value_text(1234.0, "count") == "1,234"
    assert value_text(45.0, "per_10000") == "45 per 10,000 children"
    assert change_text(-30.0) == "−30%"
    assert change_text(12.5) == "+12.5%"


# --- Months since go-live ------------------------------------------------------------------------


def test_a_go_live_mid_month_counts_that_month_as_month_zero():
    go_live = date(2026, 5, 15)
    assert months_since_go_live(date(2026, 5, 1), go_live) == 0
    assert months_since_go_live(date(2026, 4, 1), go_live) == -1
    assert months_since_go_live(date(2027, 5, 1), go_live) == 12


def test_quarters_count_from_the_quarter_a_locality_went_live_in():
    go_live = date(2026, 5, 15)  # in Q1 2026/27, April to June
    assert months_since_go_live(date(2026, 4, 1), go_live, "quarterly") == 0
    assert months_since_go_live(date(2026, 7, 1), go_live, "quarterly") == 3
    assert months_since_go_live(date(2026, 1, 1), go_live, "quarterly") == -3


def test_localities_of_different_waves_line_up_on_months_since_go_live():
    wave_1 = ("Wave 1", date(2026, 1, 6), {date(2025, 12, 1): 60.0, date(2026, 3, 1): 52.0})
    wave_2 = ("Wave 2", date(2026, 6, 20), {date(2026, 5, 1): 58.0, date(2026, 6, 1): 57.0})

    aligned = align([wave_1, wave_2])

    assert aligned.months == (-1, 0, 1, 2)
    first, second = aligned.series
    assert aligned.values_of(first) == [60.0, None, None, 52.0]
    assert aligned.values_of(second) == [58.0, 57.0, None, None]


def test_the_window_keeps_six_months_before_and_eighteen_after():
    values = {date(2024, 1, 1): 1.0, date(2026, 12, 1): 2.0, date(2025, 6, 1): 3.0}
    aligned = align([("A", date(2025, 1, 1), values)])

    assert aligned.months[0] == 5 and aligned.months[-1] == 5  # only June 2025 is inside
    assert align([("A", date(2025, 1, 1), {})]).months == tuple(range(-6, 19))


def test_quarterly_axes_carry_only_the_quarters_with_values():
    values = {date(2026, 4, 1): 20.0, date(2026, 10, 1): 18.0}
    aligned = align([("A", date(2026, 5, 15), values)], "quarterly")
    assert aligned.months == (0, 6)


def test_month_offsets_are_labelled_with_their_sign():
    assert [month_offset_label(m) for m in (-6, 0, 3)] == ["−6", "0", "+3"]


# --- The seed -------------------------------------------------------------------------------------


def test_the_catalogue_refuses_an_unknown_unit_naming_the_indicator():
    text = (
        '[[indicators]]\nkey = "x"\nname = "X"\nunit = "parsecs"\nsource = "assumption"\n'
        'reason = "r"\n'
    )
    with pytest.raises(SeedError, match="indicator x: unknown unit"):
        parse_indicators(text)


def test_the_catalogue_refuses_an_entry_without_a_source():
    with pytest.raises(SeedError, match="needs a `source`"):
        parse_indicators('[[indicators]]\nkey = "x"\nname = "X"\nunit = "count"\n')


@pytest.mark.parametrize(
    ("text", "number"),
    [("12.5", 12.5), ("-30", -30.0), ("−30%", -30.0), ("1,234", 1234.0), ("+5", 5.0),
     (".5", 0.5), ("", None), ("abc", None), ("1,23", None), ("-", None), ("nan", None),
     ("1e3", None)],
)  # fmt: skip
def test_numbers_are_read_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "frequency", "period"),
    [
        ("may-26", "monthly", date(2026, 5, 1)),
        ("31 May 2026", "monthly", date(2026, 5, 1)),
        (datetime(2026, 5, 31, 9, 30), "monthly", date(2026, 5, 1)),
        ("June 2026", "quarterly", date(2026, 4, 1)),
        ("Quarter 3 2026-27", "quarterly", date(2026, 10, 1)),
    ],
)
def test_the_form_reads_every_period_the_import_reads(text, frequency, period):
    assert parse_period(text, frequency) == period


@pytest.mark.parametrize(
    ("value", "frequency", "words"),
    [
        ("Q2 2026", "quarterly", "“Q2 2026” is not a quarter: write the financial year after it"),
        ("soon", "monthly", "“soon” is not a month: write it as May 2026"),
        ("soon", "quarterly", "“soon” is not a quarter: write it as Q1 2026/27"),
        ("soon", None, "“soon” is not a period: write a month"),
    ],
)
def test_a_period_not_read_is_refused_saying_what_was_wanted(value, frequency, words):
    with pytest.raises(ValueError) as refused:
        read_period(value, frequency)
    assert str(refused.value).startswith(words)
