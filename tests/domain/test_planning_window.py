from datetime import date

from programme.domain.planning_window import due_date_problem, go_live_problem


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
