"""A session's sign-in sheet: who is on it, the workbook's columns and print set-up, and the round
trip: the downloaded workbook, its Attendance column filled in, imports through the attendance
import and records exactly what was written."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.sign_in_sheet import COLUMNS, WALK_IN_ROWS
from programme.domain.sign_in_sheet_xlsx import header_row
from programme.domain.spreadsheet_files import DEFAULT_LIMITS
from programme.extensions import db
from programme.models import Attendance
from programme.services.attendance_import import ATTENDANCE
from programme.services.errors import NotFound
from programme.services.training import catalogue, enrolment, sign_in_sheets
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY

NAMES = ("Priya Okafor", "Tomasz Nowak", "Eilidh Grant", "Ruairi Byrne")


@pytest.fixture
def setting(app):
    """MI module 2 held a week ago at a community hall, four people enrolled, one not."""
    programme = create_programme("Kestrel Vale Family Safeguarding", "kestrel-vale")
    locality = create_locality(programme, name="Marshford")
    harbour = create_team(locality, name="Harbour Team")
    quay = create_team(locality, name="Quayside Team")
    people = [
        create_staff(
            harbour if n % 2 else quay,
            "social_worker" if n < 3 else "team_manager",
            name=name,
            email=f"{name.split()[0].lower()}@kestrel.example",
        )
        for n, name in enumerate(NAMES)
    ]
    walker = create_staff(harbour, name="Wanda Stroud", email="wanda@kestrel.example")
    trainer = create_user("trainer", name="Morag Fairlie")
    session = create_session(
        catalogue.get_course(programme, "mi"),
        2,
        TODAY - timedelta(days=7),
        venue="Larkfield Community Hall",
        starts_at=time(9, 30),
        trainer=trainer,
    )
    enrolment.enrol(session, [person.id for person in people], None)
    return programme, session, people, walker


def _sheet_rows(data: bytes, sheet) -> list[dict]:
    worksheet = load_workbook(io.BytesIO(data)).active
    first = header_row(sheet)
    headers = [cell.value for cell in worksheet[first]]
    return [
        dict(zip(headers, (cell.value for cell in row), strict=True))
        for row in worksheet.iter_rows(min_row=first + 1)
    ]


def _fill(data: bytes, sheet, marks: dict[str, str], walk_ins: list[dict] = ()) -> bytes:
    """The workbook with `marks` (name -> what the trainer wrote) in its Attendance column, and
    each of `walk_ins` (column -> value) on a blank row, as a trainer would fill it in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    worksheet = workbook.active
    first = header_row(sheet)
    column = {header: index for index, header in enumerate(COLUMNS, start=1)}
    for row in range(first + 1, first + 1 + len(sheet.people)):
        name = worksheet.cell(row, column["Name"]).value
        if name in marks:
            worksheet.cell(row, column["Attendance"]).value = marks[name]
    for offset, values in enumerate(walk_ins, start=1):
        row = first + len(sheet.people) + offset
        for header, value in values.items():
            worksheet.cell(row, column[header]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _statuses(session) -> dict[str, tuple[str | None, bool]]:
    db.session.expire_all()
    return {
        place.staff.name: (place.status, place.walk_in)
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }


# ------------------------------------------------------------------ the sheet


def test_the_sheet_lists_everyone_enrolled_by_name_with_the_session_particulars(setting):
    programme, session, _people, _walker = setting

    sheet = sign_in_sheets.sign_in_sheet(programme, session)

    assert [person.name for person in sheet.people] == sorted(NAMES)
    assert {(p.name, p.team, p.role) for p in sheet.people} >= {
        ("Priya Okafor", "Quayside Team", "Social worker"),
        ("Tomasz Nowak", "Harbour Team", "Social worker"),
    }
    assert sheet.title == "Motivational Interviewing, module 2: " + session.module.title
    assert dict(sheet.details) == {
        "Programme": "Kestrel Vale Family Safeguarding",
        "Date": "23 Nov 2026",
        "Start time": "09:30",
        "Venue": "Larkfield Community Hall",
        "Trainer": "Morag Fairlie",
    }
    assert sheet.walk_in_rows == WALK_IN_ROWS == 6


def test_a_cancelled_session_has_no_sheet(setting):
    programme, session, _people, _walker = setting
    session.cancelled_at = utc_now()
    db.session.commit()

    with pytest.raises(NotFound):
        sign_in_sheets.sign_in_sheet(programme, session)
    with pytest.raises(NotFound):
        sign_in_sheets.workbook(programme, session)


# ------------------------------------------------------------------ the workbook


def test_the_workbook_has_the_import_s_columns_a_row_per_person_and_blank_walk_in_rows(setting):
    programme, session, _people, _walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)

    data, filename = sign_in_sheets.workbook(programme, session)

    assert filename == "sign-in-mi-module-2-2026-11-23.xlsx"
    rows = _sheet_rows(data, sheet)
    assert list(rows[0]) == list(COLUMNS)
    people, blanks = rows[: len(NAMES)], rows[len(NAMES) :]
    assert [row["Name"] for row in people] == sorted(NAMES)
    priya = next(row for row in people if row["Name"] == "Priya Okafor")
    assert priya["E-mail"] == "priya@kestrel.example"
    assert priya["Course"] == "Motivational Interviewing"
    assert priya["Module"] == 2
    assert priya["Session date"].date() == session.on
    assert priya["Attendance"] is None
    assert len(blanks) == WALK_IN_ROWS
    assert all(value is None for row in blanks for value in row.values())


def test_the_workbook_prints_on_a4_portrait_one_page_wide_with_the_headings_on_every_page(
    setting,
):
    programme, session, _people, _walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)

    worksheet = load_workbook(io.BytesIO(sign_in_sheets.workbook(programme, session)[0])).active

    first = header_row(sheet)
    assert worksheet.page_setup.orientation == "portrait"
    assert worksheet.page_setup.paperSize == 9  # A4
    assert worksheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight) == (1, 0)
    assert worksheet.print_title_rows == f"${first}:${first}"
    assert worksheet.freeze_panes == f"A{first + 1}"
    assert worksheet.row_dimensions[first + 1].height >= 30  # room to sign
    assert worksheet["A1"].value == f"Sign-in sheet: {sheet.title}"
    assert any(
        cell.value == "Larkfield Community Hall" for row in worksheet.iter_rows() for cell in row
    )


def test_a_name_that_looks_like_a_formula_is_written_as_text(setting):
    programme, session, _people, _walker = setting
    team = create_team(create_locality(programme, name="Ottermere"), name="=HYPERLINK(1)")
    sly = create_staff(team, name="=1+2 Mallory", email="mallory@kestrel.example")
    enrolment.enrol(session, [sly.id], None)

    data = sign_in_sheets.workbook(programme, session)[0]

    worksheet = load_workbook(io.BytesIO(data)).active
    cells = [
        cell
        for row in worksheet.iter_rows()
        for cell in row
        if cell.value
        in (
            "=1+2 Mallory",
            "=HYPERLINK(1)",
        )
    ]
    assert len(cells) == 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


# ------------------------------------------------------------------ the round trip


def test_the_sheet_filled_in_imports_and_records_exactly_what_was_written(setting):
    programme, session, _people, walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)
    data = sign_in_sheets.workbook(programme, session)[0]
    filled = _fill(
        data,
        sheet,
        {
            "Priya Okafor": "Present",
            "Tomasz Nowak": "Absent",
            "Eilidh Grant": "Late",
            "Ruairi Byrne": "✓",
        },
        # A walk-in on the first blank row, written as the sheet asks; the other five stay blank.
        walk_ins=[
            {
                "Name": "Wanda Stroud",
                "E-mail": "wanda@kestrel.example",
                "Attendance": "LE",
                "Course": "Motivational Interviewing",
                "Module": 2,
                "Session date": session.on,
            }
        ],
    )

    plan = ATTENDANCE.import_file(
        programme,
        filled,
        "signed-in.xlsx",
        create_user("trainer"),
        today=TODAY,
        limits=DEFAULT_LIMITS,
    )

    assert (plan.count("created"), plan.count("rejected")) == (5, 0)
    assert _statuses(session) == {
        "Priya Okafor": ("present", False),
        "Tomasz Nowak": ("absent", False),
        "Eilidh Grant": ("late", False),
        "Ruairi Byrne": ("present", False),
        walker.name: ("left_early", True),
    }


def test_the_sheet_downloaded_again_and_changed_updates_only_the_changed_mark(setting):
    programme, session, _people, _walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)
    marks = dict.fromkeys(NAMES, "P")
    ATTENDANCE.import_file(
        programme,
        _fill(sign_in_sheets.workbook(programme, session)[0], sheet, marks),
        "first.xlsx",
        None,
        today=TODAY,
        limits=DEFAULT_LIMITS,
    )

    again = _fill(
        sign_in_sheets.workbook(programme, session)[0], sheet, {**marks, "Eilidh Grant": "A"}
    )
    plan = ATTENDANCE.import_file(
        programme, again, "second.xlsx", None, today=TODAY, limits=DEFAULT_LIMITS
    )

    assert (plan.count("updated"), plan.count("unchanged")) == (1, 3)
    assert _statuses(session)["Eilidh Grant"] == ("absent", False)


def test_a_sheet_with_an_unmarked_person_imports_nothing_and_says_who(setting):
    programme, session, _people, _walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)
    marks = {name: "Present" for name in NAMES if name != "Tomasz Nowak"}

    plan = ATTENDANCE.import_file(
        programme,
        _fill(sign_in_sheets.workbook(programme, session)[0], sheet, marks),
        "half.xlsx",
        None,
        today=TODAY,
        limits=DEFAULT_LIMITS,
    )

    [error] = plan.errors
    assert error.column == "Attendance"
    assert "Say whether they attended" in error.message
    assert {status for status, _walk_in in _statuses(session).values()} == {None}


def test_a_walk_in_not_on_the_staff_list_refuses_the_file_as_the_sheet_warns(setting):
    programme, session, _people, _walker = setting
    sheet = sign_in_sheets.sign_in_sheet(programme, session)
    filled = _fill(
        sign_in_sheets.workbook(programme, session)[0],
        sheet,
        dict.fromkeys(NAMES, "Present"),
        walk_ins=[
            {
                "Name": "Stranger Danvers",
                "Attendance": "Present",
                "Course": "Motivational Interviewing",
                "Module": 2,
                "Session date": session.on,
            }
        ],
    )

    plan = ATTENDANCE.import_file(
        programme, filled, "stranger.xlsx", None, today=TODAY, limits=DEFAULT_LIMITS
    )

    [error] = plan.errors
    assert "There is no one called “Stranger Danvers” in the programme." in error.message
    assert {status for status, _walk_in in _statuses(session).values()} == {None}
    assert any("staff list" in line for line in load_instructions(filled))


def load_instructions(data: bytes) -> list[str]:
    worksheet = load_workbook(io.BytesIO(data)).active
    return [
        str(cell.value) for row in worksheet.iter_rows(max_row=12) for cell in row if cell.value
    ]
