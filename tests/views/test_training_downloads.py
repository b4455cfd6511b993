"""The training pages' downloads: a locality's staff list (which the staff import reads back
unchanged), its completion matrix, and the programme's sessions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.services import staff_import
from programme.services.exports.training_tables import SESSION_COLUMNS, STAFF_COLUMNS
from tests.builders import create_user
from tests.conftest import TODAY
from tests.pages import page_of
from tests.queries import count_rows
from tests.views.downloads import FORMATS, download, download_hrefs
from tests.views.test_training import _held, _person, _session, _setting


def _training_url(locality, suffix: str = "") -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}/training{suffix}"


@pytest.fixture
def bridgwater(app):
    """Bridgwater's team: Ann trained in both MI modules she has done, Ben not started, Cal
    left in the summer, and the team's psychologist (whom MI is not for)."""
    programme, locality, team = _setting()
    ann = _person(team, "Ann Lee", start_date=date(2024, 1, 8))
    _person(team, "Ben Ode")
    _person(team, "Cal Fry", start_date=date(2021, 3, 1), leaving_date=date(2026, 7, 31))
    _person(team, "Dee Moss", role_key="psychologist")
    _held(programme, 1, [ann])
    return locality


def _staff(locality) -> str:
    return f"{locality.slug}-staff"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_staff_list_downloads_with_the_staff_imports_headers(app, sign_in, bridgwater, fmt):
    client = sign_in(create_user("hr_lead"))
    page = client.get(_training_url(bridgwater))
    assert download_hrefs(page, "staff-downloads")[fmt] == _training_url(
        bridgwater, f"?table=staff&download={fmt}"
    )

    file = download(client, _training_url(bridgwater, "?table=staff"), fmt, _staff(bridgwater))

    assert file.headers == [column.header for column in STAFF_COLUMNS]
    assert file.column("Name") == ["Ann Lee", "Ben Ode", "Cal Fry", "Dee Moss"]
    assert len(file.rows) == page_of(page).count('<tr id="staff-')
    assert set(file.column("Team")) == {"FS Team North"}
    assert file.column("Email")[0] == f"ann.lee.{_team_id(bridgwater)}@example.org"
    if fmt == "xlsx":
        assert file.column("Start date")[0] == datetime(2024, 1, 8)
        assert file.column("Leaving date")[2] == datetime(2026, 7, 31)
    else:
        assert file.column("Leaving date")[2] == "31/07/2026"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_saved_staff_list_imports_back_changing_nothing(app, sign_in, bridgwater, fmt):
    client = sign_in(create_user("hr_lead"))
    file = download(client, _training_url(bridgwater, "?table=staff"), fmt, _staff(bridgwater))
    before = _table_counts()

    plan = staff_import.STAFF.import_file(
        bridgwater.programme, file.body, f"staff.{fmt}", None, today=TODAY, limits=ReadLimits()
    )

    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    changed = {name: n - before[name] for name, n in _table_counts().items() if n != before[name]}
    assert changed == {"import_record": 1, "audit_event": 1}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_training_matrix_downloads_person_by_course_with_the_teams_share(
    app, sign_in, bridgwater, fmt
):
    client = sign_in(create_viewer())
    page = client.get(_training_url(bridgwater))
    assert download_hrefs(page, "matrix-downloads")

    file = download(
        client,
        _training_url(bridgwater, "?table=matrix"),
        fmt,
        f"{bridgwater.slug}-training-matrix",
    )

    assert file.headers == [
        "Team",
        "Name",
        "Role",
        "Motivational Interviewing",
        "FS practice and change workshops",
        "Modules still needed",
    ]
    by_name = {row[1]: row[3:5] for row in file.rows}
    assert by_name["Ann Lee"] == ["In progress", "Not started"]
    assert by_name["Ben Ode"] == ["Not started", "Not started"]
    assert by_name["Cal Fry"] == ["Not counted", "Not counted"]
    assert by_name["Dee Moss"][0] == "Not required"
    assert by_name["Trained"] == ["0% (0 of 2)", "0% (0 of 2)"]
    if fmt == "xlsx":
        assert file.cells[-1][1].font.b  # the team's share row stands out


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_sessions_download_lists_upcoming_then_past_sessions(app, sign_in, bridgwater, fmt):
    programme = bridgwater.programme
    _session(programme, 2, TODAY + timedelta(days=7), venue="=Hall", starts_at=time(9, 30))
    client = sign_in(create_viewer())
    url = f"/programmes/{programme.slug}/training/sessions"
    page = client.get(url)
    assert download_hrefs(page, "session-downloads")

    file = download(client, url, fmt, f"{programme.slug}-training-sessions")

    assert file.headers == [column.header for column in SESSION_COLUMNS]
    assert len(file.rows) == page_of(page).count('<tr id="session-')
    assert file.column("Session") == [
        "Motivational Interviewing, module 2",
        "Motivational Interviewing, module 1",
    ]
    assert file.column("Register") == ["Opens on the day", "Register saved"]
    if fmt == "xlsx":
        assert file.column("Date")[0] == datetime.combine(TODAY + timedelta(days=7), time())
        assert file.column("Enrolled") == [0, 1]
        assert file.column("Time")[0] == "09:30"
        assert file.cells[0][4].data_type == "s"
    else:
        assert file.column("Venue")[0] == "'=Hall"


def test_a_locality_without_staff_downloads_an_empty_staff_list(app, sign_in):
    _programme, locality, _team = _setting()
    client = sign_in(create_user("hr_lead"))

    for fmt in FORMATS:
        file = download(client, _training_url(locality, "?table=staff"), fmt, _staff(locality))
        assert (file.headers, file.rows) == ([c.header for c in STAFF_COLUMNS], [])


def test_a_viewer_s_staff_list_has_no_email_addresses(app, sign_in, bridgwater):
    """The page shows nobody's address; only those who may import staff lists get them."""
    client = sign_in(create_viewer())
    for fmt in FORMATS:
        file = download(client, _training_url(bridgwater, "?table=staff"), fmt, _staff(bridgwater))
        assert "Email" not in file.headers
        assert file.column("Name") == ["Ann Lee", "Ben Ode", "Cal Fry", "Dee Moss"]


def create_viewer():
    return create_user("viewer")


def _team_id(locality) -> int:
    [team] = locality.teams
    return team.id


def _table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}
