"""Importing attendance registers: messy sign-in sheets, all rows or none, walk-ins, re-imports.

Every file is built here, in code, the way trainers' spreadsheets really arrive.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import (
    Attendance,
    AuditEvent,
    ImportRecord,
    Programme,
    StaffMember,
    TrainingSession,
)
from programme.services import attendance_import
from programme.services.import_flow import ColumnsMissing, ImportRejected, PreviewChanged
from programme.services.importers import importer_for
from programme.services.training import catalogue, enrolment, registers
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.files import csv_bytes, xlsx_bytes
from tests.queries import count_rows, reread

LIMITS = ReadLimits()
HEADER = ["Course", "Module", "Date", "Email", "Name", "Attended?"]
MI_1_ON, MI_2_ON, FS_1_ON, MI_3_ON = (
    date(2026, 11, 2),
    date(2026, 11, 9),
    date(2026, 11, 16),
    date(2026, 12, 7),  # after TODAY
)


class Setting:
    """A programme with one team of people and some MI and FS workshop sessions."""

    def __init__(self, name: str = "Somerset Family Safeguarding", slug: str = "somerset"):
        self.programme: Programme = create_programme(name, slug)
        team = create_team(create_locality(self.programme, name="Bridgwater"), name="FS Team 1")
        other = create_team(create_locality(self.programme, name="Taunton"), name="FS Team 2")
        self.ann = create_staff(team, name="Ann Lee", email=f"ann.lee@{slug}.example.org")
        self.zoe = create_staff(other, name="Zoë Brontë", email=f"zoe.bronte@{slug}.example.org")
        self.sam = create_staff(team, name="Sam Patel", email=f"sam.patel@{slug}.example.org")
        self.team = team
        self.people = [self.ann, self.zoe, self.sam]
        mi = catalogue.get_course(self.programme, "mi")
        fs = catalogue.get_course(self.programme, "fs_workshops")
        self.mi_1 = create_session(mi, 1, MI_1_ON)
        self.mi_2 = create_session(mi, 2, MI_2_ON)
        self.fs_1 = create_session(fs, 1, FS_1_ON)
        self.mi_3 = create_session(mi, 3, MI_3_ON)

    def enrol(self, session: TrainingSession, *people: StaffMember) -> None:
        enrolment.enrol(  # setup: whoever the test needs, past capacity or again too
            session,
            [person.id for person in people],
            None,
            confirm_over_capacity=True,
            check_rules=False,
        )


def name_for(data: bytes) -> str:
    return "register.xlsx" if data.startswith(b"PK") else "register.csv"


def import_(programme, data: bytes, filename: str | None = None, *, actor=None, **options):
    return attendance_import.ATTENDANCE.import_file(
        programme, data, filename or name_for(data), actor, today=TODAY, limits=LIMITS, **options
    )


def outcomes(plan) -> list[tuple[int, str]]:
    return [(row.row, row.action) for row in plan.rows]


def table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


def attendance_as_stored() -> dict[tuple[int, int], tuple]:
    db.session.expire_all()
    return {
        (place.session_id, place.staff_id): (place.status, place.walk_in, place.recorded_at)
        for place in db.session.scalars(select(Attendance))
    }


def registers_saved() -> dict[int, datetime | None]:
    db.session.expire_all()
    return {s.id: s.register_saved_at for s in db.session.scalars(select(TrainingSession))}


def everything() -> tuple:
    """Every table's row count, every place and every register: what "wrote nothing" compares."""
    return table_counts(), attendance_as_stored(), registers_saved()


def status_of(session: TrainingSession, person: StaffMember) -> str | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Attendance.status).where(
            Attendance.session_id == session.id, Attendance.staff_id == person.id
        )
    )


# ------------------------------------------------------------------ messy files


def test_an_xlsx_with_title_rows_excel_dates_text_dates_and_blank_rows_imports(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann, s.zoe)
    data = xlsx_bytes(
        [
            HEADER,
            ["Motivational Interviewing", 1, date(2026, 11, 2), s.ann.email, "Ann Lee", "Y"],
            ["MI", "Day 1", "02/11/2026", s.zoe.email.upper(), None, "DNA"],
            [None] * 6,
            ["mi", 2.0, datetime(2026, 11, 9, 9, 30), None, "Sam Patel", "arrived late"],
            [],
            ["FS workshops", "Module 1", "16 Nov 2026", s.ann.email, None, "left early"],
        ],
        title_rows=[["MI sign-in sheet — November 2026"], ["Trainer: R. Miller"], []],
        merge=["A1:F1"],
        sheet_title="Sign-in",
    )

    plan = import_(s.programme, data)

    assert outcomes(plan) == [(5, "created"), (6, "created"), (8, "created"), (10, "created")]
    assert status_of(s.mi_1, s.ann) == "present"
    assert status_of(s.mi_1, s.zoe) == "absent"
    assert status_of(s.mi_2, s.sam) == "late"
    assert status_of(s.fs_1, s.ann) == "left_early"
    saved = registers_saved()
    assert all(saved[session.id] is not None for session in (s.mi_1, s.mi_2, s.fs_1))
    assert saved[s.mi_3.id] is None


def test_a_utf8_csv_with_a_bom_matches_its_first_header(app):
    s = Setting()
    data = csv_bytes([HEADER, ["MI", "1", "02/11/2026", s.ann.email, "", "yes"]])
    assert data.startswith(b"\xef\xbb\xbf")

    plan = import_(s.programme, data)

    assert outcomes(plan) == [(2, "created")]
    assert status_of(s.mi_1, s.ann) == "present"


def test_a_windows_1252_semicolon_csv_finds_people_by_their_accented_names(app):
    s = Setting()
    data = csv_bytes(
        [
            ["Register – MI day 2"],
            ["Course", "Module", "Session date", "Delegate", "Attendance"],
            ["MI", "2", "09/11/2026", "Zoë Brontë", "Present"],
            ["MI", "2", "2026-11-09", "ann lee", "Apologies"],
        ],
        encoding="cp1252",
        delimiter=";",
    )

    plan = import_(s.programme, data)

    assert outcomes(plan) == [(3, "created"), (4, "created")]
    assert status_of(s.mi_2, s.zoe) == "present"
    assert status_of(s.mi_2, s.ann) == "absent"


# ------------------------------------------------------------------ created, updated, unchanged


def test_a_person_not_enrolled_is_enrolled_as_a_walk_in(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)
    user = create_user("trainer")

    import_(
        s.programme,
        xlsx_bytes(
            [
                HEADER,
                ["MI", 1, MI_1_ON, s.ann.email, None, "Y"],
                ["MI", 1, MI_1_ON, s.sam.email, None, "Y"],
            ]
        ),
        actor=user,
    )

    places = {
        place.staff_id: place
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == s.mi_1.id)
        )
    }
    assert (places[s.ann.id].walk_in, places[s.sam.id].walk_in) == (False, True)
    assert {place.status for place in places.values()} == {"present"}
    assert {place.recorded_by_id for place in places.values()} == {user.id}
    assert all(place.recorded_at is not None for place in places.values())


def test_a_changed_attendance_is_updated_and_an_equal_one_left_alone(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann, s.zoe)
    registers.save_register(s.mi_1, {s.ann.id: "present", s.zoe.id: "present"}, None, today=TODAY)
    before = attendance_as_stored()

    plan = import_(
        s.programme,
        xlsx_bytes(
            [
                HEADER,
                ["MI", 1, MI_1_ON, s.ann.email, None, "Present"],
                ["MI", 1, MI_1_ON, s.zoe.email, None, "Left early"],
            ]
        ),
    )

    assert outcomes(plan) == [(2, "unchanged"), (3, "updated")]
    assert plan.rows[1].changes == {"status": ("present", "left_early")}
    after = attendance_as_stored()
    assert after[(s.mi_1.id, s.ann.id)] == before[(s.mi_1.id, s.ann.id)]
    assert after[(s.mi_1.id, s.zoe.id)][0] == "left_early"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)
    data = xlsx_bytes(
        [
            HEADER,
            ["MI", 1, MI_1_ON, s.ann.email, None, "Y"],
            ["MI", 1, MI_1_ON, s.sam.email, None, "Late"],
            ["MI", 2, MI_2_ON, s.zoe.email, None, "N"],
        ]
    )
    first = import_(s.programme, data)
    places, saved = attendance_as_stored(), registers_saved()

    second = import_(s.programme, data)

    assert first.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert (attendance_as_stored(), registers_saved()) == (places, saved)


def test_each_session_recorded_is_audited_once(app):
    s = Setting()

    import_(
        s.programme,
        xlsx_bytes(
            [
                HEADER,
                ["MI", 1, MI_1_ON, s.ann.email, None, "Y"],
                ["MI", 1, MI_1_ON, s.sam.email, None, "N"],
                ["MI", 2, MI_2_ON, s.zoe.email, None, "Y"],
            ]
        ),
        "november register.xlsx",
    )

    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "training_session")
            .order_by(AuditEvent.entity_id)
        )
    )
    assert [(e.entity_id, e.programme_id, e.summary) for e in events] == [
        (s.mi_1.id, s.programme.id, "Attendance import of november register.xlsx: 2 recorded"),
        (s.mi_2.id, s.programme.id, "Attendance import of november register.xlsx: 1 recorded"),
    ]
    assert events[0].after == {s.ann.email: "present", s.sam.email: "absent"}


def test_the_attendance_importer_is_offered_with_its_title(app):
    importer = importer_for("attendance")

    assert importer is attendance_import.ATTENDANCE
    assert (importer.title, importer.undo) == ("attendance registers", None)


# ------------------------------------------------------------------ nothing written on rejection


def test_a_file_with_rejected_rows_says_why_for_each_row_and_writes_nothing(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)
    before = everything()
    data = xlsx_bytes(
        [
            HEADER,
            ["MI", 1, MI_1_ON, s.ann.email, None, "Y"],
            ["MI", 2, date(2026, 11, 10), s.zoe.email, None, "Y"],
            ["MI", 3, MI_3_ON, s.sam.email, None, "Y"],
            ["MI", 1, MI_1_ON, "ann.leigh@somerset.example.org", None, "Y"],
        ],
        title_rows=[["MI register"]],
    )

    plan = import_(s.programme, data)

    assert outcomes(plan) == [(3, "created"), (4, "rejected"), (5, "rejected"), (6, "rejected")]
    assert [error.sentence() for error in plan.errors] == [
        "Row 4, Date: There is no Motivational Interviewing module 2 session on 10 Nov 2026; "
        "there is one on 9 Nov 2026.",
        "Row 5, Date: The session on 7 Dec 2026 has not happened yet; import its register on "
        "or after the day.",
        "Row 6, Email: There is no one with the e-mail “ann.leigh@somerset.example.org” in the "
        "programme. Did you mean “ann.lee@somerset.example.org”?",
    ]
    assert everything() == before


def test_the_same_person_twice_at_one_session_rejects_both_rows_and_writes_nothing(app):
    s = Setting()
    before = everything()

    plan = import_(
        s.programme,
        csv_bytes(
            [
                HEADER,
                ["MI", 1, "02/11/2026", s.ann.email, "", "Y"],
                ["MI", 1, "02/11/2026", "", "Ann Lee", "N"],
            ]
        ),
    )

    assert outcomes(plan) == [(2, "rejected"), (3, "rejected")]
    assert plan.errors[1].message == (
        "Ann Lee is on rows 2 and 3 for Motivational Interviewing module 1 · 2 Nov 2026; each "
        "person may appear once per session."
    )
    assert everything() == before


def test_applying_an_upload_with_rejected_rows_writes_nothing(app):
    s = Setting()
    record, _preview = attendance_import.ATTENDANCE.upload(
        s.programme,
        csv_bytes([HEADER, ["MI", 1, "02/11/2026", "nobody@example.org", "", "Y"]]),
        "register.csv",
        None,
        LIMITS,
        today=TODAY,
    )
    before = everything()

    with pytest.raises(ImportRejected):
        attendance_import.ATTENDANCE.apply_import(record, None, today=TODAY, limits=LIMITS)

    assert everything() == before
    assert reread(record).state == "previewed"


def test_a_dry_run_reports_the_outcome_and_writes_nothing(app):
    s = Setting()
    before = everything()

    plan = import_(
        s.programme,
        xlsx_bytes([HEADER, ["MI", 1, MI_1_ON, s.ann.email, None, "Y"]]),
        dry_run=True,
    )

    assert outcomes(plan) == [(2, "created")]
    assert everything() == before


def test_a_file_without_an_attended_column_names_what_is_missing(app):
    s = Setting()

    with pytest.raises(ColumnsMissing) as caught:
        import_(s.programme, csv_bytes([HEADER[:5], ["MI", 1, "02/11/2026", s.ann.email, ""]]))

    assert caught.value.message.startswith("No column could be matched for the attended.")
    assert count_rows(ImportRecord) == 0


# ------------------------------------------------------------------ the web flow


def test_an_upload_is_previewed_then_applied_by_the_trainer(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)
    trainer = create_user("trainer")
    record, preview = attendance_import.ATTENDANCE.upload(
        s.programme,
        xlsx_bytes([HEADER, ["MI", 1, MI_1_ON, s.ann.email, None, "Y"]]),
        "register.xlsx",
        trainer,
        LIMITS,
        today=TODAY,
    )
    assert (record.kind, record.state, record.created) == ("attendance", "previewed", 1)
    assert status_of(s.mi_1, s.ann) is None

    attendance_import.ATTENDANCE.apply_import(
        record, trainer, today=TODAY, limits=LIMITS, confirmed=preview.plan.fingerprint()
    )

    assert status_of(s.mi_1, s.ann) == "present"
    record = reread(record)
    assert (record.state, record.applied_by_id) == ("applied", trainer.id)


def test_a_register_saved_after_the_preview_stops_the_import(app):
    s = Setting()
    s.enrol(s.mi_1, s.ann)
    record, preview = attendance_import.ATTENDANCE.upload(
        s.programme,
        xlsx_bytes([HEADER, ["MI", 1, MI_1_ON, s.ann.email, None, "Y"]]),
        "register.xlsx",
        None,
        LIMITS,
        today=TODAY,
    )
    registers.save_register(s.mi_1, {s.ann.id: "absent"}, None, today=TODAY)
    before = everything()

    with pytest.raises(PreviewChanged):
        attendance_import.ATTENDANCE.apply_import(
            record, None, today=TODAY, limits=LIMITS, confirmed=preview.plan.fingerprint()
        )

    assert everything() == before
    assert status_of(s.mi_1, s.ann) == "absent"


# ------------------------------------------------------------------ a bounded number of queries


def rows_for(s: Setting, count: int) -> list[list]:
    """`count` rows: everyone in the programme at MI module 1 (extra people added as needed)."""
    for n in range(len(s.people), count):
        s.people.append(
            create_staff(s.team, name=f"Person {n}", email=f"person{n}@{s.programme.slug}.org")
        )
    return [["MI", 1, MI_1_ON, person.email, None, "Y"] for person in s.people[:count]]


def test_planning_an_import_takes_the_same_queries_for_5_rows_as_for_50(app, count_queries):
    s = Setting()

    def queries_to_plan(count: int) -> int:
        data = xlsx_bytes([HEADER, *rows_for(s, count)])
        db.session.expire_all()
        with count_queries() as counter:
            plan = import_(s.programme, data, dry_run=True)
        assert plan.count("created") == count
        return counter.count

    assert queries_to_plan(5) == queries_to_plan(50)


def test_applying_an_import_takes_the_same_statements_for_5_rows_as_for_50(app, count_queries):
    def statements_to_apply(name: str, count: int, enrol_half: bool) -> int:
        s = Setting(name, name.lower())
        rows = rows_for(s, count)
        if enrol_half:  # some recorded on their places, the others walk in
            s.enrol(s.mi_1, *s.people[::2])
        data = xlsx_bytes([HEADER, *rows])
        db.session.expire_all()
        with count_queries() as counter:
            plan = import_(s.programme, data)
        assert plan.count("created") == count
        return counter.count

    assert statements_to_apply("Five", 5, True) == statements_to_apply("Fifty", 50, True)
