"""Reading a quarterly outcome return's periods, values and indicator names."""

from datetime import date, datetime

import pytest

from programme.domain.indicator_import import (
    IndicatorRef,
    fit_period,
    indicator_vocabulary,
    parse_period,
    parse_value,
)

CLA = IndicatorRef(
    1, "children-looked-after", "Children looked after, per 10,000", "per_10000", "monthly"
)
CP = IndicatorRef(2, "child-protection-plans", "Child protection plans", "count", "monthly")
RE = IndicatorRef(3, "re-referrals", "Re-referrals within 12 months", "percent", "quarterly")
CASELOAD = IndicatorRef(4, "average-caseload", "Average caseload", "average", "monthly")


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
    period = parse_period(written)
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
    period = parse_period(written)
    assert (period.start, period.kind) == (start, "quarter")


@pytest.mark.parametrize(
    "written", ["", "Spring", "13/2026", "2026-13", "Q5 2026/27", "Q1 2026/28"]
)
def test_a_bad_period_is_refused_with_a_sentence(written):
    with pytest.raises(ValueError) as refused:
        parse_period(written)
    assert refused.value.args[0].endswith(".")


def test_a_quarterly_indicator_takes_a_quarter_or_a_date_in_it_but_not_a_month():
    assert fit_period(parse_period("Q1 2026/27"), RE) == date(2026, 4, 1)
    assert fit_period(parse_period("30/06/2026"), RE) == date(2026, 4, 1)
    with pytest.raises(ValueError, match="recorded quarterly: give the quarter, as in Q1 2026/27"):
        fit_period(parse_period("June 2026"), RE)
    with pytest.raises(ValueError, match="recorded monthly"):
        fit_period(parse_period("Q1 2026/27"), CLA)


@pytest.mark.parametrize(
    ("written", "indicator", "value"),
    [
        ("14.7", CASELOAD, 14.7),
        ("74%", RE, 74.0),
        ("74 %", RE, 74.0),
        ("1,234", CP, 1234.0),
        (1234, CP, 1234.0),
        (42.5, CLA, 42.5),
    ],
)
def test_a_value_is_read_however_a_return_writes_it(written, indicator, value):
    assert parse_value(written, indicator) == value


@pytest.mark.parametrize(
    ("written", "indicator", "message"),
    [
        ("120%", RE, "cannot be more than 100%"),
        ("-3", CP, "cannot be negative"),
        ("2.5", CP, "must be a whole number"),
        ("74%", CP, "is a percentage, but Child protection plans is measured as number"),
        ("n/a", CLA, "is not a number"),
        ("1,23", CP, "is not a number"),
        ("", CLA, "blank"),
        (float("nan"), CLA, "is not a number"),
    ],
)
def test_a_bad_value_is_refused_saying_why(written, indicator, message):
    with pytest.raises(ValueError, match=message):
        parse_value(written, indicator)


@pytest.mark.parametrize(
    ("written", "indicator"),
    [
        ("CLA rate", CLA),
        ("Looked after children per 10k", CLA),
        ("children-looked-after", CLA),
        ("CHILDREN LOOKED AFTER, PER 10,000", CLA),
        ("CP plans", CP),
        ("Re-referral rate", RE),
        ("Avg caseload", CASELOAD),
    ],
)
def test_an_indicator_is_known_by_other_councils_names(written, indicator):
    assert indicator_vocabulary([CLA, CP, RE, CASELOAD]).find(written) == indicator
