"""Training pages: the programme's shares and costs, the schedule, scheduling a session, a
session's register and enrolment, a locality's completion matrix, and adding a person."""

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Attendance, Programme, Role, StaffMember, TrainingSession
from programme.services.training import (
    catalogue,
    completion,
    enrolment,
    registers,
    schedule,
    staff_members,
)
from tests.builders import create_locality, create_programme, create_team, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread

PAST = TODAY - timedelta(days=14)
FUTURE = TODAY + timedelta(days=14)

# ------------------------------------------------------------------ helpers


def _role(programme, key: str) -> Role:
    return db.session.scalar(select(Role).where(Role.programme_id == programme.id, Role.key == key))


def _person(team, name: str, role_key: str = "social_worker", **dates) -> StaffMember:
    programme = team.locality.programme
    email = name.lower().replace(" ", ".") + f".{team.id}@example.org"
    return staff_members.create_staff(
        team, None, name=name, email=email, role_id=_role(programme, role_key).id, **dates
    )


def _people(team, how_many: int, prefix: str = "Worker") -> list[StaffMember]:
    return [_person(team, f"{prefix} {n:02d}") for n in range(1, how_many + 1)]


def _session(programme, module: int = 1, on: date = TODAY, course: str = "mi", **options):
    return schedule.create_session(
        catalogue.get_course(programme, course), module, on, None, **options
    )


def _held(programme, module: int, people, on: date = PAST, course: str = "mi", **marks):
    """A session held on `on` with `people` enrolled and marked present (or as `marks` say)."""
    session = _session(programme, module, on, course)
    enrolment.enrol(  # history: whoever came, however many
        session, [p.id for p in people], None, confirm_over_capacity=True, check_rules=False
    )
    statuses = {person.id: marks.get(person.name, "present") for person in people}
    registers.save_register(session, statuses, None, today=TODAY)
    return session


def _setting():
    """A locality with one team: the programme, locality and team."""
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    team = create_team(locality, name="FS Team North")
    return programme, locality, team


def _session_url(session, suffix: str = "") -> str:
    slug = db.session.get(Programme, session.programme_id).slug
    return f"/programmes/{slug}/training/sessions/{session.id}{suffix}"


def _locality_url(locality) -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}/training"


def _error_summary(page: str) -> str:
    match = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert match, "the page has no error summary"
    return visible_text(match.group(0))


def _flashes(page: str) -> list[str]:
    return [
        visible_text(text)
        for text in re.findall(r'<p class="app-notification__text">(.*?)</p>', page, re.S)
    ]


def _place_statuses(session) -> dict[str, str | None]:
    return {
        place.staff.name: place.status
        for place in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }


def _register_form(page: str, session) -> dict[str, str]:
    """The register's fields as the page would submit them: each checked radio."""
    form = re.search(r'<form[^>]*id="register-form".*?</form>', page, re.S)
    assert form, "the page has no register form"
    return dict(re.findall(r'<input[^>]*name="(mark-\d+)" value="(\w+)" checked>', form.group(0)))


def _row(page: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}".*?</tr>', page, re.S)
    assert match, f"no row {row_id}"
    return visible_text(match.group(0))


# ------------------------------------------------------------------ every page, for a viewer


def test_a_viewer_sees_every_training_page(app, sign_in):
    programme, locality, team = _setting()
    people = _people(team, 2)
    past = _held(programme, 1, people)
    today_session = _session(programme, 2, TODAY, venue="Taunton library")
    future = _session(programme, 3, FUTURE)
    client = sign_in(create_user("viewer"))

    pages = {
        f"/programmes/{programme.slug}/training": "Training",
        f"/programmes/{programme.slug}/training/sessions": "Training sessions",
        _session_url(past): "Motivational Interviewing, module 1",
        _session_url(today_session): "Motivational Interviewing, module 2",
        _session_url(future): "Motivational Interviewing, module 3",
        _locality_url(locality): "Bridgwater",
    }
    for url, heading in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.search(r"<h1[^>]*>\s*" + re.escape(heading) + r"\s*</h1>", page_of(response))
        # A viewer is offered nothing to change.
        assert "Save register" not in page_of(response)
        assert "Schedule a session" not in page_of(response)
        assert "Enrol people" not in page_of(response)


def test_the_programme_and_locality_pages_link_to_training(app, sign_in):
    programme, locality, _team = _setting()
    client = sign_in(create_user("viewer"))

    overview = page_of(client.get(f"/programmes/{programme.slug}"))
    recruitment = page_of(
        client.get(f"/programmes/{programme.slug}/localities/bridgwater/recruitment")
    )

    assert f'href="/programmes/{programme.slug}/training"' in overview
    assert f'href="{_locality_url(locality)}"' in recruitment


# ------------------------------------------------------------------ the schedule


def test_the_schedule_lists_upcoming_and_past_sessions_and_flags_a_missing_register(app, sign_in):
    programme, _locality, team = _setting()
    trainer = create_user("trainer", name="Tess Trainer")
    people = _people(team, 3)
    recorded = _held(programme, 1, people)
    missing = _session(programme, 2, PAST - timedelta(days=1))
    upcoming = _session(
        programme, 3, FUTURE, venue="Bridgwater House", starts_at=time(9, 30), trainer=trainer
    )
    enrolment.enrol(upcoming, [person.id for person in people], None)
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{programme.slug}/training/sessions"))

    upcoming_table = re.search(
        r'<table class="app-table app-table--stack" id="upcoming">.*?</table>', page, re.S
    )[0]
    past_table = re.search(
        r'<table class="app-table app-table--stack" id="past">.*?</table>', page, re.S
    )[0]
    assert f'id="session-{upcoming.id}"' in upcoming_table
    assert _row(page, f"session-{upcoming.id}") == (
        "Motivational Interviewing, module 3 Day 3: planning, sustain talk and discord "
        f"{FUTURE.day} {FUTURE:%b %Y} 09:30 Bridgwater House Tess Trainer 3 of 16 Opens on the day"
    )
    assert f'id="session-{missing.id}"' in past_table
    assert _row(page, f"session-{missing.id}").endswith("0 of 16 No register")
    assert re.search(
        rf'<tr id="session-{missing.id}".*?<strong class="app-tag app-tag--red">No register',
        page,
        re.S,
    )
    assert _row(page, f"session-{recorded.id}").endswith("3 of 16 Register saved")
    assert "1 past session has no register." in visible_text(page)


# ------------------------------------------------------------------ scheduling a session


def _session_form(**changes) -> dict:
    form = {
        "module": "mi:2",
        "on": "2027-01-12",
        "starts_at": "09:30",
        "venue": "Bridgwater House",
        "trainer": "",
        "capacity": "16",
        "cost": "",
    }
    form.update(changes)
    return form


def test_a_trainer_schedules_a_session_and_lands_on_its_page(app, sign_in):
    programme, _locality, _team = _setting()
    trainer = create_user("trainer", name="Tess Trainer")
    client = sign_in(trainer)
    url = f"/programmes/{programme.slug}/training/sessions/new"

    form_page = page_of(client.get(url))
    assert "Motivational Interviewing — module 4: Day 4: practice and coding recorded sessions" in (
        form_page
    )
    assert re.search(r'<option selected value="' + re.escape(trainer.email), form_page)

    response = client.post(url, data=_session_form(trainer=trainer.email, cost="1,234.50"))
    assert response.status_code == 400  # "1,234.50" is not a number
    response = client.post(url, data=_session_form(trainer=trainer.email, cost="1234.50"))

    [session] = db.session.scalars(select(TrainingSession)).all()
    assert response.status_code == 302
    assert response.headers["Location"] == _session_url(session)
    assert (session.course.key, session.module.number) == ("mi", 2)
    assert (session.on, session.starts_at, session.venue) == (
        date(2027, 1, 12),
        time(9, 30),
        "Bridgwater House",
    )
    assert (session.trainer_id, session.capacity, session.cost_pence) == (trainer.id, 16, 123450)
    page = page_of(client.get(response.headers["Location"]))
    assert "Scheduled Motivational Interviewing, module 2, on 12 Jan 2027." in _flashes(page)
    assert "The register opens on the day of the session, 12 Jan 2027." in page


def test_a_session_without_a_cost_shares_the_courses_cost_per_cohort(app, sign_in):
    programme, _locality, _team = _setting()
    client = sign_in(create_user("programme_manager"))

    client.post(
        f"/programmes/{programme.slug}/training/sessions/new",
        data=_session_form(capacity="", module="fs_workshops:1"),
    )

    [session] = db.session.scalars(select(TrainingSession)).all()
    assert (session.capacity, session.cost_pence) == (16, 62500)  # £2,500 over 4 modules


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"on": "2027-02-30"}, "on", "Date must be a real date."),
        ({"on": ""}, "on", "Enter the session's date."),
        (
            {"module": "mi:9"},
            "module",
            "Motivational Interviewing has modules 1, 2, 3, 4; there is no module 9.",
        ),
        ({"module": "first-aid:1"}, "module", "has no course 'first-aid'"),
        ({"module": ""}, "module", "Choose the course and module."),
        ({"capacity": "0"}, "capacity", "Capacity must be a whole number from 1 to 500."),
        ({"capacity": "501"}, "capacity", "Capacity must be a whole number from 1 to 500."),
        ({"starts_at": "25:00"}, "starts_at", "Not a valid time value."),
    ],
)
def test_the_session_form_refuses_bad_input_naming_the_field(app, sign_in, changes, field, message):
    programme, _locality, _team = _setting()
    client = sign_in(create_user("trainer"))

    response = client.post(
        f"/programmes/{programme.slug}/training/sessions/new", data=_session_form(**changes)
    )

    assert response.status_code == 400
    page = page_of(response)
    assert message in _error_summary(page)
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', page)
    assert "<title>Error: " in page
    assert count_rows(TrainingSession) == 0


# ------------------------------------------------------------------ the register


def test_the_register_saves_statuses_and_saving_it_again_changes_nothing(app, sign_in):
    programme, _locality, team = _setting()
    ann, ben, cat = _person(team, "Ann Able"), _person(team, "Ben Bell"), _person(team, "Cat Cole")
    session = _session(programme, 1, TODAY)
    enrolment.enrol(session, [ann.id, ben.id, cat.id], None)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_session_url(session)))
    form = _register_form(page, session)
    # Nobody is recorded yet, so nobody starts marked.
    assert form == {}
    form[f"mark-{ann.id}"] = "present"
    form[f"mark-{ben.id}"] = "absent"
    form[f"mark-{cat.id}"] = "left_early"
    response = client.post(_session_url(session, "/register"), data=form)

    assert response.status_code == 302
    assert response.headers["Location"] == _session_url(session) + "#register"
    assert _place_statuses(session) == {
        "Ann Able": "present",
        "Ben Bell": "absent",
        "Cat Cole": "left_early",
    }
    page = page_of(client.get(response.headers["Location"]))
    assert "Saved the register: 3 changed." in _flashes(page)
    # The page shows what was recorded, ready to be saved again.
    assert _register_form(page, session) == form
    events = len(audit_events_for("training_session", session.id))

    response = client.post(_session_url(session, "/register"), data=form)

    page = page_of(client.get(response.headers["Location"]))
    assert "Nothing changed." in _flashes(page)
    assert len(audit_events_for("training_session", session.id)) == events
    assert reread(session).register_saved_at is not None


def test_changing_one_mark_changes_only_that_person(app, sign_in):
    programme, _locality, team = _setting()
    people = _people(team, 3)
    session = _held(programme, 1, people, on=TODAY)
    client = sign_in(create_user("trainer"))
    form = _register_form(page_of(client.get(_session_url(session))), session)

    form[f"mark-{people[0].id}"] = "late"
    response = client.post(_session_url(session, "/register"), data=form)

    assert "Saved the register: 1 changed." in _flashes(page_of(client.get(response.location)))
    assert _place_statuses(session)["Worker 01"] == "late"


def _seen(page: str) -> str:
    """The register form's record of the marks it was opened with."""
    match = re.search(r'<input type="hidden" name="register_seen" value="([^"]*)">', page)
    assert match, "the register form carries no marks it was opened with"
    return match.group(1)


def test_a_register_saved_from_a_stale_page_is_refused_and_the_first_save_kept(app, sign_in):
    programme, _locality, team = _setting()
    ann, ben, cat = _person(team, "Ann Able"), _person(team, "Ben Bell"), _person(team, "Cat Cole")
    session = _held(programme, 1, [ann, ben, cat], on=TODAY)
    first, second = create_user("trainer"), create_user("trainer")
    client = sign_in(first)
    page = page_of(client.get(_session_url(session)))
    opened = {**_register_form(page, session), "register_seen": _seen(page)}

    # Two trainers opened the same register; the first saves Ben absent.
    saved = client.post(
        _session_url(session, "/register"), data={**opened, f"mark-{ben.id}": "absent"}
    )
    assert saved.status_code == 302
    events = len(audit_events_for("training_session", session.id))

    # The second, from the page as it was opened, marks Cat late: refused, nothing written.
    other = sign_in(second)
    mine = {**opened, f"mark-{cat.id}": "late"}
    response = other.post(_session_url(session, "/register"), data=mine)

    assert response.status_code == 409
    assert _place_statuses(session) == {
        "Ann Able": "present",
        "Ben Bell": "absent",
        "Cat Cole": "present",
    }
    assert len(audit_events_for("training_session", session.id)) == events
    page = page_of(response)
    assert "Someone else saved this register after you opened it" in _error_summary(page)
    changes = visible_text(re.search(r'id="register-changes".*?</div>', page, re.S)[0])
    assert "Ben Bell: present when you opened it, absent now" in changes
    assert "Cat Cole" not in changes and "Ann Able" not in changes
    # The form keeps this trainer's own marks, and now carries the marks saved since: saving
    # it again is a deliberate overwrite, and goes through.
    again = {**_register_form(page, session), "register_seen": _seen(page)}
    assert again == {**mine, "register_seen": again["register_seen"]}
    assert again["register_seen"] != opened["register_seen"]
    assert other.post(_session_url(session, "/register"), data=again).status_code == 302
    assert _place_statuses(session) == {
        "Ann Able": "present",
        "Ben Bell": "present",
        "Cat Cole": "late",
    }


def test_a_register_opened_before_a_walk_in_was_added_is_refused(app, sign_in):
    programme, _locality, team = _setting()
    ann, walker = _person(team, "Ann Able"), _person(team, "Will Walker")
    session = _session(programme, 1, TODAY)
    enrolment.enrol(session, [ann.id], None)
    client = sign_in(create_user("trainer"))
    seen = _seen(page_of(client.get(_session_url(session))))
    registers.save_register(session, {ann.id: "present"}, None, today=TODAY, walk_ins=[walker.id])
    db.session.commit()

    response = client.post(
        _session_url(session, "/register"),
        data={f"mark-{ann.id}": "absent", "register_seen": seen},
    )

    assert response.status_code == 409
    changes = visible_text(re.search(r'id="register-changes".*?</div>', page_of(response), re.S)[0])
    assert "Ann Able: not marked when you opened it, present now" in changes
    assert "Will Walker: not marked when you opened it, present now" in changes
    assert _place_statuses(session) == {"Ann Able": "present", "Will Walker": "present"}


def test_a_future_session_shows_its_enrolment_but_refuses_attendance(app, sign_in):
    programme, _locality, team = _setting()
    ann = _person(team, "Ann Able")
    session = _session(programme, 1, FUTURE)
    enrolment.enrol(session, [ann.id], None)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_session_url(session)))

    assert "The register opens on the day of the session" in page
    assert "Save register" not in page
    assert "Ann Able" in _row(page, f"place-{ann.id}")

    response = client.post(_session_url(session, "/register"), data={f"mark-{ann.id}": "present"})

    page = page_of(client.get(response.location))
    assert any("record attendance on or after the day" in text for text in _flashes(page))
    assert _place_statuses(session) == {"Ann Able": None}
    assert reread(session).register_saved_at is None


def test_a_walk_in_is_enrolled_and_marked_present(app, sign_in):
    programme, _locality, team = _setting()
    ann, walker = _person(team, "Ann Able"), _person(team, "Will Walker")
    session = _session(programme, 1, TODAY)
    enrolment.enrol(session, [ann.id], None)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_session_url(session)))
    walk_ins = re.search(r'id="walk-ins".*?</fieldset>', page, re.S)[0]
    assert f'name="walk_ins" value="{walker.id}"' in walk_ins
    assert f'value="{ann.id}"' not in walk_ins  # already enrolled
    response = client.post(
        _session_url(session, "/register"),
        data={f"mark-{ann.id}": "present", "walk_ins": str(walker.id)},
    )

    assert _place_statuses(session) == {"Ann Able": "present", "Will Walker": "present"}
    page = page_of(client.get(response.location))
    assert "Saved the register: 2 changed." in _flashes(page)
    assert _row(page, f"place-{walker.id}").startswith("Will Walker Walk-in")


def test_a_viewer_sees_the_register_but_cannot_save_it(app, sign_in):
    programme, _locality, team = _setting()
    ann, ben = _person(team, "Ann Able"), _person(team, "Ben Bell")
    session = _held(programme, 1, [ann, ben], **{"Ben Bell": "absent"})
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_session_url(session)))

    assert 'id="register-form"' not in page
    assert _row(page, f"place-{ann.id}") == f"Ann Able {team.name} Present"
    assert _row(page, f"place-{ben.id}") == f"Ben Bell {team.name} Absent"
    assert client.post(_session_url(session, "/register"), data={}).status_code == 403


# ------------------------------------------------------------------ enrolment


def test_enrolling_a_team_takes_only_the_people_the_course_is_for_and_in_post(app, sign_in):
    programme, locality, team = _setting()
    worker = _person(team, "Sam Social")
    _person(team, "Cora Coordinator", "team_coordinator")  # the courses are not for this role
    _person(team, "Lee Leaver", leaving_date=PAST)
    other_team = create_team(locality, name="FS Team South")
    _person(other_team, "Olly Other")
    session = _session(programme, 1, FUTURE)
    client = sign_in(create_user("programme_manager"))

    # Without JavaScript "Enrol the whole team" takes the team's people the picker shows: by
    # default those who still need the module (so not the co-ordinator, whose role it is not for).
    response = client.post(_session_url(session, "/enrol"), data={"team": str(team.id)})

    assert _place_statuses(session) == {"Sam Social": None}
    assert "Enrolled 1 person." in _flashes(page_of(client.get(response.location)))
    page = page_of(client.get(_session_url(session, "?show=everyone")))
    # The people still offered: the leaver has gone, the enrolled worker too.
    choices = re.search(r'<div class="app-picker__list[^"]*" id="staff".*?</form>', page, re.S)[0]
    assert "Cora Coordinator" in choices and "Olly Other" in choices
    assert "Lee Leaver" not in choices and f'name="staff" value="{worker.id}"' not in choices


def test_enrolling_nobody_is_refused_with_an_error_summary(app, sign_in):
    programme, _locality, team = _setting()
    _person(team, "Ann Able")
    session = _session(programme, 1, FUTURE)
    client = sign_in(create_user("trainer"))

    response = client.post(_session_url(session, "/enrol"), data={})

    assert response.status_code == 400
    page = page_of(response)
    assert "Choose the people to enrol, or a team." in _error_summary(page)
    assert '<a href="#staff">' in page


def test_enrolling_when_everyone_is_enrolled_says_so(app, sign_in):
    programme, _locality, team = _setting()
    ann = _person(team, "Ann Able")
    session = _session(programme, 1, FUTURE)
    enrolment.enrol(session, [ann.id], None)
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_session_url(session)))
    assert "Everyone in post in the programme is already enrolled." in page
    response = client.post(_session_url(session, "/enrol"), data={"staff": [str(ann.id)]})

    assert response.status_code == 302
    flashes = _flashes(page_of(client.get(response.location)))
    assert "Everyone in post in the programme is already enrolled." in flashes


# ------------------------------------------------------------------ completion


def test_the_completion_matrix_shows_each_persons_courses_and_does_not_count_a_leaver(app, sign_in):
    programme, locality, team = _setting()
    done = _person(team, "Ann Able")
    halfway = _person(team, "Ben Bell")
    untrained = _person(team, "Cat Cole")
    coordinator = _person(team, "Cora Coordinator", "team_coordinator")
    leaver = _person(team, "Lee Leaver", leaving_date=TODAY - timedelta(days=1))
    starter = _person(team, "Nia New", start_date=FUTURE)
    for module in (1, 2, 3, 4):
        _held(programme, module, [done, leaver, halfway] if module < 3 else [done, leaver])
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(_locality_url(locality)))

    mi_name, fs_name = "Motivational Interviewing", "FS practice and change workshops"
    assert f"Trained in {mi_name} 33% 1 of 3" in visible_text(page)
    assert f"Trained in {fs_name} 0% 0 of 3" in visible_text(page)
    # Each course cell names the modules too (module-level progress, tested in full in
    # tests/views/test_training_progress.py).
    assert _row(page, f"staff-{done.id}").startswith(
        "Ann Able Social worker Complete Attended: modules 1, 2, 3, 4 Not started Still needed"
    )
    assert _row(page, f"staff-{halfway.id}").startswith(
        "Ben Bell Social worker In progress Attended: modules 1, 2 Still needed: Book module 3"
    )
    assert _row(page, f"staff-{untrained.id}").startswith(
        "Cat Cole Social worker Not started Still needed: Book module 1"
    )
    assert _row(page, f"staff-{coordinator.id}") == (
        "Cora Coordinator Team co-ordinator — Not required for this role "
        "— Not required for this role"
    )
    assert _row(page, f"staff-{leaver.id}").startswith("Lee Leaver Left")
    assert _row(page, f"staff-{leaver.id}").endswith("Not counted Not counted")
    assert _row(page, f"staff-{starter.id}").startswith("Nia New Not yet in post starts")
    assert re.search(
        rf'<tr id="staff-{done.id}".*?<strong class="app-tag app-tag--green">Complete', page, re.S
    )
    team_shares = visible_text(
        re.search(rf'<ul class="app-list" id="team-{team.id}-shares">.*?</ul>', page, re.S)[0]
    )
    assert team_shares == f"Trained in {mi_name}: 33% 1 of 3 Trained in {fs_name}: 0% 0 of 3"


def test_the_locality_page_runs_the_same_queries_for_3_staff_or_30(app, sign_in, count_queries):
    programme, locality, team = _setting()
    other = create_team(locality, name="FS Team South")
    client = sign_in(create_user("viewer"))

    def queries_with(how_many: int, prefix: str) -> int:
        for group in (team, other):
            people = _people(group, how_many, f"{prefix} {group.id}")
            _held(programme, 1, people, **{people[0].name: "absent"})
        client.get(_locality_url(locality))  # warm: templates compiled, user loaded
        with count_queries() as counter:
            response = client.get(_locality_url(locality))
        assert response.status_code == 200
        return counter.count

    few = queries_with(3, "Few")
    assert count_rows(StaffMember) == 6
    many = queries_with(27, "Many")
    assert count_rows(StaffMember) == 60

    assert few == many


def test_the_locality_page_runs_the_same_queries_for_one_team_or_four(app, sign_in, count_queries):
    programme, locality, team = _setting()
    _people(team, 3, "First")
    client = sign_in(create_user("viewer"))

    def queries() -> int:
        client.get(_locality_url(locality))  # warm: templates compiled, user loaded
        with count_queries() as counter:
            response = client.get(_locality_url(locality))
        assert response.status_code == 200
        return counter.count

    one_team = queries()
    for n in range(3):
        _people(create_team(locality, name=f"FS Team {n}"), 3, f"Team {n}")
    assert one_team == queries()


def test_the_team_matrix_runs_the_same_queries_for_3_staff_or_30(app, count_queries):
    programme, _locality, team = _setting()

    def queries_for(how_many: int, prefix: str) -> int:
        _held(programme, 1, _people(team, how_many, prefix))
        db.session.expire_all()
        with count_queries() as counter:
            matrix = completion.team_matrix(team, TODAY)
        assert len(matrix.rows) == count_rows(StaffMember)
        return counter.count

    assert queries_for(3, "Few") == queries_for(27, "Many")


# ------------------------------------------------------------------ the programme overview


def test_the_programme_overview_shows_each_localitys_share_and_what_training_cost(app, sign_in):
    programme, locality, team = _setting()
    second = create_locality(programme, name="Taunton", slug="taunton", wave=2)
    second_team = create_team(second, name="FS Team Taunton")
    trained = _people(team, 2)
    _people(second_team, 2, "Taunton worker")
    for module in (1, 2, 3, 4):
        _held(programme, module, trained)  # £1,500 a module: £6,000 for the cohort
    _session(programme, 1, FUTURE)  # not held yet: neither a cohort nor a cost
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{programme.slug}/training"))

    assert _row(page, "programme-total") == ("Whole programme 50% 2 of 4 0% 0 of 4")
    localities = re.search(
        r'<table class="app-table app-table--stack" id="localities">.*?</table>', page, re.S
    )[0]
    assert re.search(
        r'data-locality="bridgwater">.*?data-course="mi">\s*<span class="app-share">'
        r'<span class="app-share__percent">100%</span> <span class="app-share__count">2 of 2',
        localities,
        re.S,
    )
    assert "Taunton" in visible_text(localities)
    costs = {
        course: dict(re.findall(r'data-field="([\w-]+)">([^<]*)</td>', cells))
        for course, cells in re.findall(
            r'<tr data-course="(\w+)">(.*?)</tr>',
            re.search(
                r'<table class="app-table app-table--stack" id="costs">.*?</table>', page, re.S
            )[0],
            re.S,
        )
    }
    assert costs == {
        "mi": {"cohorts": "1", "total": "£6,000", "per-cohort": "£6,000", "per-person": "£3,000"},
        "fs_workshops": {"cohorts": "0", "total": "£0", "per-cohort": "—", "per-person": "—"},
    }
    assert "Module 4: Day 4: practice and coding recorded sessions" in page
    # the readiness criterion
    assert "Trained in MI and the FS practice and change workshops" in page


# ------------------------------------------------------------------ adding a person


def _staff_form(programme, **changes) -> dict:
    form = {
        "name": "Dana Cole",
        "email": "Dana.Cole@Example.org",
        "role": str(_role(programme, "da_perpetrators").id),
        "start_date": "2026-09-01",
        "leaving_date": "",
    }
    form.update(changes)
    return form


def test_a_trainer_adds_a_person_to_a_team(app, sign_in):
    programme, locality, team = _setting()
    client = sign_in(create_user("trainer"))
    url = f"/programmes/{programme.slug}/localities/{locality.slug}/teams/{team.id}/staff/new"
    assert client.get(url).status_code == 200

    response = client.post(url, data=_staff_form(programme))

    assert response.status_code == 302
    assert response.location == _locality_url(locality) + f"#team-{team.id}"
    [person] = db.session.scalars(select(StaffMember)).all()
    assert (person.name, person.email, person.team_id) == (
        "Dana Cole",
        "dana.cole@example.org",
        team.id,
    )
    assert person.start_date == date(2026, 9, 1)
    page = page_of(client.get(response.location))
    assert f"Added Dana Cole to {team.name}." in _flashes(page)
    assert _row(page, f"staff-{person.id}").startswith(
        "Dana Cole DA worker (perpetrators) Not started Still needed: Book module 1"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the person's name."),
        ({"email": "dana"}, "email", "Enter the person's e-mail address, like name@example.org."),
        ({"start_date": "2026-13-01"}, "start_date", "Start date must be a real date."),
        (
            {"leaving_date": "2026-08-01"},
            "leaving_date",
            "The leaving date must be on or after the start date.",
        ),
        ({"email": "taken@example.org"}, "email", "taken@example.org is already in"),
    ],
)
def test_adding_a_person_refuses_bad_input_naming_the_field(app, sign_in, changes, field, message):
    programme, locality, team = _setting()
    staff_members.create_staff(
        team,
        None,
        name="Taken",
        email="taken@example.org",
        role_id=_role(programme, "social_worker").id,
    )
    client = sign_in(create_user("programme_manager"))
    url = f"/programmes/{programme.slug}/localities/{locality.slug}/teams/{team.id}/staff/new"

    response = client.post(url, data=_staff_form(programme, **changes))

    assert response.status_code == 400
    page = page_of(response)
    assert message in _error_summary(page)
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', page)
    assert count_rows(StaffMember) == 1
