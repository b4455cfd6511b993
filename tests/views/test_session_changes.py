"""The pages that change a session: its details form (a new date is a reschedule), the
cancellation's confirmation page, and how a cancelled session shows on its page and the schedule."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select, update

from programme.extensions import db
from programme.models import Membership, Role, TrainingSession
from programme.services.training import (
    catalogue,
    enrolment,
    registers,
    schedule,
    session_changes,
    staff_members,
)
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread

FUTURE = TODAY + timedelta(days=21)


@pytest.fixture
def world(app):
    """A Cumbrian programme with a team of three and an upcoming session they are all on."""
    programme = create_programme("Cumbria Family Safeguarding", "cumbria")
    locality = create_locality(programme, name="Penrith", slug="penrith")
    team = create_team(locality, name="Eden Valley Team")
    role = db.session.scalar(
        select(Role).where(Role.programme_id == programme.id, Role.key == "social_worker")
    )
    people = [
        staff_members.create_staff(
            team,
            None,
            name=name,
            email=f"{name.split()[0].lower()}@eden.example.org",
            role_id=role.id,
        )
        for name in ("Orla Finch", "Priya Doyle", "Tomas Reyes")
    ]
    trainer = create_user("trainer", name="Rhian Moss")
    session = schedule.create_session(
        catalogue.get_course(programme, "mi"),
        2,
        FUTURE,
        None,
        trainer=trainer,
        venue="Kendal Hall",
        starts_at=time(9, 30),
        cost_pence=45_000,
    )
    enrolment.enrol(session, [person.id for person in people], None)
    return programme, session, people, trainer


def _url(session, suffix: str = "") -> str:
    return f"/programmes/cumbria/training/sessions/{session.id}{suffix}"


def _form(session, **changes) -> dict:
    form = {
        "on": session.on.isoformat(),
        "starts_at": session.starts_at.strftime("%H:%M") if session.starts_at else "",
        "venue": session.venue,
        "trainer": session.trainer.email if session.trainer else "",
        "capacity": str(session.capacity),
        "cost": f"{session.cost_pence / 100:.2f}",
        "version": str(session.version),
    }
    form.update(changes)
    return form


def _error_summary(page: str) -> str:
    match = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert match, "the page has no error summary"
    return visible_text(match.group(0))


def _flashes(page: str) -> list[str]:
    return [
        visible_text(text)
        for text in re.findall(r'<p class="app-notification__text">(.*?)</p>', page, re.S)
    ]


def _options(page: str, select_id: str) -> list[str]:
    select_ = re.search(rf'<select[^>]*id="{select_id}".*?</select>', page, re.S)
    assert select_, f"no select {select_id}"
    return [visible_text(label) for label in re.findall(r"<option[^>]*>(.*?)</option>", select_[0])]


# ------------------------------------------------------------------ the Trainer field


def test_the_trainer_field_offers_only_active_trainers_and_programme_managers(app, sign_in, world):
    programme, session, _people, trainer = world
    create_user("programme_manager", name="Bea Lowther")
    create_user("board_member", name="Cal Board")
    create_user("viewer", name="Dot Viewer")
    create_user("hr_lead", name="Eve Payroll")
    create_user("trainer", name="Finn Gone", active=False)
    client = sign_in(trainer)

    for url in ("/programmes/cumbria/training/sessions/new", _url(session, "/edit")):
        options = _options(page_of(client.get(url)), "trainer")
        assert options == [
            "No trainer yet",
            "Bea Lowther (Programme manager)",
            "Rhian Moss (Trainer)",
        ]


def test_the_current_trainer_stays_listed_and_marked_once_no_longer_a_trainer(app, sign_in, world):
    programme, session, _people, trainer = world
    # Roles are held per programme: they are a viewer in this one now.
    db.session.execute(
        update(Membership)
        .where(Membership.user_id == trainer.id, Membership.programme_id == programme.id)
        .values(role="viewer")
    )
    db.session.commit()
    client = sign_in(create_user("programme_manager", name="Bea Lowther"))

    page = page_of(client.get(_url(session, "/edit")))

    assert "Rhian Moss (Viewer, not a trainer now)" in _options(page, "trainer")
    assert re.search(r'<option selected value="' + re.escape(trainer.email), page)
    # Saving another change keeps them.
    response = client.post(_url(session, "/edit"), data=_form(session, venue="Appleby Library"))
    assert response.status_code == 302
    assert reread(session).trainer_id == trainer.id


def test_a_trainer_not_offered_is_refused_naming_the_field(app, sign_in, world):
    _programme, session, _people, _trainer = world
    viewer = create_user("viewer", name="Dot Viewer")
    client = sign_in(create_user("trainer"))

    response = client.post(_url(session, "/edit"), data=_form(session, trainer=viewer.email))

    assert response.status_code == 400
    page = page_of(response)
    assert re.search(r'<a href="#trainer">Choose the trainer from the list', page)
    assert reread(session).trainer.name == "Rhian Moss"


# ------------------------------------------------------------------ editing and rescheduling


def test_the_session_page_offers_the_changes_to_those_who_manage_training(app, sign_in, world):
    _programme, session, _people, trainer = world

    page = page_of(sign_in(trainer).get(_url(session)))
    assert f'href="{_url(session, "/edit")}">Change session details</a>' in page
    assert f'href="{_url(session, "/cancel")}">Cancel session</a>' in page

    viewer_page = page_of(sign_in(create_user("viewer")).get(_url(session)))
    assert "Change session details" not in viewer_page
    assert "Cancel session" not in viewer_page


def test_the_edit_form_opens_with_the_sessions_values_and_version(app, sign_in, world):
    _programme, session, _people, trainer = world

    page = page_of(sign_in(trainer).get(_url(session, "/edit")))

    assert f'value="{FUTURE.isoformat()}"' in page
    assert 'value="09:30"' in page
    assert 'value="Kendal Hall"' in page
    assert 'name="capacity" type="text" value="16"' in page or 'value="16"' in page
    assert 'value="450.00"' in page
    assert f'name="version" type="hidden" value="{session.version}"' in page
    assert "sent to the 3 people enrolled as an updated calendar invitation" in visible_text(page)


def test_a_trainer_reschedules_a_session_and_sees_its_new_date(app, sign_in, world):
    _programme, session, _people, trainer = world
    client = sign_in(trainer)
    later = FUTURE + timedelta(days=7)

    response = client.post(
        _url(session, "/edit"), data=_form(session, on=later.isoformat(), starts_at="10:00")
    )

    assert response.status_code == 302
    assert response.headers["Location"] == _url(session)
    page = page_of(client.get(_url(session)))
    when = f"{later.day} {later:%b %Y}"
    assert (
        f"Rescheduled Motivational Interviewing, module 2 to {when} at 10:00. "
        "Sent the 3 people on it an updated invitation."
    ) in _flashes(page)
    assert f"{when}" in visible_text(re.search(r'id="session-details".*?</dl>', page, re.S)[0])
    session = reread(session)
    assert (session.on, session.starts_at, session.sequence) == (later, time(10, 0), 1)
    assert len(session.places) == 3


def test_a_correction_that_moves_nothing_says_so_and_tells_nobody(app, sign_in, world):
    _programme, session, _people, trainer = world
    client = sign_in(trainer)

    client.post(_url(session, "/edit"), data=_form(session, venue="Appleby Library", cost="500"))
    page = page_of(client.get(_url(session)))

    assert "Saved the changes to Motivational Interviewing, module 2." in _flashes(page)
    session = reread(session)
    assert (session.venue, session.cost_pence, session.sequence) == ("Appleby Library", 50_000, 0)

    client.post(_url(session, "/edit"), data=_form(session))
    assert "Nothing changed." in _flashes(page_of(client.get(_url(session))))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"capacity": "2"},
            "capacity",
            "3 people are enrolled, so the capacity cannot be less than 3. "
            "Move or un-enrol people first.",
        ),
        ({"capacity": ""}, "capacity", "Enter the capacity, a whole number from 1 to 500."),
        ({"capacity": "ten"}, "capacity", "Not a valid integer value."),
        (
            {"on": (TODAY - timedelta(days=1)).isoformat()},
            "on",
            f"A session cannot be moved into the past: choose {TODAY.day} {TODAY:%b %Y} or a "
            "later date.",
        ),
        ({"on": "2027-02-30"}, "on", "Date must be a real date."),
        ({"cost": ""}, "cost", "Enter the cost in pounds"),
        ({"cost": "-5"}, "cost", "Enter the cost in pounds, such as 1500 or 1500.50."),
    ],
)
def test_a_refused_edit_shows_an_error_summary_naming_the_field(
    app, sign_in, world, changes, field, message
):
    _programme, session, _people, trainer = world
    before = (session.on, session.capacity, session.cost_pence, session.version)

    response = sign_in(trainer).post(_url(session, "/edit"), data=_form(session, **changes))

    assert response.status_code == 400
    page = page_of(response)
    assert "<title>Error: " in page
    assert message in _error_summary(page)
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', page)
    session = reread(session)
    assert (session.on, session.capacity, session.cost_pence, session.version) == before


def test_a_held_session_keeps_its_date_but_its_venue_can_be_corrected(app, sign_in, world):
    programme, _session, people, trainer = world
    held = schedule.create_session(
        catalogue.get_course(programme, "mi"), 1, TODAY - timedelta(days=7), None
    )
    enrolment.enrol(held, [person.id for person in people], None)
    registers.save_register(held, {person.id: "present" for person in people}, None, today=TODAY)
    client = sign_in(trainer)

    form_page = visible_text(page_of(client.get(_url(held, "/edit"))))
    assert "Attendance is recorded for 3 people, so the date stays" in form_page

    response = client.post(_url(held, "/edit"), data=_form(held, on=FUTURE.isoformat()))
    assert response.status_code == 400
    assert re.search(r'<a href="#on">Attendance is recorded for 3 people', page_of(response))

    response = client.post(_url(held, "/edit"), data=_form(held, venue="Appleby Library"))
    assert response.status_code == 302
    held = reread(held)
    assert held.venue == "Appleby Library"
    assert sorted(place.status for place in held.places) == ["present"] * 3


def test_an_edit_over_someone_elses_change_is_refused_showing_the_current_values(
    app, sign_in, world
):
    _programme, session, _people, trainer = world
    opened = _form(session, venue="Appleby Library")
    session_changes.edit_session(session, None, venue="Shap Village Hall")  # someone else
    client = sign_in(trainer)

    response = client.post(_url(session, "/edit"), data=opened)

    assert response.status_code == 409
    page = page_of(response)
    assert "Someone else changed Motivational Interviewing, module 2" in _error_summary(page)
    current = visible_text(re.search(r'id="current-values".*?</dl>', page, re.S)[0])
    assert "Shap Village Hall" in current
    assert 'value="Appleby Library"' in page  # their version, to save again if they mean it
    assert f'name="version" type="hidden" value="{reread(session).version}"' in page
    assert reread(session).venue == "Shap Village Hall"

    again = client.post(
        _url(session, "/edit"), data=_form(reread(session), venue="Appleby Library")
    )
    assert again.status_code == 302
    assert reread(session).venue == "Appleby Library"


def test_an_unreadable_version_counts_as_stale(app, sign_in, world):
    _programme, session, _people, trainer = world
    response = sign_in(trainer).post(
        _url(session, "/edit"), data=_form(session, venue="Appleby Library", version="x")
    )
    assert response.status_code == 409
    assert reread(session).venue == "Kendal Hall"


# ------------------------------------------------------------------ cancelling


def test_the_cancel_page_says_who_will_be_told_and_asks_for_a_reason(app, sign_in, world):
    _programme, session, _people, trainer = world

    response = sign_in(trainer).get(_url(session, "/cancel"))

    assert response.status_code == 200
    page = page_of(response)
    told = visible_text(re.search(r'<ul class="app-list" id="people-told">.*?</ul>', page, re.S)[0])
    assert (
        told
        == "Orla Finch Eden Valley Team Priya Doyle Eden Valley Team Tomas Reyes Eden Valley Team"
    )
    assert "3 people are enrolled." in visible_text(page)
    assert re.search(r'<label class="app-label" for="reason">Why is the session cancelled\?', page)
    assert re.search(r'<textarea[^>]*id="reason"', page)
    assert not reread(session).cancelled  # looking changes nothing


def test_cancelling_without_a_reason_is_refused_naming_the_field(app, sign_in, world):
    _programme, session, _people, trainer = world

    response = sign_in(trainer).post(
        _url(session, "/cancel"), data={"reason": "  ", "version": str(session.version)}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "<title>Error: " in page
    assert re.search(r'<a href="#reason">Enter the reason for cancelling', page)
    assert not reread(session).cancelled
    assert len(reread(session).places) == 3


def test_a_cancelled_session_shows_its_reason_and_offers_no_forms(app, sign_in, world):
    programme, session, _people, trainer = world
    client = sign_in(trainer)

    response = client.post(
        _url(session, "/cancel"),
        data={"reason": "The trainer is ill.", "version": str(session.version)},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == _url(session)
    page = page_of(client.get(_url(session)))
    when = f"{FUTURE.day} {FUTURE:%b %Y}"
    assert (
        f"Cancelled Motivational Interviewing, module 2 on {when}. Told the 3 people on it; "
        "their places are released."
    ) in _flashes(page)
    banner = visible_text(re.search(r'id="cancelled".*?</div>', page, re.S)[0])
    assert f"cancelled on {TODAY.day} {TODAY:%b %Y}: The trainer is ill." in banner
    assert 'id="enrol-form"' not in page and 'id="register-form"' not in page
    assert "Change session details" not in page and "Cancel session" not in page

    schedule_page = page_of(client.get("/programmes/cumbria/training/sessions"))
    row = visible_text(re.search(rf'<tr id="session-{session.id}".*?</tr>', schedule_page, re.S)[0])
    assert "Cancelled" in row and "None: cancelled" in row
    assert count_rows(TrainingSession) == 1

    # Its pages for changing it send back, saying why.
    for suffix in ("/edit", "/cancel"):
        again = client.get(_url(session, suffix))
        assert again.status_code == 302 and again.headers["Location"] == _url(session)
    refused = client.post(_url(session, "/edit"), data=_form(session, venue="Elsewhere"))
    assert refused.status_code == 302
    assert reread(session).venue == "Kendal Hall"
    assert any(
        "was cancelled: it cannot be changed" in f
        for f in _flashes(page_of(client.get(_url(session))))
    )


def test_a_cancelled_past_session_is_not_a_missing_register(app, sign_in, world, pin_clock):
    _programme, session, _people, trainer = world
    session_changes.cancel_session(session, None, "Venue flooded")
    pin_clock(FUTURE + timedelta(days=3))

    page = page_of(sign_in(trainer).get("/programmes/cumbria/training/sessions"))

    assert 'id="missing-registers"' not in page
    assert f'id="session-{session.id}"' in page


def test_a_held_session_cannot_be_cancelled(app, sign_in, world):
    programme, _session, people, trainer = world
    held = schedule.create_session(catalogue.get_course(programme, "mi"), 1, TODAY, None)
    enrolment.enrol(held, [people[0].id], None)
    registers.save_register(held, {people[0].id: "absent"}, None, today=TODAY)
    client = sign_in(trainer)

    page = page_of(client.get(_url(held)))
    assert "Change session details" in page and "Cancel session" not in page

    form_page = page_of(client.get(_url(held, "/cancel")))
    assert "This session cannot be cancelled. Attendance is recorded for 1 person" in (
        visible_text(form_page)
    )
    assert 'id="cancel-session-form"' not in form_page

    response = client.post(
        _url(held, "/cancel"), data={"reason": "Nobody came", "version": str(held.version)}
    )
    assert response.status_code == 400
    assert "a session that was held cannot be cancelled" in _error_summary(page_of(response))
    assert not reread(held).cancelled


def test_a_cancel_over_someone_elses_change_is_refused(app, sign_in, world):
    _programme, session, _people, trainer = world
    opened = str(session.version)
    session_changes.edit_session(session, None, on=FUTURE + timedelta(days=1))

    response = sign_in(trainer).post(
        _url(session, "/cancel"), data={"reason": "Trainer ill", "version": opened}
    )

    assert response.status_code == 409
    assert "Someone else changed" in _error_summary(page_of(response))
    assert not reread(session).cancelled


def test_the_session_changes_are_for_those_who_manage_training(app, sign_in, world):
    _programme, session, _people, _trainer = world
    client = sign_in(create_user("hr_lead"))
    assert client.get(_url(session, "/edit")).status_code == 403
    assert client.post(_url(session, "/cancel"), data={"reason": "x"}).status_code == 403
    assert not reread(session).cancelled


def test_an_unknown_session_is_not_found(app, sign_in, world):
    client = sign_in(create_user("trainer"))
    assert client.get("/programmes/cumbria/training/sessions/999999/edit").status_code == 404
    assert client.get("/programmes/cumbria/training/sessions/999999/cancel").status_code == 404
