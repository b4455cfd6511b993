"""Moving a date by whole working days (weekends and England-and-Wales bank holidays skipped)."""

from datetime import date

import pytest

from programme.domain.timeline import add_working_days


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        # Thursday 24 Dec 2026: Christmas (Fri), the weekend and Boxing Day's substitute (Mon 28)
        # are skipped.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        # Back across the same holidays.
        (date(2026, 12, 29), -1, date(2026, 12, 24)),
        # Across New Year's Day 2027 (a Friday) and the weekend.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # Five working days back from a Friday is the Friday before.
        (date(2026, 12, 4), -5, date(2026, 11, 27)),
        # Easter 2027: Good Friday 26 Mar and Easter Monday 29 Mar.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        (date(2027, 3, 30), -1, date(2027, 3, 25)),
    ],
)
def test_adding_working_days_skips_weekends_and_bank_holidays(day, n, expected):
    assert add_working_days(day, n) == expected


def test_adding_no_working_days_keeps_the_day_even_on_a_weekend():
    assert add_working_days(date(2026, 12, 5), 0) == date(2026, 12, 5)


def test_from_a_weekend_the_next_working_day_is_one_working_day_on():
    assert add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 5), -1) == date(2026, 12, 4)
