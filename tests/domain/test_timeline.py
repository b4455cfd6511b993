"""The launch timeline: due dates, templates, RAG status and month columns."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from programme.domain.provenance import Provenance
from programme.domain.timeline import (
    AMBER_WINDOW_DAYS,
    OFFSET_UNITS,
    Offset,
    band_bounds,
    band_of,
    due_date,
    is_overdue,
    is_working_day,
    previous_working_day,
    rag_status,
    timeline_columns,
)
from programme.domain.timeline_templates import (
    TemplateError,
    TemplateItem,
    TimelineTemplate,
    load_template,
    parse_template,
)

SEED = Path(__file__).resolve().parents[2] / "seed" / "timelines" / "lancashire.toml"
LANCASHIRE_GO_LIVE = date(2021, 1, 4)


def months(n: int) -> Offset:
    return Offset(n, "months")


# --------------------------------------------------------------------------- offsets


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (Offset(8, "months"), "8 months before"),
        (Offset(1, "months"), "1 month before"),
        (Offset(2, "weeks"), "2 weeks before"),
        (Offset(1, "weeks"), "1 week before"),
        (Offset(3, "days"), "3 days before"),
        (Offset(0, "months"), "at launch"),
        (Offset(0, "days"), "at launch"),
    ],
)
def test_programme_manager_reads_offsets_in_plain_english(offset, text):
    assert offset.describe() == text


def test_offset_units_are_months_weeks_days():
    assert OFFSET_UNITS == ("months", "weeks", "days")


@pytest.mark.parametrize(("amount", "unit"), [(-1, "months"), (2, "fortnights"), (True, "days")])
def test_an_offset_cannot_be_negative_or_in_an_unknown_unit(amount, unit):
    with pytest.raises(ValueError):
        Offset(amount, unit)


# --------------------------------------------------------------------------- working days


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2025, 12, 24))
    assert not is_working_day(date(2025, 12, 25))  # Christmas Day
    assert not is_working_day(date(2025, 12, 27))  # Saturday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2020, 5, 8))  # 2020's VE Day May bank holiday
    assert is_working_day(date(2020, 5, 4))  # ...so the first Monday in May was a normal day


def test_previous_working_day_keeps_a_working_day_and_rolls_back_otherwise():
    assert previous_working_day(date(2026, 3, 4)) == date(2026, 3, 4)
    assert previous_working_day(date(2026, 3, 8)) == date(2026, 3, 6)  # Sunday -> Friday
    assert previous_working_day(date(2020, 12, 28)) == date(2020, 12, 24)  # Boxing Day observed


# --------------------------------------------------------------------------- due dates


def test_lancashire_partnership_board_is_due_eight_months_before_launch():
    # 4 May 2020 was a Monday and not a bank holiday (the May holiday moved to 8 May).
    assert due_date(LANCASHIRE_GO_LIVE, months(8)) == date(2020, 5, 4)


def test_a_milestone_falling_on_a_saturday_is_due_the_friday_before():
    assert due_date(date(2026, 2, 1), months(3)) == date(2025, 10, 31)  # 1 Nov 2025 is a Sat


def test_a_milestone_on_boxing_day_is_due_on_christmas_eve():
    assert due_date(date(2026, 1, 26), months(1)) == date(2025, 12, 24)


def test_a_milestone_on_easter_monday_rolls_back_past_good_friday():
    assert due_date(date(2026, 7, 6), months(3)) == date(2026, 4, 2)


def test_a_milestone_on_the_early_may_bank_holiday_is_due_the_friday_before():
    assert due_date(date(2026, 11, 4), months(6)) == date(2026, 5, 1)


def test_calendar_months_clamp_to_the_end_of_a_shorter_month():
    assert due_date(date(2024, 8, 31), months(6)) == date(2024, 2, 29)  # leap year, Thursday
    # 28 Feb 2026 is a Saturday, so the clamped date also rolls back to Friday.
    assert due_date(date(2026, 8, 31), months(6)) == date(2026, 2, 27)


def test_weeks_and_days_offsets_count_calendar_days():
    assert due_date(date(2026, 3, 18), Offset(2, "weeks")) == date(2026, 3, 4)
    assert due_date(date(2026, 3, 18), Offset(3, "days")) == date(2026, 3, 13)  # Sun -> Fri


def test_a_launch_milestone_is_due_on_go_live_day():
    assert due_date(LANCASHIRE_GO_LIVE, Offset(0, "months")) == LANCASHIRE_GO_LIVE


# --------------------------------------------------------------------------- templates

VALID_ITEM = """
[[items]]
workstream = "Launch"
title = "Go-live decision"
offset_amount = 0
offset_unit = "months"
source = "Test paper, 2020"
"""


def template_text(*items: str) -> str:
    return 'key = "t"\nname = "Test"\ndescription = "d"\n' + "".join(items)


def test_a_valid_template_parses_with_defaults():
    template = parse_template(template_text(VALID_ITEM))
    assert template == TimelineTemplate(
        key="t",
        name="Test",
        description="d",
        items=(
            TemplateItem(
                "Launch",
                "Go-live decision",
                Offset(0, "months"),
                provenance=Provenance("Test paper, 2020"),
            ),
        ),
    )


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (VALID_ITEM.replace('title = "Go-live decision"\n', ""), r"item 2: 'title' is missing"),
        (VALID_ITEM.replace('"months"', '"fortnights"'), r"item 2 .*'offset_unit' must be one"),
        (VALID_ITEM.replace("= 0", "= -1"), r"item 2 .*'offset_amount'"),
        (VALID_ITEM.replace("= 0", '= "3"'), r"item 2 .*'offset_amount'"),
        (VALID_ITEM.replace('workstream = "Launch"', 'workstream = " "'), r"item 2 .*workstream"),
        (VALID_ITEM + "gate_critical = 1\n", r"item 2 .*'gate_critical'"),
        (VALID_ITEM + "gate_critcal = true\n", r"item 2: unknown field.*gate_critcal"),
    ],
)
def test_a_broken_template_item_is_reported_by_number_and_field(broken, message):
    first = VALID_ITEM.replace("Go-live decision", "First")
    with pytest.raises(TemplateError, match=message):
        parse_template(template_text(first, broken))


def test_the_same_milestone_twice_in_a_workstream_is_refused():
    with pytest.raises(TemplateError, match=r"item 2 \('Go-live decision'\): duplicates item 1"):
        parse_template(template_text(VALID_ITEM, VALID_ITEM))


def test_a_template_needs_items_a_key_and_valid_toml():
    with pytest.raises(TemplateError, match="at least one"):
        parse_template(template_text())
    with pytest.raises(TemplateError, match="'key' is missing"):
        parse_template('name = "n"\n' + VALID_ITEM)
    with pytest.raises(TemplateError, match="not valid TOML"):
        parse_template("key = ")


def test_load_template_names_the_file_at_fault(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(template_text(VALID_ITEM.replace('"months"', '"years"')), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"bad\.toml: item 1"):
        load_template(path)


def test_the_lancashire_seed_has_six_workstreams_and_three_gates():
    template = load_template(SEED)
    assert template.key == "lancashire"
    assert template.name == "Lancashire 8-month launch timeline"
    assert template.workstreams() == [
        "Governance and partnership",
        "Workforce and recruitment",
        "Learning and development",
        "Policy and practice",
        "Systems and the FS Workbook",
        "Launch",
    ]
    gates = {item.title for item in template.items if item.gate_critical}
    assert gates == {
        "Partnership agreement negotiated and signed",
        "Family Safeguarding teams established",
        "FS Workbook goes live",
    }
    assert all(item.description for item in template.items)


def test_the_lancashire_seed_lands_each_milestone_in_its_own_month_column():
    template = load_template(SEED)
    columns = timeline_columns(
        LANCASHIRE_GO_LIVE,
        template.items,
        lambda item: due_date(LANCASHIRE_GO_LIVE, item.offset),
        today=date(2020, 4, 1),
    )
    for column in columns:
        assert all(item.offset.amount == column.months_before for item in column.items)
    assert sum(len(column.items) for column in columns) == len(template.items)
    launch = columns[-1]
    assert [item.title for item in launch.items] == ["Go-live decision by the operational board"]


# --------------------------------------------------------------------------- RAG

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("due", "status", "rag"),
    [
        (TODAY, "not_started", "amber"),
        (TODAY + timedelta(days=14), "not_started", "amber"),
        (TODAY + timedelta(days=15), "not_started", "green"),
        (TODAY - timedelta(days=1), "not_started", "red"),
        (TODAY - timedelta(days=1), "in_progress", "red"),
        (TODAY - timedelta(days=30), "done", "green"),
        (TODAY + timedelta(days=3), "in_progress", "green"),
        (TODAY + timedelta(days=60), "blocked", "red"),
        (None, "not_started", "green"),
        (None, "blocked", "red"),
    ],
)
def test_board_sees_red_amber_green(due, status, rag):
    assert rag_status(due, status, TODAY) == rag


def test_amber_window_is_two_weeks():
    assert AMBER_WINDOW_DAYS == 14


def test_overdue_means_past_due_and_not_done():
    assert is_overdue(TODAY - timedelta(days=1), "in_progress", TODAY)
    assert not is_overdue(TODAY, "not_started", TODAY)
    assert not is_overdue(TODAY - timedelta(days=1), "done", TODAY)
    assert not is_overdue(None, "blocked", TODAY)


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        rag_status(TODAY, "finished", TODAY)


# --------------------------------------------------------------------------- columns


def test_columns_run_from_eight_months_before_to_launch_by_default():
    columns = timeline_columns(LANCASHIRE_GO_LIVE, [], lambda item: item, today=date(2020, 9, 1))
    assert [c.months_before for c in columns] == [8, 7, 6, 5, 4, 3, 2, 1, 0]
    assert [c.label for c in columns][:2] == ["8 months before", "7 months before"]
    assert columns[-2].label == "1 month before"
    assert columns[-1].label == "Launch"


@pytest.mark.parametrize(
    "go_live", [date(2026, 3, 31), date(2026, 3, 29), date(2024, 2, 29), date(2026, 7, 6)]
)
def test_columns_tile_the_calendar_without_gaps_or_overlaps(go_live):
    # Month-end go-lives exercise anchors clamped to shorter months.
    today = go_live + timedelta(days=70)
    columns = timeline_columns(go_live, [], lambda item: item, today=today)
    assert columns[-1].months_before < 0
    for earlier, later in zip(columns, columns[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
        assert later.months_before == earlier.months_before - 1
    for column in columns:
        assert (column.start, column.end) == band_bounds(go_live, column.months_before)
        day = column.start
        while day <= column.end:
            assert band_of(go_live, day) == column.months_before
            day += timedelta(days=1)


def test_every_monthly_milestone_lands_in_its_own_column_whatever_the_go_live_date():
    go_live = date(2020, 1, 1)
    while go_live < date(2028, 1, 1):
        for k in range(13):
            assert band_of(go_live, due_date(go_live, months(k))) == k, (go_live, k)
        go_live += timedelta(days=1)


def test_an_item_rolled_back_over_easter_stays_in_its_month_column():
    go_live = date(2026, 7, 6)
    due = due_date(go_live, months(3))
    assert due == date(2026, 4, 2)  # four days earlier than go-live minus 3 months
    columns = timeline_columns(go_live, [due], lambda item: item, today=date(2026, 1, 5))
    [column] = [c for c in columns if c.items]
    assert column.label == "3 months before"
    assert column.start <= due <= column.end


def test_items_sit_in_due_date_order_and_undated_items_are_left_out():
    go_live = date(2026, 7, 6)
    later = ("later", date(2026, 4, 10))
    earlier = ("earlier", date(2026, 4, 1))
    undated = ("undated", None)
    columns = timeline_columns(go_live, [later, undated, earlier], lambda i: i[1], date(2026, 1, 5))
    placed = [item for column in columns for item in column.items]
    assert placed == [earlier, later]


def test_today_is_marked_in_exactly_one_column():
    go_live = date(2026, 7, 6)
    today = date(2026, 5, 6)
    columns = timeline_columns(go_live, [], lambda item: item, today=today)
    marked = [c for c in columns if c.contains_today]
    assert [c.label for c in marked] == ["2 months before"]


def test_columns_reach_back_to_the_earliest_item_and_to_today():
    go_live = date(2026, 7, 6)
    early = due_date(go_live, months(10))
    columns = timeline_columns(go_live, [early], lambda item: item, today=date(2026, 6, 1))
    assert columns[0].months_before == 10
    assert columns[0].items == (early,)
    columns = timeline_columns(go_live, [], lambda item: item, today=date(2025, 7, 6))
    assert columns[0].months_before == 12
    assert columns[0].contains_today


def test_months_after_go_live_appear_only_when_needed():
    go_live = date(2026, 7, 6)
    before = timeline_columns(go_live, [], lambda item: item, today=date(2026, 7, 10))
    assert before[-1].label == "Launch"
    assert before[-1].contains_today
    review = date(2026, 9, 7)
    after = timeline_columns(go_live, [review], lambda item: item, today=date(2026, 7, 10))
    assert [c.label for c in after[-3:]] == ["Launch", "1 month after", "2 months after"]
    assert after[-1].items == (review,)


def test_go_live_day_item_lands_in_the_launch_column():
    columns = timeline_columns(
        LANCASHIRE_GO_LIVE, [LANCASHIRE_GO_LIVE], lambda item: item, today=date(2020, 6, 1)
    )
    assert columns[-1].label == "Launch"
    assert columns[-1].items == (LANCASHIRE_GO_LIVE,)
    assert columns[-1].start <= LANCASHIRE_GO_LIVE <= columns[-1].end
