"""The administrators' data-protection pages (issue 16): erasure with a required reason, and the
subject access download, audited."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, User
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.conftest import sign_in_as


def test_erasure_needs_a_reason_then_erases_and_the_person_cannot_sign_in(app, client):
    admin = create_user("admin")
    person = create_user("viewer", name="Rosa Quint", email="rosa.quint@example.org")
    sign_in_as(client, admin)
    page = client.get("/admin/erasure")
    assert page.status_code == 200 and "Reason for erasing" in page.get_data(as_text=True)

    refused = client.post("/admin/erasure", data={"email": "rosa.quint@example.org"})
    assert refused.status_code == 400
    assert "Enter the reason for erasing this person." in refused.get_data(as_text=True)

    done = client.post(
        "/admin/erasure",
        data={"email": "rosa.quint@example.org", "reason": "Request ref DP-7"},
        follow_redirects=True,
    )
    assert "the person is now Erased person 1 everywhere" in done.get_data(as_text=True)
    erased = db.session.get(User, person.id)
    assert erased.name == "Erased person 1" and erased.erased_at is not None
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase_person"))
    assert event.actor_id == admin.id and "Request ref DP-7" in event.summary

    app.config["WTF_CSRF_ENABLED"] = False
    other = app.test_client()
    for address in ("rosa.quint@example.org", "erased-person-1@erased.invalid"):
        other.post("/login", data={"email": address, "password": DEFAULT_PASSWORD})
        assert other.get("/").status_code == 302  # still sent to sign in


def test_subject_access_downloads_json_and_xlsx_and_is_audited(app, client):
    admin = create_user("admin")
    create_user("viewer", name="Rosa Quint", email="rosa.quint@example.org")
    sign_in_as(client, admin)
    assert client.get("/admin/subject-access").status_code == 200

    as_json = client.post(
        "/admin/subject-access", data={"email": "rosa.quint@example.org", "format": "json"}
    )
    assert as_json.status_code == 200 and as_json.headers["Cache-Control"] == "no-store"
    found = json.loads(as_json.get_data())
    assert found["sections"]["user_account"][0]["name"] == "Rosa Quint"

    as_xlsx = client.post(
        "/admin/subject-access", data={"email": "rosa.quint@example.org", "format": "xlsx"}
    )
    assert "attachment" in as_xlsx.headers["Content-Disposition"]
    load_workbook(io.BytesIO(as_xlsx.get_data()))
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "subject_access_export")
    ).all()
    assert [event.after["format"] for event in events] == ["json", "xlsx"]


def test_only_admins_reach_the_data_protection_pages(app, client):
    sign_in_as(client, create_user("programme_manager"))
    assert client.get("/admin/erasure").status_code == 403
    assert client.get("/admin/subject-access").status_code == 403


def test_the_command_line_erases_and_exports_for_an_administrator(app, runner, tmp_path):
    admin = create_user("admin", email="chief@example.org")
    create_user("viewer", name="Rosa Quint", email="rosa.quint@example.org")
    out = tmp_path / "rosa.json"

    exported = runner.invoke(
        args=["people", "export", "rosa.quint@example.org", "--out", str(out), "--by", admin.email]
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["sections"]["user_account"][0]["name"] == "Rosa Quint"

    refused = runner.invoke(
        args=["people", "erase", "rosa.quint@example.org", "--reason", "x", "--by", "nobody@x.org"]
    )
    assert refused.exit_code == 1
    erased = runner.invoke(
        args=[
            "people",
            "erase",
            "rosa.quint@example.org",
            "--reason",
            "Request ref DP-9",
            "--by",
            admin.email,
            "--json",
        ]
    )
    assert erased.exit_code == 0, erased.output
    assert json.loads(erased.output)["erased"] == "Erased person 1"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase_person"))
    assert event.actor_id == admin.id and "Request ref DP-9" in event.summary
