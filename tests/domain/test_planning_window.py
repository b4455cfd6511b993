from datetime import date

from programme.domain.planning_window import (
    due_date_problem,
    go_live_problem,
    programme_due_date_problem,
)


def test_a_go_live_date_this_century_is_accepted():
    assert go_live_problem(date(2027, 4, 6)) is None
    assert go_live_problem(date(2000, 1, 1)) is None
    assert go_live_problem(date(2099, 12, 31)) is None


def test_a_mistyped_go_live_year_is_refused_with_the_range():
    assert "between 2000 and 2099" in go_live_problem(date(1, 1, 1))
    assert "between 2000 and 2099" in go_live_problem(date(9999, 12, 31))


def test_a_due_date_within_five_years_of_go_live_is_accepted():
    go_live = date(2027, 4, 6)
    assert due_date_problem(date(2026, 8, 6), go_live) is None
    assert due_date_problem(date(2022, 4, 1), go_live) is None
    assert due_date_problem(date(2032, 4, 28), go_live) is None


def test_a_due_date_years_away_from_go_live_is_refused():
    go_live = date(2027, 4, 6)
    assert "within 5 years" in due_date_problem(date(1, 1, 1), go_live)
    assert "within 5 years" in due_date_problem(date(2040, 1, 1), go_live)


def test_a_leap_day_go_live_still_has_a_window():
    assert due_date_problem(date(2028, 2, 29), date(2028, 2, 29)) is None


def test_a_programme_wide_due_date_is_within_five_years_of_its_localities_go_live_dates():
    go_lives = [date(2027, 1, 11), date(2028, 6, 5)]
    assert programme_due_date_problem(date(2022, 1, 1), go_lives) is None
    assert programme_due_date_problem(date(2033, 6, 28), go_lives) is None
    assert "5 years" in programme_due_date_problem(date(207, 1, 31), go_lives)
    assert "11 Jan 2027 to 5 Jun 2028" in programme_due_date_problem(date(2034, 1, 1), go_lives)
    assert "(11 Jan 2027)" in programme_due_date_problem(date(2040, 1, 1), [date(2027, 1, 11)])


def test_a_programme_without_localities_takes_any_plausible_year():
    assert programme_due_date_problem(date(2027, 1, 31), []) is None
    assert "between 2000 and 2099" in programme_due_date_problem(date(207, 1, 31), [])
