import pytest

from programme.domain.money import parse_pounds, pounds_from_number


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1234", 123400),
        ("1234.5", 123450),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("£1,234.56", 123456),
        (" £ 1,234.56 ", 123456),
        ("£1 234.56", 123456),
        ("1,234,567", 123456700),
        ("0.05", 5),
        ("-1,200", -120000),
        ("−1,200", -120000),
        ("-£1,200.00", -120000),
        ("£-1,200.00", -120000),
        ("(1,200.00)", -120000),
        ("(£1,200.00)", -120000),
        ("+50", 5000),
        ("0", 0),
    ],
)
def test_money_as_finance_spreadsheets_write_it(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "£",
        "12%",
        "1.2k",
        "£1.2m",
        "12.345",
        "1,23",
        "12,34.00",
        "1.234,56",
        "twelve",
        "(-5)",
        "--5",
        "1,200.00 CR",
        "$100",
        "1e3",
    ],
)
def test_what_is_not_money(text):
    assert parse_pounds(text) is None


def test_number_cells():
    assert pounds_from_number(1234.56) == 123456
    assert pounds_from_number(0.1 + 0.2) == 30
    assert pounds_from_number(-1200) == -120000
    assert pounds_from_number(12.345) is None
    assert pounds_from_number(float("nan")) is None
    assert pounds_from_number(True) is None
