"""The house style for dates, times, shares, counts and people, without an app."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from programme.domain.formatting import (
    clock_time,
    count,
    count_of,
    date_time,
    file_size,
    fte,
    listed,
    long_date,
    money,
    number,
    numeric_date,
    percent,
    person,
    relative_days,
    share_text,
    short_date,
)
from programme.domain.recruitment import Share

LONDON = ZoneInfo("Europe/London")
LANCASHIRE_LAUNCH = date(2021, 1, 4)


# --- dates and times


def test_a_date_reads_day_month_year_without_a_leading_zero():
    assert short_date(LANCASHIRE_LAUNCH) == "4 Jan 2021"


@pytest.mark.parametrize("day", [date(2027, 1, 11), date(2027, 9, 30), date(2026, 12, 1)])
def test_there_is_one_date_format_whichever_function_is_called(day):
    # 11 Jan 2027 on a table, in a sentence and in a message alike; long_date only says
    # "Not set" instead of a dash when there is no date.
    assert long_date(day) == short_date(day) == f"{day.day} {day:%b %Y}"
    assert long_date(day) != numeric_date(day)


def test_no_date_reads_not_set_in_full_and_a_dash_in_a_table():
    assert long_date(None) == "Not set"
    assert short_date(None) == "—"
    assert long_date(None, missing="No date") == "No date"


def test_a_recorded_moment_falls_on_the_day_it_was_where_users_live():
    half_past_eleven_utc = datetime(2026, 6, 30, 23, 30)  # naive, as SQLite returns it
    assert short_date(half_past_eleven_utc, LONDON) == "1 Jul 2026"
    assert long_date(half_past_eleven_utc, LONDON) == "1 Jul 2026"


def test_a_moment_is_shown_in_the_programme_time_zone():
    summer = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    winter = datetime(2026, 12, 1, 9, 5)  # naive UTC; London is on GMT
    assert date_time(summer, LONDON) == "1 Jul 2026, 00:30"
    assert date_time(winter, LONDON) == "1 Dec 2026, 09:05"
    assert date_time(None, LONDON) == ""


def test_a_time_of_day_is_on_the_24_hour_clock():
    assert clock_time(time(9, 30)) == "09:30"
    assert clock_time(time(14, 0)) == "14:00"
    assert clock_time(None) == "—"


def test_a_spreadsheet_cell_date_is_read_as_the_spreadsheet_writes_it():
    assert numeric_date(LANCASHIRE_LAUNCH) == "04/01/2021"


@pytest.mark.parametrize(
    ("days", "words"),
    [(12, "in 12 days"), (1, "in 1 day"), (0, "today"), (-1, "1 day ago"), (-3, "3 days ago")],
)
def test_days_to_a_day_read_as_words(days, words):
    assert relative_days(days) == words


# --- percentages and shares


def test_seven_of_ten_is_seventy_percent():
    assert percent(Share(7, 10)) == "70%"
    assert share_text(Share(7, 10)) == "70% (7 of 10)"


def test_a_share_short_of_a_threshold_never_shows_it_reached():
    # 69 of 99 is 69.69...%: rounding to nearest would show 70%, the gate's threshold.
    assert percent(Share(69, 99)) == "69%"
    assert percent(Share(2, 3)) == "66%"
    assert share_text(Share(5, 6)) == "83% (5 of 6)"


def test_a_percentage_is_a_whole_number_everywhere_it_is_read():
    # One rule: no decimal places on a page, in a message or in the CLI's words ("83%", never
    # "83.3%"); only exports hold the exact fraction.
    with pytest.raises(TypeError):
        percent(Share(1, 3), places=1)
    with pytest.raises(TypeError):
        share_text(Share(1, 3), places=1)
    assert share_text(Share(1, 3)) == "33% (1 of 3)"


def test_a_share_reads_as_the_recruitment_page_and_the_gate_always_showed_it():
    for denominator in range(1, 101):
        for numerator in range(denominator + 1):
            share = Share(numerator, denominator)
            assert percent(share) == f"{share.whole_percent}%"
            tenths = 1000 * numerator // denominator  # CriterionResult.actual's arithmetic
            actual = tenths // 10 if tenths % 10 == 0 else tenths / 10
            # A stored reading (to tenths) reads as the live share does.
            assert percent(actual) == percent(share)


def test_a_share_of_nothing_has_no_percentage():
    assert percent(Share(0, 0)) == "—"
    assert share_text(Share(0, 0)) == "Nothing to count"
    assert share_text(Share(0, 0), nothing="No relevant staff") == "No relevant staff"


def test_a_number_already_worked_out_is_rounded_down_the_same_way():
    assert percent(70) == "70%"
    assert percent(66.6) == "66%"
    assert percent(69.9) == "69%"
    assert percent(70.0) == "70%"
    assert percent(None) == "—"


def test_the_count_behind_a_share_has_thousands_separators():
    assert count_of(Share(1200, 1500)) == "1,200 of 1,500"


# --- counts and numbers


@pytest.mark.parametrize(
    ("amount", "words"), [(0, "0 posts"), (1, "1 post"), (3, "3 posts"), (1500, "1,500 posts")]
)
def test_a_count_takes_the_plural_except_for_one(amount, words):
    assert count(amount, "post") == words


def test_an_irregular_plural_is_given():
    assert count(1, "person", "people") == "1 person"
    assert count(2, "person", "people") == "2 people"


def test_a_number_has_thousands_separators_and_no_trailing_zeros():
    assert number(5000) == "5,000"
    assert number(10.0, places=1) == "10"
    assert number(2.5, places=1) == "2.5"
    assert number(2.25, places=1) == "2.2"  # round half to even, as Python does


def test_money_shows_pence_only_when_there_are_some():
    assert money(600_000) == "£6,000"
    assert money(42_857) == "£428.57"
    assert money(5) == "£0.05"
    assert money(None) == "—"


def test_full_time_equivalence_drops_trailing_zeros():
    assert fte(1.0) == "1"
    assert fte(0.5) == "0.5"


# --- people


def test_a_person_is_named_with_what_tells_them_apart():
    assert person("Ann Lee") == "Ann Lee"
    assert person("Ann Lee", "Board member") == "Ann Lee (Board member)"
    assert person("Ann Lee", "ann@example.org") == "Ann Lee (ann@example.org)"
    assert person("Ann Lee", "Trainer", "ann@example.org") == "Ann Lee (Trainer, ann@example.org)"
    assert person("Ann Lee", None, "") == "Ann Lee"


@pytest.mark.parametrize(
    ("items", "sentence"),
    [([], ""), (["1"], "1"), (["1", "2"], "1 and 2"), (["1", "2", "3"], "1, 2 and 3")],
)
def test_items_are_listed_as_a_sentence(items, sentence):
    assert listed(items) == sentence


@pytest.mark.parametrize(
    ("size", "words"),
    [(900, "900 bytes"), (1, "1 byte"), (35_221, "34 KB"), (10 * 1024 * 1024, "10 MB")],
)
def test_a_file_size_reads_in_the_unit_people_use(size, words):
    assert file_size(size) == words
