"""Changing a milestone, adding one to a locality, and "my milestones"."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from programme.extensions import db
from programme.models import Milestone
from programme.services import milestones as milestone_service
from tests.builders import (
    create_locality,
    create_milestone,
    create_programme,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, reread

GO_LIVE = date(2027, 4, 6)


def _form(milestone: Milestone, **changes) -> dict:
    form = {
        "version": str(milestone.version),
        "status": milestone.status,
        "owner": milestone.owner.email if milestone.owner else "",
        "due": milestone.due.isoformat() if milestone.due else "",
        "notes": milestone.notes,
    }
    form.update(changes)
    return form


# ------------------------------------------------------------------ changing a milestone


def test_the_edit_form_shows_the_milestone_with_its_version_and_owner_chosen(app, sign_in):
    helen = create_user("hr_lead", name="Helen Rees")
    milestone = create_milestone(create_locality(), title="Board set up", owner=helen)
    client = sign_in(create_user("programme_manager"))

    response = client.get(f"/milestones/{milestone.id}/edit")

    assert response.status_code == 200
    page = page_of(response)
    assert "Board set up" in page
    assert re.search(rf'name="version"[^>]*value="{milestone.version}"', page) or re.search(
        rf'value="{milestone.version}"[^>]*name="version"', page
    )
    assert re.search(
        rf'<option selected value="{helen.email}">|<option value="{helen.email}" selected', page
    )


def test_a_programme_manager_saves_a_change_and_it_is_audited(app, sign_in):
    priya = create_user("programme_manager", name="Priya Shah")
    helen = create_user("hr_lead", email="helen@example.org")
    locality = create_locality(go_live=GO_LIVE)
    milestone = create_milestone(locality, title="Board set up", due=date(2027, 1, 6))
    client = sign_in(priya)

    response = client.post(
        f"/milestones/{milestone.id}/edit",
        data=_form(milestone, status="in_progress", owner=helen.email, notes="Chair named"),
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "Saved “Board set up”." in page_of(response)
    assert (
        response.request.path == f"/programmes/{locality.programme.slug}/localities/{locality.slug}"
    )
    saved = reread(milestone)
    assert (saved.status, saved.owner_id, saved.notes) == ("in_progress", helen.id, "Chair named")
    [event] = audit_events_for("milestone", milestone.id)
    assert event.actor_id == priya.id
    assert event.before == {"status": "not_started", "owner": None, "notes": ""}
    assert event.after == {
        "status": "in_progress",
        "owner": "helen@example.org",
        "notes": "Chair named",
    }


def test_a_due_date_after_go_live_is_saved_with_a_warning(app, sign_in):
    locality = create_locality(go_live=GO_LIVE)
    milestone = create_milestone(locality, title="Board set up", offset_amount=3)
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/milestones/{milestone.id}/edit",
        data=_form(milestone, due="2027-04-20"),
        follow_redirects=True,
    )

    page = page_of(response)
    warning = re.search(
        r'<div class="app-notification app-notification--warning".*?</div>', page, re.S
    )
    assert warning is not None
    assert (
        "“Board set up” must be done before go-live but is now due after the go-live date "
        "(6 Apr 2027)." in visible_text(warning.group(0))
    )
    saved = reread(milestone)
    assert saved.due == date(2027, 4, 20)
    assert saved.due_set_manually is True
    assert len(audit_events_for("milestone", milestone.id)) == 1


def test_saving_without_changes_says_nothing_changed_and_writes_no_audit(app, sign_in):
    milestone = create_milestone(create_locality())
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/milestones/{milestone.id}/edit", data=_form(milestone), follow_redirects=True
    )

    assert "Nothing changed." in page_of(response)
    assert audit_events_for("milestone", milestone.id) == []


def test_a_form_opened_before_someone_else_saved_is_refused_and_overwrites_nothing(app, sign_in):
    alex = create_user("admin")
    priya = create_user("programme_manager")
    milestone = create_milestone(create_locality(), title="Board set up")
    opened = _form(milestone)  # Priya opens the form at version 1 ...
    milestone_service.update_milestone(  # ... Alex saves first.
        milestone.id,
        alex,
        today=TODAY,
        expected_version=milestone.version,
        status="in_progress",
        notes="Alex's notes",
    )
    client = sign_in(priya)

    response = client.post(
        f"/milestones/{milestone.id}/edit",
        data={**opened, "status": "blocked", "notes": "Priya's notes"},
    )

    assert response.status_code == 409
    page = page_of(response)
    assert "Someone else changed “Board set up” after you opened it." in page
    current = visible_text(
        re.search(r'<dl class="app-summary-list" id="current-values">(.*?)</dl>', page, re.S).group(
            1
        )
    )
    assert "In progress" in current and "Alex's notes" in current
    saved = reread(milestone)
    assert (saved.status, saved.notes) == ("in_progress", "Alex's notes")
    assert [event.actor_id for event in audit_events_for("milestone", milestone.id)] == [alex.id]
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert f'value="{saved.version}"' in page


def test_a_save_that_loses_a_race_with_another_save_is_refused_with_409(app, sign_in, monkeypatch):
    helen = create_user("hr_lead")
    milestone = create_milestone(create_locality(), title="Board set up")
    form = _form(milestone, status="done", owner=helen.email)
    load, loads = milestone_service.get_milestone, []

    def load_then_someone_else_saves(milestone_id):
        loaded = load(milestone_id)
        loads.append(milestone_id)
        if len(loads) == 2:  # the service's read, after the form's version was checked
            with db.engine.begin() as other:
                other.execute(
                    update(Milestone.__table__)
                    .where(Milestone.__table__.c.id == milestone_id)
                    .values(version=Milestone.__table__.c.version + 1, notes="Saved elsewhere")
                )
        return loaded

    monkeypatch.setattr(milestone_service, "get_milestone", load_then_someone_else_saves)
    client = sign_in(create_user("programme_manager"))

    response = client.post(f"/milestones/{milestone.id}/edit", data=form)

    assert response.status_code == 409
    assert "Someone else saved “Board set up” at the same moment." in page_of(response)
    saved = reread(milestone)
    assert (saved.status, saved.owner_id, saved.notes) == ("not_started", None, "Saved elsewhere")
    assert audit_events_for("milestone", milestone.id) == []


def test_resubmitting_after_a_stale_refusal_saves_the_change(app, sign_in):
    milestone = create_milestone(create_locality())
    opened = _form(milestone)
    milestone_service.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, notes="Someone else"
    )
    client = sign_in(create_user("programme_manager"))
    refused = client.post(f"/milestones/{milestone.id}/edit", data={**opened, "status": "done"})
    assert refused.status_code == 409

    current_version = reread(milestone).version
    response = client.post(
        f"/milestones/{milestone.id}/edit",
        data={**opened, "version": str(current_version), "status": "done"},
    )

    assert response.status_code == 302
    assert reread(milestone).status == "done"


@pytest.mark.parametrize(
    ("signed_in_as_owner", "status_code", "status_after"),
    [
        pytest.param(True, 302, "done", id="the trainer who owns it saves a change"),
        pytest.param(False, 403, "not_started", id="an HR lead who does not own it is refused"),
    ],
)
def test_who_may_change_a_trainer_s_milestone(
    app, sign_in, signed_in_as_owner, status_code, status_after
):
    trainer = create_user("trainer")
    milestone = create_milestone(create_locality(), owner=trainer)
    client = sign_in(trainer if signed_in_as_owner else create_user("hr_lead"))

    response = client.post(f"/milestones/{milestone.id}/edit", data=_form(milestone, status="done"))

    assert response.status_code == status_code
    assert reread(milestone).status == status_after


def test_a_viewer_may_not_change_even_a_milestone_they_own(app, sign_in):
    viewer = create_user("viewer")
    milestone = create_milestone(create_locality(), owner=viewer)
    client = sign_in(viewer)

    assert client.get(f"/milestones/{milestone.id}/edit").status_code == 403


def test_an_unknown_milestone_is_not_found(app, sign_in):
    client = sign_in(create_user("admin"))

    assert client.get("/milestones/9999/edit").status_code == 404
    assert client.post("/milestones/9999/edit", data={"version": "1"}).status_code == 404


# ------------------------------------------------------------------ adding a milestone


def test_a_programme_manager_adds_a_milestone_to_a_locality(app, sign_in):
    manager = create_user("programme_manager")
    locality = create_locality()
    create_workstream(locality.programme, "Launch")
    client = sign_in(manager)

    response = client.post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}/milestones/new",
        data={
            "title": "Launch celebration",
            "workstream": "Launch",
            "due": "2027-04-06",
            "owner": manager.email,
            "description": "",
            "gate_critical": "y",
        },
        follow_redirects=True,
    )

    assert "Added “Launch celebration”." in page_of(response)
    milestone = db.session.scalar(select(Milestone))
    assert (milestone.title, milestone.due, milestone.gate_critical, milestone.owner_id) == (
        "Launch celebration",
        date(2027, 4, 6),
        True,
        manager.id,
    )
    [event] = audit_events_for("milestone", milestone.id)
    assert (event.action, event.actor_id) == ("create", manager.id)


def test_adding_a_milestone_without_a_title_shows_the_error_summary(app, sign_in):
    locality = create_locality()
    create_workstream(locality.programme, "Launch")
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}/milestones/new",
        data={"title": "   ", "workstream": "Launch", "due": "", "owner": ""},
    )

    assert response.status_code == 400
    page = page_of(response)
    summary = re.search(r'<div class="app-error-summary".*?</div>', page, re.S).group(0)
    assert "There is a problem" in summary
    assert '<a href="#title">Enter the milestone\'s title.</a>' in summary
    assert "<title>Error: " in page
    assert db.session.scalars(select(Milestone)).all() == []


def test_a_board_member_may_not_add_a_milestone(app, sign_in):
    locality = create_locality()
    client = sign_in(create_user("board_member"))

    response = client.get(
        f"/programmes/{locality.programme.slug}/localities/{locality.slug}/milestones/new"
    )

    assert response.status_code == 403


# ------------------------------------------------------------------ my milestones


def test_my_milestones_lists_the_signed_in_user_s_milestones_open_first(app, sign_in):
    helen = create_user("hr_lead", name="Helen Rees")
    programme = create_programme()
    south = create_locality(programme, name="South Somerset")
    mendip = create_locality(programme, name="Mendip")
    create_milestone(south, title="Done already", owner=helen, status="done", due=date(2026, 9, 1))
    create_milestone(mendip, title="Overdue job", owner=helen, due=TODAY - timedelta(days=1))
    create_milestone(south, title="Later job", owner=helen, due=date(2027, 2, 1))
    create_milestone(south, title="Someone else's job", owner=create_user("trainer"))
    client = sign_in(helen)

    response = client.get("/my-milestones")

    assert response.status_code == 200
    rows = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", page_of(response), re.S)[1:]]
    assert rows == [
        "Overdue job Mendip 29 Nov 2026 Not started Overdue or blocked",
        "Later job South Somerset 1 Feb 2027 Not started On track",
        "Done already South Somerset 1 Sep 2026 Done On track",
    ]


def test_my_milestones_says_so_when_the_user_owns_none(app, sign_in):
    create_milestone(create_locality(), owner=create_user("trainer"))
    client = sign_in(create_user("viewer"))

    assert "You do not own any milestones." in page_of(client.get("/my-milestones"))


def test_my_milestones_needs_a_signed_in_user(app, client):
    response = client.get("/my-milestones")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_deactivated_owner_is_still_shown_and_kept_when_the_status_changes(app, sign_in):
    owner = create_user("hr_lead", name="Helen Rees")
    milestone = create_milestone(create_locality(), owner=owner)
    owner.active = False
    db.session.commit()
    client = sign_in(create_user("programme_manager"))

    form_page = page_of(client.get(f"/milestones/{milestone.id}/edit"))
    assert "Helen Rees (deactivated)" in form_page
    response = client.post(
        f"/milestones/{milestone.id}/edit",
        data={
            "version": milestone.version,
            "status": "in_progress",
            "owner": owner.email,
            "due": "2027-01-06",
            "notes": "",
        },
    )

    assert response.status_code == 302
    assert reread(milestone).owner_id == owner.id
