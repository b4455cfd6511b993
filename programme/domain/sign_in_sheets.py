"""What trainers' sign-in sheets say: the columns they use, and the many ways they write whether
someone attended. The attendance import (`attendance_import.py`) plans rows with these."""

from __future__ import annotations

from programme.domain.imports import ImportField
from programme.domain.spreadsheet import CellValue, cell_text
from programme.domain.training import AttendanceStatus
from programme.domain.vocabulary import Vocabulary

FIELDS: dict[str, ImportField] = {
    "course": ImportField(
        "Course",
        (
            "Course",
            "Course name",
            "Course title",
            "Training",
            "Training course",
            "Programme",
            "Event",
            "Event name",
        ),
        required=True,
    ),
    "module": ImportField(
        "Module",
        ("Module", "Module number", "Module no", "Module no.", "Mod", "Day", "Day number"),
        required=True,
    ),
    "date": ImportField(
        "Session date",
        (
            "Session date",
            "Date",
            "Date of session",
            "Training date",
            "Course date",
            "Held on",
            "Event date",
            "Date attended",
        ),
        required=True,
    ),
    "email": ImportField(
        "E-mail",
        (
            "Email",
            "E-mail",
            "Email address",
            "E-mail address",
            "Work email",
            "Staff email",
            "Attendee email",
            "Delegate email",
        ),
    ),
    "name": ImportField(
        "Name",
        (
            "Name",
            "Full name",
            "Staff name",
            "Staff member",
            "Attendee",
            "Attendee name",
            "Delegate",
            "Delegate name",
            "Participant",
            "Employee",
            "Person",
            "Learner",
            "Learner name",
        ),
    ),
    "attended": ImportField(
        "Attended",
        (
            "Attended",
            "Attended?",
            "Attended (Y/N)",
            "Attendance",
            "Present",
            "Present?",
            "Status",
            "Register",
            "Signed in",
            "Attendance status",
            "Attendance (Y/N)",
        ),
        required=True,
    ),
}

# What sign-in sheets write for each attendance, matched as every import matches names
# (domain/vocabulary.py).
STATUS_NAMES: dict[AttendanceStatus, tuple[str, ...]] = {
    AttendanceStatus.PRESENT: (
        "present",
        "yes",
        "y",
        "attended",
        "p",
        "true",
        "1",
        "tick",
        "ticked",
        "signed in",
        "here",
    ),
    AttendanceStatus.LATE: (
        "late",
        "l",
        "arrived late",
        "came late",
        "late arrival",
        "attended late",
    ),
    AttendanceStatus.LEFT_EARLY: (
        "left early",
        "left",
        "le",
        "early leaver",
        "left before the end",
        "attended part",
    ),
    AttendanceStatus.ABSENT: (
        "absent",
        "no",
        "n",
        "a",
        "did not attend",
        "didn't attend",
        "dna",
        "not attended",
        "no show",
        "apologies",
        "apols",
        "sent apologies",
        "false",
        "0",
        "sick",
    ),
}
_TICKS = frozenset("✓✔☑✅")
# Each attendance is suggested by its own name in lower case, as the message lists them.
_ATTENDANCE = Vocabulary()
for _status, _names in STATUS_NAMES.items():
    _ATTENDANCE.add(_status, _status.label.lower(), _names)
_HOW_TO_SAY = "use yes, no, late, left early or absent"


def parse_attendance(value: CellValue) -> AttendanceStatus:
    """An attendance from a cell: yes/no, present/late/left early/absent and their synonyms.

    Raises ValueError with a sentence for the user for anything else (a blank cell too: a
    sign-in sheet must say what happened)."""
    text = cell_text(value)
    if not text:
        raise ValueError(f"Say whether they attended: {_HOW_TO_SAY}.")
    if text in _TICKS:
        return AttendanceStatus.PRESENT
    status = _ATTENDANCE.find(text)
    if status is None:
        suggestion = _ATTENDANCE.suggest(text)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        raise ValueError(f"“{text}” is not an attendance: {_HOW_TO_SAY}.{hint}")
    return status
