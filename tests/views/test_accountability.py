"""Accountability (issue 16): every audit event carries the channel it came through (web pages,
command line, JSON API, scheduler) and the trail says so; refused requests to signed-in people go
to the security log."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, SecurityEvent
from programme.scheduler import Job, in_app_context
from programme.services import audit
from programme.services.channel import current_channel
from tests.builders import (
    create_locality,
    create_milestone,
    create_programme,
    create_team,
    create_user,
)
from tests.pages import page_of, visible_text
from tests.views.test_readiness import _make_ready, _setting

STAFF_HEADER = "Name,Email,Locality,Team,Role,Start date\n"


def _events(action: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _trail_rows(response) -> str:
    found = re.search(
        r'<table class="app-table[^"]*" id="audit">(.*?)</table>', page_of(response), re.S
    )
    return visible_text(found.group(1)) if found else ""


def _locality_trail(locality) -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}/audit"


# ---------------------------------------------------------------- the channel recorded


def test_a_change_made_on_a_page_is_recorded_as_web(app, sign_in):
    manager = create_user("programme_manager", name="Pat Manager")
    locality = create_locality(name="Mendip", go_live=date(2027, 5, 4))

    posted = sign_in(manager).post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}/edit",
        data={"name": "Mendip", "wave": "2", "go_live": "2027-06-01"},
    )

    assert posted.status_code == 302
    assert [event.channel for event in _events()] and {e.channel for e in _events()} == {"web"}


def test_a_command_records_cli_and_the_trail_reads_command_line_acting_as(app, runner, sign_in):
    ada = create_user("programme_manager", name="Ada Lovelace", email="ada@example.org")
    locality = create_locality(name="Mendip", slug="mendip")
    milestone = create_milestone(locality, title="Board set up")

    result = runner.invoke(
        args=[
            "milestones",
            "update",
            str(milestone.id),
            "--status",
            "done",
            "--by",
            "ada@example.org",
        ]
    )

    assert result.exit_code == 0, result.output
    (event,) = _events("update")
    assert (event.channel, event.actor_id) == ("cli", ada.id)
    assert current_channel() == "web"  # the command's channel ended with it
    board = create_user("board_member", name="Bea Board")
    rows = _trail_rows(sign_in(board).get(_locality_trail(locality)))
    assert "command line, acting as Ada Lovelace" in rows


def test_a_cli_import_without_by_reads_command_line_and_with_by_acting_as(app, runner, tmp_path):
    ada = create_user("hr_lead", name="Ada Lovelace", email="ada@example.org")
    programme = create_programme(slug="somerset")
    create_team(create_locality(programme, name="Bridgwater", slug="bridgwater"), name="FS Team")
    first = tmp_path / "staff.csv"
    first.write_text(STAFF_HEADER + "Ann Lee,ann@x.org,Bridgwater,FS Team,SW,04/03/2024\n")
    second = tmp_path / "more.csv"
    second.write_text(STAFF_HEADER + "Sam Patel,sam@x.org,Bridgwater,FS Team,SW,04/03/2024\n")
    already = len(_events())  # setting the programme up is audited too

    anonymous = runner.invoke(args=["staff", "import", str(first), "--programme", "somerset"])
    by_ada = runner.invoke(
        args=["staff", "import", str(second), "--programme", "somerset", "--by", "ada@example.org"]
    )

    assert anonymous.exit_code == 0, anonymous.output
    assert by_ada.exit_code == 0, by_ada.output
    imports = [event for event in _events() if event.action == "import"]
    assert [(event.channel, event.actor_id) for event in imports] == [
        ("cli", None),
        ("cli", ada.id),
    ]
    assert {event.channel for event in _events()[already:]} == {"cli"}


def test_a_cli_import_by_someone_unknown_exits_1_writing_nothing(app, runner, tmp_path):
    programme = create_programme(slug="somerset")
    create_team(create_locality(programme, name="Bridgwater", slug="bridgwater"), name="FS Team")
    path = tmp_path / "staff.csv"
    path.write_text(STAFF_HEADER + "Ann Lee,ann@x.org,Bridgwater,FS Team,SW,04/03/2024\n")
    already = _events()

    result = runner.invoke(
        args=["staff", "import", str(path), "--programme", "somerset", "--by", "who@example.org"]
    )

    assert result.exit_code == 1
    assert "There is no user with the e-mail address who@example.org." in result.stderr
    assert _events() == already


def test_an_api_change_records_json_and_reads_api_then_the_name(app, sign_in):
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)
    client = sign_in(create_user("board_member", name="Bea Board"))

    posted = client.post(
        f"/api/programmes/{programme.slug}/localities/{locality.slug}/go-live", json={}
    )

    assert posted.status_code == 201, posted.get_json()
    (event,) = _events("go_live")
    assert event.channel == "json"
    assert current_channel() == "web"
    assert "API, Bea Board" in _trail_rows(client.get(_locality_trail(locality)))


def test_a_scheduled_job_records_scheduler_and_reads_scheduled_job(app, sign_in):
    locality = create_locality(name="Mendip", slug="mendip")
    programme_id, locality_id = locality.programme_id, locality.id

    def job_work():
        audit.record(
            None,
            "update",
            "locality",
            locality_id,
            "Done on schedule",
            programme_id=programme_id,
            locality_id=locality_id,
        )
        db.session.commit()
        return current_channel()

    ran = in_app_context(app, Job("test", "REMINDER_CRON", job_work, "a test job"))()

    assert ran == "scheduler"
    assert current_channel() == "web"
    (event,) = _events("update")
    assert event.channel == "scheduler"
    board = create_user("board_member")
    db.session.expire_all()
    assert "scheduled job" in _trail_rows(
        sign_in(board).get(_locality_trail(db.session.merge(locality)))
    )


# ---------------------------------------------------------------- refused requests


def _refusals() -> list[SecurityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "refused")))


def test_a_403_to_a_signed_in_user_is_logged_with_path_address_and_status(app, sign_in):
    viewer = create_user("viewer", email="vic@example.org")
    locality = create_locality()

    response = sign_in(viewer).get(_locality_trail(locality) + "?kind=x")

    assert response.status_code == 403
    (event,) = _refusals()
    assert (event.user_id, event.email, event.channel) == (viewer.id, "vic@example.org", "web")
    assert event.path == _locality_trail(locality) + "?kind=x"
    assert event.address == "127.0.0.1"
    assert event.detail.startswith("403 GET")


def test_a_404_to_a_signed_in_user_is_logged_but_not_an_anonymous_or_static_one(
    app, client, sign_in
):
    assert client.get("/no-such-page").status_code == 404
    assert _refusals() == []

    signed_in = sign_in(create_user("viewer"))
    assert signed_in.get("/static/no-such-file.css").status_code == 404
    assert _refusals() == []

    assert signed_in.get("/no-such-page").status_code == 404
    (event,) = _refusals()
    assert (event.path, event.detail) == ("/no-such-page", "404 GET")


def test_an_api_refusal_is_logged_through_the_api(app, sign_in):
    signed_in = sign_in(create_user("board_member"))

    assert signed_in.get("/api/programmes/nowhere/localities/none/readiness").status_code == 404
    (event,) = _refusals()
    assert event.channel == "json"


def test_a_csrf_failure_of_a_signed_in_user_is_logged(app, sign_in):
    app.config["WTF_CSRF_ENABLED"] = True
    locality = create_locality()
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}/edit",
        data={"name": "Renamed"},
    )

    assert response.status_code == 400
    (event,) = _refusals()
    assert event.detail.startswith("400 POST: the form's security token")


def test_a_refusal_the_log_cannot_take_still_answers(app, sign_in, monkeypatch):
    from programme.views import accountability

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(accountability, "Session", broken)
    response = sign_in(create_user("viewer")).get("/no-such-page")

    assert response.status_code == 404
    assert _refusals() == []
