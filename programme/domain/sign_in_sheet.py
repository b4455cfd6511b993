"""A session's sign-in sheet: what it says, printed or downloaded.

Plain Python. The page (templates/training/sign_in_sheet.html) and the workbook
(`sign_in_sheet_xlsx.py`) are drawn from one `SignInSheet`, so paper and spreadsheet list the same
people in the same order. The workbook's columns are ones the attendance import reads
(`sign_in_sheets.FIELDS`), so a sheet filled in imports as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from programme.domain.formatting import NOT_SET, clock_time, long_date

# Rows left blank for people who came without a place.
WALK_IN_ROWS = 6

# What the paper sheet's attendance column takes; each is a word the attendance import reads.
ATTENDANCE_KEY: tuple[tuple[str, str], ...] = (
    ("P", "present"),
    ("L", "late"),
    ("LE", "left early"),
    ("A", "absent"),
)

# The workbook's columns, in order. Each of Course, Module, Session date, Name, E-mail and
# Attendance is a header the attendance import recognises; Team, Role and Signature are for people.
COLUMNS: tuple[str, ...] = (
    "Name",
    "E-mail",
    "Team",
    "Role",
    "Attendance",
    "Signature",
    "Course",
    "Module",
    "Session date",
)


@dataclass(frozen=True)
class SheetPerson:
    name: str
    email: str
    team: str
    role: str


@dataclass(frozen=True)
class SignInSheet:
    programme: str
    course: str  # the course's name, as the attendance import finds it
    module_number: int
    module_title: str
    on: date
    starts_at: time | None
    venue: str
    trainer: str  # the trainer's name, or "" when none is set
    people: tuple[SheetPerson, ...]  # everyone with a place, by name
    walk_in_rows: int = WALK_IN_ROWS

    @property
    def title(self) -> str:
        return f"{self.course}, module {self.module_number}: {self.module_title}"

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """The session's particulars, as (label, value) pairs, for the sheet's heading."""
        return (
            ("Programme", self.programme),
            ("Date", long_date(self.on)),
            ("Start time", clock_time(self.starts_at, NOT_SET)),
            ("Venue", self.venue or NOT_SET),
            ("Trainer", self.trainer or NOT_SET),
        )


def attendance_key() -> str:
    """The key to the paper sheet's attendance column: "P = present, L = late, ..."."""
    return ", ".join(f"{letter} = {word}" for letter, word in ATTENDANCE_KEY)


def workbook_instructions() -> tuple[str, ...]:
    """What the workbook asks of whoever fills it in, so that it imports as it is."""
    return (
        "In Attendance write Present, Late, Left early or Absent (P, L, LE, A or a tick ✓ "
        "also do). Every row with a name needs one.",
        "Someone who came without a place: write their name and e-mail on a blank row and copy "
        "the course, module and session date from the row above. They must already be on the "
        "programme's staff list; if they are not, add them to their team first, or the import "
        "refuses the file and saves nothing.",
        "Then import it on the programme's Imports page (Import attendance registers). Leave "
        "the column headings as they are.",
    )


def download_stem(sheet: SignInSheet, course_key: str) -> str:
    """`sign-in-mi-module-2-2026-12-03`: the file's name without its extension."""
    return f"sign-in-{course_key}-module-{sheet.module_number}-{sheet.on.isoformat()}"
