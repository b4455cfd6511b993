"""Matching column headers to import fields the way a person reads them: other councils' wording,
other column orders, and a header that could be two fields."""

from __future__ import annotations

import pytest

from programme.domain import hr_trackers, sign_in_sheets, staff_import
from programme.domain.headers import header_words, match_columns
from programme.domain.imports import synonyms

RECRUITMENT = synonyms(hr_trackers.FIELDS)
STAFF = synonyms(staff_import.FIELDS)
ATTENDANCE = synonyms(sign_in_sheets.FIELDS)


def test_an_hr_business_partners_tracker_has_every_column_recognised():
    headers = [
        "Post No.",
        "Area",
        "Team",
        "Post Title",
        "Employing Organisation",
        "Recruitment Stage",
        "Post Holder",
        "Start Date",
        "WTE",
    ]

    assert match_columns(headers, RECRUITMENT) == {
        "reference": 0,
        "locality": 1,
        "team": 2,
        "role": 3,
        "organisation": 4,
        "fte": 8,
        "status": 5,
        "holder_name": 6,
        "start_date": 7,
    }


def test_an_applicant_tracking_export_has_every_column_recognised():
    headers = ["Vacancy No", "Area", "Team", "Post", "Organisation", "Stage", "Name", "Start"]

    mapping = match_columns(headers, RECRUITMENT)

    assert sorted(mapping.values()) == list(range(len(headers)))
    assert (mapping["reference"], mapping["role"], mapping["holder_name"]) == (0, 3, 6)


def test_columns_in_another_order_and_other_words_are_recognised():
    headers = [
        "Comments",
        "Stage of recruitment",
        "Name of post holder",
        "Job Titles",
        "FS Team",
        "Locality",
        "Post #",
        "E-Mail Address",
        "Whole-time equivalent",
        "Employing organization",
    ]

    mapping = match_columns(headers, RECRUITMENT)

    assert {name: headers[index] for name, index in mapping.items()} == {
        "reference": "Post #",
        "locality": "Locality",
        "team": "FS Team",
        "role": "Job Titles",
        "organisation": "Employing organization",
        "fte": "Whole-time equivalent",
        "status": "Stage of recruitment",
        "holder_name": "Name of post holder",
        "holder_email": "E-Mail Address",
        "notes": "Comments",
    }


@pytest.mark.parametrize(
    "header",
    ["Post No.", "Post No", "Post number", "Post #", "Post Ref", "POST REFERENCE", "Post ID"],
)
def test_no_number_hash_ref_and_id_are_one_identifier(header):
    assert match_columns([header], RECRUITMENT) == {"reference": 0}


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("Stage of recruitment", "Recruitment stage"),
        ("Date & time", "time and date"),
        ("Notes", "Note"),
        ("Post holder's e-mail", "post holder email"),
        ("Statuses", "Status"),
        ("Vacancy No.", "vacancy reference"),
        ("Employing Organization", "employing organisation"),
        ("Référence", "reference"),
    ],
)
def test_header_words_ignore_order_little_words_plurals_and_spelling(written, same_as):
    assert header_words(written) == header_words(same_as)


@pytest.mark.parametrize(
    ("written", "different"),
    [
        ("No. of posts", "Post No."),
        ("Status", "Statu"),
        ("Start date", "Date"),
    ],
)
def test_header_words_keep_what_a_person_would_tell_apart(written, different):
    assert header_words(written) != header_words(different)


def test_a_count_of_posts_is_not_the_post_reference():
    assert match_columns(["Number of posts", "Locality"], RECRUITMENT) == {"locality": 1}


def test_an_exact_name_wins_over_an_earlier_field_matched_by_its_words():
    # "Post No." is the reference by its words; "Post number" is the reference exactly, so the
    # exact column is taken and the other is left for nothing else.
    fields = {"reference": ("Post number",), "role": ("Post",)}
    assert match_columns(["Post No.", "Post number", "Post"], fields) == {
        "reference": 1,
        "role": 2,
    }


def test_a_header_that_could_be_two_fields_goes_to_the_first_listed():
    fields = {"first": ("Stage of work",), "second": ("Work stage",)}

    assert match_columns(["Work Stages"], fields) == {"first": 0}
    assert match_columns(["Work Stages", "Stage of work"], fields) == {"first": 1, "second": 0}


def test_a_field_two_columns_could_be_takes_the_left_most():
    assert match_columns(["Notes", "Post No.", "Vacancy No"], RECRUITMENT) == {
        "reference": 1,
        "notes": 0,
    }


def test_a_hash_is_a_number_not_nothing():
    # Dropping the "#" would leave "Post", which is the role.
    assert match_columns(["Post #", "Job title"], RECRUITMENT) == {"reference": 0, "role": 1}


def test_blank_headers_match_nothing():
    assert match_columns(["", "  ", "Team"], {"team": ("Team",), "blank": ("",)}) == {"team": 2}


def test_a_staff_list_from_another_council_is_recognised():
    headers = ["Staff Member", "Work E-mail", "District", "Team", "Designation", "Date Joined"]
    headers += ["Date of leaving", "Post No."]

    mapping = match_columns(headers, STAFF)

    assert list(mapping.values()) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert mapping["leaving_date"] == 6 and mapping["reference"] == 7


def test_a_sign_in_sheet_with_other_words_is_recognised():
    headers = ["Learner name", "Event", "Module No.", "Event Date", "E-mail", "Attendance (Y/N)"]

    mapping = match_columns(headers, ATTENDANCE)

    assert mapping == {
        "course": 1,
        "module": 2,
        "date": 3,
        "email": 4,
        "name": 0,
        "attended": 5,
    }


def test_a_header_with_two_names_or_a_note_matches_by_one_of_its_parts():
    headers = ["Vacancy #", "Office", "FS Team", "Role / Job Title", "Employer (host org)"]
    headers += ["Where we are", "Start Date (exp.)", "Grade"]

    columns = match_columns(headers, synonyms(hr_trackers.FIELDS))

    assert columns["role"] == 3
    assert columns["organisation"] == 4
    assert columns["start_date"] == 6
    assert "status" not in columns  # "Where we are" says nothing a person could rely on
