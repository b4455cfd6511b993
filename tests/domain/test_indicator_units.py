"""Which values each indicator unit allows."""

import pytest

from programme.domain.indicator_units import unit_label, value_problem


@pytest.mark.parametrize(
    ("unit", "value", "problem"),
    [
        ("percent", 100, None),
        ("percent", 0, None),
        ("percent", 100.1, "cannot be more than 100%"),
        ("percent", -1, "cannot be negative"),
        ("count", 12, None),
        ("count", 12.5, "must be a whole number"),
        ("count", -3, "cannot be negative"),
        ("per_10000", 512.4, None),
        ("average", 14.7, None),
        ("average", -0.1, "cannot be negative"),
    ],
)
def test_values_outside_a_unit_s_range_are_refused(unit, value, problem):
    assert value_problem(unit, value) == problem


def test_units_have_words():
    assert unit_label("per_10000") == "per 10,000 children"
    assert unit_label("percent") == "%"
    assert unit_label("something else") == "something else"
