"""The sign-in sheet's key and columns agree with what the attendance import reads."""

from __future__ import annotations

import pytest

from programme.domain.headers import match_columns
from programme.domain.imports import synonyms
from programme.domain.sign_in_sheet import ATTENDANCE_KEY, COLUMNS, attendance_key
from programme.domain.sign_in_sheets import FIELDS, parse_attendance


@pytest.mark.parametrize(("letter", "word"), ATTENDANCE_KEY)
def test_each_letter_of_the_key_imports_as_its_word(letter, word):
    assert parse_attendance(letter) == parse_attendance(word)
    assert parse_attendance(letter.lower()) == parse_attendance(word)


def test_the_key_reads_as_a_sentence():
    assert attendance_key() == "P = present, L = late, LE = left early, A = absent"


def test_the_workbook_s_columns_are_the_import_s_own():
    assert match_columns(COLUMNS, synonyms(FIELDS)) == {
        "name": COLUMNS.index("Name"),
        "email": COLUMNS.index("E-mail"),
        "attended": COLUMNS.index("Attendance"),
        "course": COLUMNS.index("Course"),
        "module": COLUMNS.index("Module"),
        "date": COLUMNS.index("Session date"),
    }
