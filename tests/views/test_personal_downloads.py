"""Downloads of personal data are recorded in the audit trail (issue 16): who took which file,
under the programme it came from."""

from __future__ import annotations

from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY


def _downloads() -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "download_personal_data")
        .order_by(AuditEvent.id)
    ).all()


def test_the_workbook_and_a_table_download_are_audited(app, sign_in, pin_clock):
    pin_clock(TODAY)
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    create_locality(programme, name="Taunton")
    board_member = create_user("board_member")
    client = sign_in(board_member)

    assert client.get("/programmes/somerset/workbook.xlsx").status_code == 200
    assert client.get("/programmes/somerset/recruitment?download=csv").status_code == 200

    workbook, table = _downloads()
    assert workbook.actor_id == board_member.id and workbook.programme_id == programme.id
    assert workbook.summary == (
        "Downloaded the programme workbook (somerset-programme-2026-11-30.xlsx)"
    )
    assert table.after["file"].endswith(".csv") and table.programme_id == programme.id


def test_browsing_a_page_records_no_download(app, sign_in):
    create_programme("Somerset Family Safeguarding", "somerset")
    client = sign_in(create_user("board_member"))
    assert client.get("/programmes/somerset/recruitment").status_code == 200
    assert _downloads() == []
