"""English local government's financial year: April to March, quarters from April, "2025/26"."""

from datetime import date

import pytest

from programme.domain.financial_years import (
    financial_year_of,
    parse_year,
    quarter_label,
    quarter_of,
    quarter_start,
    year_end,
    year_label,
    year_start,
)


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2026, 3, 31), 2025),  # the last day of 2025/26
        (date(2026, 4, 1), 2026),  # the first day of 2026/27
        (date(2026, 1, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2027, 2, 28), 2026),
    ],
)
def test_a_day_belongs_to_the_year_starting_the_april_before_it(day, year):
    assert financial_year_of(day) == year


@pytest.mark.parametrize(
    "day, quarter",
    [
        (date(2025, 4, 1), 1),
        (date(2025, 6, 30), 1),
        (date(2025, 7, 1), 2),
        (date(2025, 9, 30), 2),
        (date(2025, 10, 1), 3),
        (date(2025, 12, 31), 3),
        (date(2026, 1, 1), 4),
        (date(2026, 3, 31), 4),
    ],
)
def test_quarter_one_is_april_to_june_and_four_january_to_march(day, quarter):
    assert quarter_of(day) == quarter


def test_a_year_runs_from_1_april_to_31_march():
    assert year_start(2025) == date(2025, 4, 1)
    assert year_end(2025) == date(2026, 3, 31)


def test_each_quarter_starts_on_the_first_of_its_first_month():
    assert [quarter_start(2025, q) for q in (1, 2, 3, 4)] == [
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
    ]


def test_labels_read_as_councils_write_them():
    assert year_label(2025) == "2025/26"
    assert year_label(2099) == "2099/00"
    assert year_label(2009) == "2009/10"
    assert quarter_label(2025, 1) == "Q1 2025/26"
    assert quarter_label(2026, 4) == "Q4 2026/27"


@pytest.mark.parametrize(
    "text",
    [
        "2025/26",
        "2025-26",
        "2025/2026",
        "2025-2026",
        "FY25/26",
        "fy 2025/26",
        "25/26",
        "2025",
        " 2025 / 26 ",
        "2025–26",
    ],
)
def test_the_forms_finance_spreadsheets_use_are_read(text):
    assert parse_year(text) == 2025


def test_a_year_spanning_a_century_is_read():
    assert parse_year("2099/00") == 2099


@pytest.mark.parametrize(
    "text", ["2025/27", "2025/24", "", "next year", "Q1 2025/26", "2025/26/27", "20255", "FY"]
)
def test_what_is_not_a_financial_year_is_refused(text):
    assert parse_year(text) is None
