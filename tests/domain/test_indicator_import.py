"""Reading a quarterly outcome return's periods, values and indicator names."""

import pytest

from programme.domain.indicator_import import IndicatorRef, indicator_vocabulary, parse_value

CLA = IndicatorRef(
    1, "children-looked-after", "Children looked after, per 10,000", "per_10000", "monthly"
)
CP = IndicatorRef(2, "child-protection-plans", "Child protection plans", "count", "monthly")
RE = IndicatorRef(3, "re-referrals", "Re-referrals within 12 months", "percent", "quarterly")
CASELOAD = IndicatorRef(4, "average-caseload", "Average caseload", "average", "monthly")


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
