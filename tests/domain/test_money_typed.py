"""Amounts of money as people type them: pounds with or without £, thousands separators, pence,
and the "k" and "m" business cases write; anything else, or a fraction of a penny, is unreadable."""

import pytest

from programme.domain.money import parse_pounds


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1500", 150_000),
        ("£1,500", 150_000),
        ("1500.5", 150_050),
        ("£1,500.50", 150_050),
        (" £ 250000 ", 25_000_000),
        ("0", 0),
        ("£85k", 8_500_000),
        ("£1.097m", 109_700_000),
        ("14.615M", 1_461_500_000),
        ("1,097,000", 109_700_000),
        ("-£200", -20_000),
        ("£-200", -20_000),
        ("£1 500", 150_000),
    ],
)
def test_amounts_people_type_are_read_as_pence(text, pence):
    assert parse_pounds(text, shorthand=True) == pence


@pytest.mark.parametrize(
    "text",
    ["", None, "abc", "£", "1.005", "15,00", "1,50.00", "--5", "-£-5", "£1.2bn", "1e6"],
)
def test_anything_else_is_unreadable(text):
    assert parse_pounds(text, shorthand=True) is None
