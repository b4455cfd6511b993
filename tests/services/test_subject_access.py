"""Subject access export (issue 16): everything held about one e-mail address, as JSON and as a
workbook; secrets never included; audited."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, User
from programme.services import subject_access
from tests.services.test_board_packs import somerset  # noqa: F401
from tests.services.test_erasure import EMAIL, NAME, dana  # noqa: F401


def test_the_export_holds_everything_about_the_address_and_no_secret(
    app,
    somerset,  # noqa: F811
    dana,  # noqa: F811
):
    found = subject_access.collect(EMAIL.upper())

    sections = found["sections"]
    assert found["email"] == EMAIL
    [account] = sections["user_account"]
    assert (account["name"], account["email"]) == (NAME, EMAIL)
    assert "password_hash" not in account and "totp_secret" not in account
    assert [m["programme"] for m in sections["memberships"]] == ["somerset"]
    assert [s["name"] for s in sections["staff_records"]] == [NAME]
    assert sections["staff_records"][0]["locality"] == "Taunton"
    assert [p["reference"] for p in sections["posts_held"]] == ["T-01"]
    assert [p["status"] for p in sections["training_places"]] == ["present"]
    actions = {event["action"] for event in sections["audit_events"]}
    assert {"go_live", "update"} <= actions
    assert [e["kind"] for e in sections["security_events"]] == ["sign_in_failed"]
    assert [a["address"] for a in sections["sign_in_attempts"]] == ["10.1.1.1"]
    assert [m["subject"] for m in sections["outbox_messages"]] == [f"Your week, {NAME}"]
    assert "token_hash" not in sections["api_tokens"][0]
    [imported] = sections["import_rows"]
    assert imported["rows"] == [[NAME, EMAIL]]
    assert imported["errors"] == [{"row": 2, "message": f"{NAME} twice"}]
    assert json.loads(subject_access.as_json(found))["email"] == EMAIL

    book = load_workbook(io.BytesIO(subject_access.as_xlsx(found)))
    assert "Staff records" in book.sheetnames and "Outbox messages" in book.sheetnames
    staff_sheet = [list(row) for row in book["Staff records"].iter_rows(values_only=True)]
    assert NAME in staff_sheet[1]

    admin = db.session.scalar(select(User).where(User.role == "admin"))
    subject_access.record_export(EMAIL, "xlsx", admin, found)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "subject_access_export")
    )
    assert event.actor_id == admin.id and event.after["records"]["staff_records"] == 1


def test_an_address_nobody_has_gives_empty_sections(app):
    found = subject_access.collect("nobody@example.org")
    assert all(rows == [] for rows in found["sections"].values())
    load_workbook(io.BytesIO(subject_access.as_xlsx(found)))
