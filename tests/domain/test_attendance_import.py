"""Planning an attendance import from plain values: people, sessions and what they attended."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from programme.domain.attendance_import import plan_import
from programme.domain.attendance_lookups import (
    CourseRef,
    Place,
    SessionRef,
    StaffRef,
    build_lookups,
)
from programme.domain.imports import resolve_mapping
from programme.domain.sign_in_sheets import FIELDS, parse_attendance
from programme.domain.spreadsheet import SheetRow, Table
from programme.domain.training import AttendanceStatus

TODAY = date(2026, 11, 30)
MI, FS = 1, 2
MI_1, MI_2, MI_2_LATER, MI_3_FUTURE = 101, 102, 103, 104
FS_2_MORNING, FS_2_AFTERNOON = 201, 202
ANN, SAM_IN_BRIDGWATER, SAM_IN_TAUNTON, ZOE = 1, 2, 3, 4

LOOKUPS = build_lookups(
    [
        CourseRef(MI, "mi", "Motivational Interviewing", (1, 2, 3, 4)),
        CourseRef(FS, "fs_workshops", "FS practice and change workshops", (1, 2, 3, 4)),
    ],
    [
        SessionRef(MI_1, MI, 1, date(2026, 3, 2)),
        SessionRef(MI_2, MI, 2, date(2026, 3, 6)),
        SessionRef(MI_2_LATER, MI, 2, date(2026, 3, 20)),
        SessionRef(MI_3_FUTURE, MI, 3, date(2026, 12, 7)),
        SessionRef(FS_2_MORNING, FS, 2, date(2026, 3, 12)),
        SessionRef(FS_2_AFTERNOON, FS, 2, date(2026, 3, 12)),
    ],
    [
        StaffRef(ANN, "Ann Lee", "ann.lee@example.org", "Bridgwater FS Team"),
        StaffRef(SAM_IN_BRIDGWATER, "Sam Patel", "sam.patel@example.org", "Bridgwater FS Team"),
        StaffRef(SAM_IN_TAUNTON, "Sam Patel", "s.patel@example.org", "Taunton FS Team"),
        StaffRef(ZOE, "Zoë Brontë", "zoe.bronte@example.org", "Taunton FS Team"),
    ],
)
HEADERS = ("Course", "Module", "Session date", "Email", "Name", "Attended")
A_ROW = {
    "Course": "MI",
    "Module": 2,
    "Session date": "06/03/2026",
    "Email": "ann.lee@example.org",
    "Attended": "Y",
}


def row(**cells) -> tuple:
    """A row for Ann Lee present at MI module 2 on 06/03/2026; keywords change its cells."""
    values = {**A_ROW, **{name.replace("_", " ").capitalize(): v for name, v in cells.items()}}
    return tuple(values.get(header) for header in HEADERS)


def plan(*rows: tuple, places: tuple[Place, ...] = (), headers: tuple[str, ...] = HEADERS):
    """The plan for a file whose header is on row 1 and whose rows start on row 2."""
    table = Table(headers, 1, [SheetRow(n, cells) for n, cells in enumerate(rows, start=2)], None)
    asked: list[list[int]] = []

    def places_for(session_ids):
        asked.append(list(session_ids))
        return [place for place in places if place.session_id in session_ids]

    result = plan_import(table, resolve_mapping(FIELDS, headers), LOOKUPS, places_for, TODAY)
    assert len(asked) == 1  # the places are fetched once, whatever the number of rows
    return result


def only_error(row_plan) -> tuple[str, str]:
    assert row_plan.action == "rejected"
    [error] = row_plan.errors
    return error.column, error.message


def enrolled(place_id: int, session_id: int, staff_id: int, status: str | None = None) -> Place:
    return Place(place_id, session_id, staff_id, status)


# ------------------------------------------------------------------ attended yes/no and synonyms


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Y", "present"),
        ("yes", "present"),
        ("Present", "present"),
        ("attended", "present"),
        ("✓", "present"),
        (True, "present"),
        (1, "present"),
        ("Late", "late"),
        ("arrived late", "late"),
        ("Left early", "left_early"),
        ("left-early", "left_early"),
        ("N", "absent"),
        ("No", "absent"),
        ("absent", "absent"),
        ("did not attend", "absent"),
        ("Didn't attend", "absent"),
        ("DNA", "absent"),
        ("Apologies", "absent"),
        (False, "absent"),
        # Matched by their words, as every import matches names (domain/vocabulary.py).
        ("Sent Apology", "absent"),
        ("Late Arrivals", "late"),
        ("Left before end", "left_early"),
    ],
)
def test_attendance_is_read_from_yes_no_and_what_sign_in_sheets_write(written, status):
    assert parse_attendance(written) == AttendanceStatus(status)


def test_an_unknown_attendance_is_refused_with_the_nearest_word():
    with pytest.raises(ValueError) as caught:
        parse_attendance("Presnt")

    assert str(caught.value) == (
        "“Presnt” is not an attendance: use yes, no, late, left early or absent. "
        "Did you mean “present”?"
    )


def test_a_blank_attendance_is_refused_rather_than_guessed():
    [outcome] = plan(row(attended=None)).rows

    assert only_error(outcome) == (
        "Attended",
        "Say whether they attended: use yes, no, late, left early or absent.",
    )


# ------------------------------------------------------------------ created, updated, unchanged


def test_a_person_enrolled_but_not_yet_marked_has_their_attendance_created():
    [outcome] = plan(row(), places=(enrolled(9, MI_2, ANN),)).rows

    assert (outcome.action, outcome.target_id) == ("created", 9)
    assert outcome.values == {"session_id": MI_2, "staff_id": ANN, "status": "present"}
    assert outcome.label == "Ann Lee · Motivational Interviewing module 2 · 6 Mar 2026"


def test_a_person_not_enrolled_is_added_as_a_walk_in():
    [outcome] = plan(row(attended="late")).rows

    assert (outcome.action, outcome.target_id) == ("created", None)
    assert outcome.values == {
        "session_id": MI_2,
        "staff_id": ANN,
        "status": "late",
        "walk_in": True,
    }
    assert outcome.label.endswith("· walk-in")


def test_a_different_attendance_updates_the_one_recorded():
    [outcome] = plan(row(attended="DNA"), places=(enrolled(9, MI_2, ANN, "present"),)).rows

    assert (outcome.action, outcome.target_id) == ("updated", 9)
    assert outcome.changes == {"status": ("present", "absent")}


def test_the_same_attendance_as_recorded_changes_nothing():
    result = plan(row(attended="yes"), places=(enrolled(9, MI_2, ANN, "present"),))

    [outcome] = result.rows
    assert (outcome.action, outcome.changes) == ("unchanged", {})
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_the_preview_describes_the_values_in_words():
    result = plan(row())

    assert result.describe("status", "left_early") == "Left early"
    assert result.describe("status", None) == "(not recorded)"
    assert result.describe("session_id", MI_2) == "Motivational Interviewing module 2 · 6 Mar 2026"
    assert result.describe("staff_id", ZOE) == "Zoë Brontë"


# ------------------------------------------------------------------ people


def test_an_unknown_e_mail_is_refused_with_the_nearest_address():
    [outcome] = plan(row(email="ann.leigh@example.org")).rows

    assert only_error(outcome) == (
        "Email",
        "There is no one with the e-mail “ann.leigh@example.org” in the programme. "
        "Did you mean “ann.lee@example.org”?",
    )


def test_an_unknown_e_mail_beside_a_known_name_suggests_that_person_s_address():
    [outcome] = plan(row(email="zbronte@gmail.com", name="Zoë Brontë")).rows

    assert only_error(outcome)[1].endswith("Did you mean “zoe.bronte@example.org”?")


def test_an_e_mail_is_matched_whatever_its_case_and_spaces():
    [outcome] = plan(row(email="  Ann.Lee@Example.ORG ")).rows

    assert outcome.values["staff_id"] == ANN


def test_something_other_than_an_e_mail_in_the_e_mail_column_is_refused():
    [outcome] = plan(row(email="Ann Lee")).rows

    assert only_error(outcome) == ("Email", "“ann lee” is not an e-mail address.")


def test_a_name_is_used_when_only_one_person_in_the_programme_has_it():
    [outcome] = plan(row(email=None, name="zoe bronte")).rows

    assert outcome.action == "created"
    assert outcome.values["staff_id"] == ZOE


def test_a_name_two_people_share_is_refused_asking_for_the_e_mail():
    [outcome] = plan(row(email=None, name="Sam Patel")).rows

    assert only_error(outcome) == (
        "Name",
        "2 people in the programme are called “Sam Patel” (Bridgwater FS Team and Taunton FS "
        "Team); give their e-mail address instead.",
    )


def test_an_unknown_name_is_refused_with_the_nearest_name():
    [outcome] = plan(row(email=None, name="Anne Lee")).rows

    assert only_error(outcome) == (
        "Name",
        "There is no one called “Anne Lee” in the programme. Did you mean “Ann Lee”?",
    )


def test_a_row_without_an_e_mail_or_a_name_is_refused():
    [outcome] = plan(row(email=None)).rows

    assert only_error(outcome) == ("Email", "Give the person's e-mail address or name.")


def test_a_file_with_neither_an_e_mail_nor_a_name_column_says_so():
    headers = ("Course", "Module", "Session date", "Attended")

    [outcome] = plan(("MI", 2, "06/03/2026", "Y"), headers=headers).rows

    assert only_error(outcome) == (
        "E-mail",
        "The file has no column for the person's e-mail address or name.",
    )


# ------------------------------------------------------------------ courses, modules and sessions


@pytest.mark.parametrize(
    "written", ["MI", "mi", "Motivational Interviewing", "motivational-interviewing"]
)
def test_a_course_is_found_by_its_key_or_its_name(written):
    [outcome] = plan(row(course=written)).rows

    assert outcome.values["session_id"] == MI_2


@pytest.mark.parametrize(
    "written",
    [
        "Family Safeguarding practice and change workshops",
        "FS Practice & Change Workshop",
        "Family Safeguarding Workshops",  # the course's key, in words
    ],
)
def test_a_course_is_found_by_the_words_of_its_name_or_key(written):
    morning = enrolled(1, FS_2_MORNING, ANN)

    [outcome] = plan(
        row(course=written, module=2, session_date="12/03/2026"), places=(morning,)
    ).rows

    assert outcome.values["session_id"] == FS_2_MORNING


def test_a_course_name_two_courses_share_is_refused_naming_both():
    lookups = build_lookups(
        [
            CourseRef(MI, "mi", "Motivational Interviewing", (1,)),
            CourseRef(FS, "mi_refresher", "MI", (1,)),
        ],
        [],
        [],
    )
    table = Table(HEADERS, 1, [SheetRow(2, row(course="motivational interviewing"))], None)

    result = plan_import(table, resolve_mapping(FIELDS, HEADERS), lookups, lambda ids: [], TODAY)

    first = result.rows[0].errors[0]  # the e-mail is unknown too: this programme has no staff
    assert (first.column, first.message) == (
        "Course",
        "The course “motivational interviewing” is ambiguous: it matches both "
        "“Motivational Interviewing” and “MI”.",
    )


def test_an_unknown_course_is_refused_with_the_nearest_one():
    [outcome] = plan(row(course="Motivational Interveiwing")).rows

    assert only_error(outcome) == (
        "Course",
        "There is no course “Motivational Interveiwing”. Did you mean “Motivational Interviewing”?",
    )


def test_a_course_like_no_other_is_refused_listing_the_courses():
    [outcome] = plan(row(course="Signs of Safety")).rows

    assert only_error(outcome) == (
        "Course",
        "There is no course “Signs of Safety”. The courses are “Motivational Interviewing” (mi) "
        "and “FS practice and change workshops” (fs_workshops).",
    )


@pytest.mark.parametrize("written", [2, 2.0, "2", "Module 2", "Day 2: focusing and evoking"])
def test_a_module_number_is_read_however_it_is_written(written):
    [outcome] = plan(row(module=written)).rows

    assert outcome.values["session_id"] == MI_2


def test_a_module_the_course_does_not_have_is_refused():
    [outcome] = plan(row(module=7)).rows

    assert only_error(outcome) == (
        "Module",
        "Motivational Interviewing has modules 1, 2, 3 and 4; there is no module 7.",
    )


@pytest.mark.parametrize("written", [date(2026, 3, 6), datetime(2026, 3, 6, 9, 30), "6 March 2026"])
def test_a_session_date_is_read_from_excel_dates_and_uk_text(written):
    [outcome] = plan(row(session_date=written)).rows

    assert outcome.values["session_id"] == MI_2


def test_a_us_date_is_refused():
    [outcome] = plan(row(session_date="03/13/2026")).rows

    assert only_error(outcome) == ("Session date", "“03/13/2026” is not a date: use dd/mm/yyyy")


def test_an_unknown_session_is_refused_naming_the_nearest_date_of_that_module():
    [outcome] = plan(row(session_date="05/03/2026")).rows

    assert only_error(outcome) == (
        "Session date",
        "There is no Motivational Interviewing module 2 session on 5 Mar 2026; there is one on "
        "6 Mar 2026.",
    )


def test_an_unknown_session_also_names_another_module_held_that_day():
    [outcome] = plan(row(session_date="02/03/2026")).rows

    assert only_error(outcome)[1] == (
        "There is no Motivational Interviewing module 2 session on 2 Mar 2026; there is one on "
        "6 Mar 2026, and a module 1 session on 2 Mar 2026."
    )


def test_a_module_never_scheduled_is_refused_saying_so():
    [outcome] = plan(row(module=4, session_date="10/03/2026")).rows

    assert only_error(outcome)[1] == (
        "There is no Motivational Interviewing module 4 session on 10 Mar 2026; none has been "
        "scheduled."
    )


def test_a_session_still_to_come_is_refused():
    [outcome] = plan(row(module=3, session_date="07/12/2026")).rows

    assert only_error(outcome) == (
        "Session date",
        "The session on 7 Dec 2026 has not happened yet; import its register on or after the day.",
    )


def test_of_two_sessions_on_one_day_the_one_the_person_is_enrolled_on_is_used():
    places = (enrolled(9, FS_2_AFTERNOON, ANN),)

    [outcome] = plan(row(course="FS workshops", session_date="12/03/2026"), places=places).rows

    assert (outcome.action, outcome.target_id) == ("created", 9)
    assert outcome.values["session_id"] == FS_2_AFTERNOON


def test_of_two_sessions_on_one_day_neither_is_guessed_for_someone_not_enrolled():
    [outcome] = plan(row(course="FS workshops", session_date="12/03/2026")).rows

    assert only_error(outcome) == (
        "Session date",
        "There are 2 FS practice and change workshops module 2 sessions on 12 Mar 2026 and Ann "
        "Lee is enrolled on neither; record their attendance on the session's page.",
    )


# ------------------------------------------------------------------ the file as a whole


def test_one_person_twice_at_one_session_rejects_both_rows():
    result = plan(
        row(),
        row(email="zoe.bronte@example.org"),
        row(email=None, name="Ann Lee", attended="N"),
    )

    assert [(r.row, r.action) for r in result.rows] == [
        (2, "rejected"),
        (3, "created"),
        (4, "rejected"),
    ]
    assert only_error(result.rows[0]) == (
        "Email",
        "Ann Lee is on rows 2 and 4 for Motivational Interviewing module 2 · 6 Mar 2026; each "
        "person may appear once per session.",
    )
    assert only_error(result.rows[2])[0] == "Name"


def test_one_person_at_two_sessions_is_two_rows():
    result = plan(row(), row(session_date="20/03/2026"))

    assert [r.values["session_id"] for r in result.rows] == [MI_2, MI_2_LATER]


def test_every_problem_of_a_row_is_reported_each_in_its_column():
    [outcome] = plan(row(course="MX", session_date="someday", email="nobody@example.org")).rows

    assert [error.column for error in outcome.errors] == ["Course", "Session date", "Email"]
    assert outcome.label == "nobody@example.org"


def test_planning_the_same_rows_twice_gives_the_same_fingerprint():
    places = (enrolled(9, MI_2, ANN),)

    assert plan(row(), places=places).fingerprint() == plan(row(), places=places).fingerprint()
    assert (
        plan(row(), places=places).fingerprint()
        != plan(row(), places=(enrolled(9, MI_2, ANN, "present"),)).fingerprint()
    )
