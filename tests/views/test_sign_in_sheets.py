"""The sign-in sheet page and workbook, the register form's rules, and the sheet's round trip
through the attendance import's pages and its command."""

from __future__ import annotations

import io
import re
from datetime import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.sign_in_sheet import COLUMNS
from programme.domain.sign_in_sheet_xlsx import header_row
from programme.extensions import db
from programme.models import Attendance, ImportRecord
from programme.services.training import catalogue, enrolment, registers, sign_in_sheets
from tests.builders import (
    create_locality,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, reread

STATIC = Path(__file__).resolve().parents[2] / "static"
NAMES = ("Priya Okafor", "Tomasz Nowak", "Eilidh Grant")


@pytest.fixture
def setting(app):
    """MI module 3 today at a community hall with three people enrolled, nobody marked."""
    programme = create_programme("Kestrel Vale Family Safeguarding", "kestrel-vale")
    team = create_team(create_locality(programme, name="Marshford"), name="Harbour Team")
    people = [
        create_staff(team, name=name, email=f"{name.split()[0].lower()}@kestrel.example")
        for name in NAMES
    ]
    session = create_session(
        catalogue.get_course(programme, "mi"),
        3,
        TODAY,
        venue="Larkfield Community Hall",
        starts_at=time(10, 0),
        trainer=create_user("trainer", name="Morag Fairlie"),
        capacity=200,
    )
    enrolment.enrol(session, [person.id for person in people], None)
    return programme, session, people


def _url(session, suffix: str = "") -> str:
    return f"/programmes/kestrel-vale/training/sessions/{session.id}{suffix}"


def _statuses(session) -> dict[str, str | None]:
    db.session.expire_all()
    return {
        place.staff.name: place.status
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }


def _checked(page: str) -> dict[str, str]:
    form = re.search(r'<form[^>]*id="register-form".*?</form>', page, re.S)[0]
    return dict(re.findall(r'<input[^>]*name="(mark-\d+)" value="(\w+)" checked>', form))


# ------------------------------------------------------------------ the sheet page


def test_the_sheet_lists_everyone_enrolled_with_blank_rows_and_prints_on_a4(setting, sign_in):
    _programme, session, people = setting
    client = sign_in(create_user("trainer"))

    response = client.get(_url(session, "/sign-in-sheet"))

    assert response.status_code == 200
    page = page_of(response)
    assert "<title>Sign-in sheet: Motivational Interviewing, module 3, 30 Nov 2026" in page
    details = visible_text(re.search(r'<dl[^>]*id="sheet-details".*?</dl>', page, re.S)[0])
    assert "Date 30 Nov 2026" in details
    assert "Start time 10:00" in details
    assert "Venue Larkfield Community Hall" in details
    assert "Trainer Morag Fairlie" in details
    rows = re.findall(r'<tr class="app-sign-in__row" data-kind="(\w[\w-]*)">(.*?)</tr>', page, re.S)
    enrolled = [visible_text(row) for kind, row in rows if kind == "enrolled"]
    assert [" ".join(text.split()[1:3]) for text in enrolled] == sorted(NAMES)
    assert all("Harbour Team Social worker" in text for text in enrolled)
    assert [kind for kind, _row in rows].count("walk-in") == 6
    assert "P = present, L = late, LE = left early, A = absent" in page
    # Its own print rules: A4, the headings on each printed page, and the site's header hidden.
    assert 'href="/static/css/sign-in-sheet.css"' in page
    css = (STATIC / "css" / "sign-in-sheet.css").read_text()
    assert re.search(r"@page\s*{\s*size: A4 portrait;\s*margin:", css)
    assert "thead { display: table-header-group; }" in css
    app_css = (STATIC / "css" / "app.css").read_text()
    assert re.search(r"@media print {\s*\.app-header, \.app-footer", app_css)
    # The Print button needs the script, so it starts hidden; the page says how to print without.
    assert '<button type="button" class="app-button" data-module="print-page" hidden>Print' in page
    assert "use your browser's Print command" in page
    assert f'href="{_url(session)}#register"' in page


def test_the_session_page_links_to_the_sheet_for_those_who_record_attendance(setting, sign_in):
    _programme, session, _people = setting
    link = f'href="{_url(session, "/sign-in-sheet")}"'

    assert link in page_of(sign_in(create_user("trainer")).get(_url(session)))
    viewer = sign_in(create_user("viewer"))
    assert link not in page_of(viewer.get(_url(session)))
    assert viewer.get(_url(session, "/sign-in-sheet")).status_code == 403


def test_the_sheet_downloads_as_a_workbook(setting, sign_in):
    programme, session, _people = setting
    client = sign_in(create_user("programme_manager"))

    response = client.get(_url(session, "/sign-in-sheet?download=xlsx"))

    assert response.status_code == 200
    assert response.content_type.startswith("application/vnd.openxmlformats")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sign-in-mi-module-3-2026-11-30.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    worksheet = load_workbook(io.BytesIO(response.data)).active
    first = header_row(sign_in_sheets.sign_in_sheet(programme, session))
    assert [cell.value for cell in worksheet[first]] == list(COLUMNS)


def test_a_cancelled_session_has_no_sheet(setting, sign_in):
    _programme, session, _people = setting
    session.cancelled_at = utc_now()
    db.session.commit()
    client = sign_in(create_user("trainer"))

    assert client.get(_url(session, "/sign-in-sheet")).status_code == 404
    assert client.get(_url(session, "/sign-in-sheet?download=xlsx")).status_code == 404
    page = page_of(client.get(_url(session)))
    assert "This session was cancelled on" in page
    assert "/sign-in-sheet" not in page
    assert 'id="register-form"' not in page


@pytest.mark.parametrize("suffix", ["/sign-in-sheet", "/sign-in-sheet?download=xlsx"])
def test_the_sheet_runs_the_same_queries_for_10_people_or_100(app, sign_in, count_queries, suffix):
    programme = create_programme("Kestrel Vale Family Safeguarding", "kestrel-vale")
    team = create_team(create_locality(programme, name="Marshford"), name="Harbour Team")
    course = catalogue.get_course(programme, "mi")
    client = sign_in(create_user("trainer"))

    def queries_with(how_many: int) -> int:
        session = create_session(course, 1, TODAY, capacity=200)
        people = [
            create_staff(team, name=f"Delegate {session.id}-{n:03d}") for n in range(how_many)
        ]
        enrolment.enrol(session, [person.id for person in people], None)
        client.get(_url(session, suffix))  # warm: templates compiled, user loaded
        with count_queries() as counter:
            response = client.get(_url(session, suffix))
        assert response.status_code == 200
        return counter.count

    assert queries_with(10) == queries_with(100)


# ------------------------------------------------------------------ the register's rules


def test_nobody_is_marked_until_the_trainer_marks_them(setting, sign_in):
    _programme, session, _people = setting

    page = page_of(sign_in(create_user("trainer")).get(_url(session)))

    assert _checked(page) == {}
    assert 'name="action" value="mark_all"' in page


def test_saving_with_someone_unmarked_is_refused_naming_them_and_keeping_the_marks(
    setting, sign_in
):
    _programme, session, (priya, tomasz, eilidh) = setting
    client = sign_in(create_user("trainer"))

    response = client.post(_url(session, "/register"), data={f"mark-{tomasz.id}": "absent"})

    assert response.status_code == 400
    page = page_of(response)
    assert "<title>Error: " in page
    summary = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)[0]
    assert re.findall(r'<a href="(#[\w-]+)">([^<]+)</a>', summary) == [
        (f"#mark-{eilidh.id}-present", "Mark the attendance of Eilidh Grant"),
        (f"#mark-{priya.id}-present", "Mark the attendance of Priya Okafor"),
    ]
    assert f'id="mark-{eilidh.id}-present"' in page  # each link has its target
    assert f'id="mark-{priya.id}-error"' in page
    assert _checked(page) == {f"mark-{tomasz.id}": "absent"}
    assert _statuses(session) == dict.fromkeys(NAMES)
    assert reread(session).register_saved_at is None


def test_mark_everyone_present_shows_the_register_filled_in_and_saves_nothing(setting, sign_in):
    _programme, session, (priya, tomasz, eilidh) = setting
    client = sign_in(create_user("trainer"))

    response = client.post(
        _url(session, "/register"), data={f"mark-{tomasz.id}": "late", "action": "mark_all"}
    )

    assert response.status_code == 200
    page = page_of(response)
    assert _checked(page) == {
        f"mark-{priya.id}": "present",
        f"mark-{tomasz.id}": "late",
        f"mark-{eilidh.id}": "present",
    }
    assert "2 people marked present. Nothing is saved until you save the register." in page
    assert _statuses(session) == dict.fromkeys(NAMES)

    # Saving the form as shown records it.
    saved = client.post(_url(session, "/register"), data=_checked(page))
    assert saved.status_code == 302
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "late",
        "Eilidh Grant": "present",
    }


def test_a_held_register_stays_editable_and_each_change_is_audited(setting, sign_in):
    _programme, session, (priya, tomasz, eilidh) = setting
    registers.save_register(
        session, {priya.id: "present", tomasz.id: "present", eilidh.id: "absent"}, None, today=TODAY
    )
    manager = create_user("programme_manager")
    client = sign_in(manager)
    form = _checked(page_of(client.get(_url(session))))

    response = client.post(_url(session, "/register"), data={**form, f"mark-{eilidh.id}": "late"})

    assert response.status_code == 302
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "present",
        "Eilidh Grant": "late",
    }
    entry = audit_events_for("training_session", session.id)[-1]
    assert entry.actor_id == manager.id
    assert (entry.before, entry.after) == (
        {"eilidh@kestrel.example": "absent"},
        {"eilidh@kestrel.example": "late"},
    )
    assert entry.summary.endswith("changed Eilidh Grant from absent to late")


# ------------------------------------------------------------------ the round trip


def _filled_sheet(client, session, marks: dict[str, str]) -> bytes:
    data = client.get(_url(session, "/sign-in-sheet?download=xlsx")).data
    workbook = load_workbook(io.BytesIO(data))
    worksheet = workbook.active
    name_column, mark_column = COLUMNS.index("Name") + 1, COLUMNS.index("Attendance") + 1
    for row in worksheet.iter_rows():
        if row[name_column - 1].value in marks:
            row[mark_column - 1].value = marks[row[name_column - 1].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_downloaded_sheet_filled_in_imports_through_the_import_pages(setting, sign_in):
    _programme, session, _people = setting
    client = sign_in(create_user("trainer"))
    data = _filled_sheet(
        client,
        session,
        {"Priya Okafor": "Present", "Tomasz Nowak": "Absent", "Eilidh Grant": "Late"},
    )

    uploaded = client.post(
        "/programmes/kestrel-vale/imports/attendance/new",
        data={"file": (io.BytesIO(data), "sign-in.xlsx")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302, page_of(uploaded)
    record = db.session.scalar(select(ImportRecord))
    assert uploaded.location.endswith(f"/imports/{record.id}")
    applied = client.post(f"/programmes/kestrel-vale/imports/{record.id}/apply")

    assert applied.status_code == 302
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "absent",
        "Eilidh Grant": "late",
    }


def test_the_downloaded_sheet_filled_in_imports_through_the_command(
    setting, sign_in, runner, tmp_path
):
    _programme, session, _people = setting
    path = tmp_path / "sign-in.xlsx"
    path.write_bytes(
        _filled_sheet(
            sign_in(create_user("trainer")),
            session,
            {"Priya Okafor": "✓", "Tomasz Nowak": "A", "Eilidh Grant": "LE"},
        )
    )

    result = runner.invoke(
        args=["training", "import-attendance", str(path), "--programme", "kestrel-vale"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 3, updated 0, unchanged 0, rejected 0"
    assert _statuses(session) == {
        "Priya Okafor": "present",
        "Tomasz Nowak": "absent",
        "Eilidh Grant": "left_early",
    }
