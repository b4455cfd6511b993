"""The programme overview and a locality's pages: milestones, timeline, details and audit trail."""

import re
from datetime import date, timedelta

import pytest
from flask import g
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Locality, Milestone
from programme.services import localities, timeline
from programme.services import milestones as milestone_service
from tests.builders import (
    apply_lancashire,
    create_locality,
    create_milestone,
    create_programme,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread

GO_LIVE = date(2027, 4, 6)


def workstream_sections(page: str) -> dict[str, list[dict]]:
    """Workstream name -> its milestone rows (id, status, rag, text), in page order."""
    sections = {}
    for section in re.findall(r'<section class="app-workstream".*?</section>', page, re.S):
        name = visible_text(re.search(r"<h3[^>]*>(.*?)<span", section, re.S).group(1))
        sections[name] = [
            {"id": int(mid), "status": status, "rag": rag, "text": visible_text(cells)}
            for mid, status, rag, cells in re.findall(
                r'<tr id="milestone-(\d+)" data-status="([^"]+)" data-rag="([^"]+)">(.*?)</tr>',
                section,
                re.S,
            )
        ]
    return sections


def as_a_new_request() -> None:
    """Forget what earlier requests and set-up loaded, as a new request in production would."""
    db.session.remove()
    g.pop("_login_user", None)


def _locality_url(locality, suffix: str = "") -> str:
    return f"/programmes/{locality.programme.slug}/localities/{locality.slug}{suffix}"


# ------------------------------------------------------------------ the locality page


def test_the_locality_page_shows_milestones_by_workstream_with_status_owner_due_and_rag(
    app, sign_in
):
    viewer = create_user("viewer")
    helen = create_user("hr_lead", name="Helen Rees")
    locality = create_locality(name="South Somerset", go_live=GO_LIVE)
    governance = create_workstream(locality.programme, "Governance and partnership")
    workforce = create_workstream(locality.programme, "Workforce and recruitment")
    overdue = create_milestone(
        locality, workstream=governance, title="Board set up", due=TODAY - timedelta(days=3)
    )
    due_soon = create_milestone(
        locality,
        workstream=workforce,
        title="Job descriptions agreed",
        due=TODAY + timedelta(days=10),
        owner=helen,
    )
    started = create_milestone(
        locality,
        workstream=workforce,
        title="Recruitment under way",
        due=TODAY + timedelta(days=5),
        status="in_progress",
    )
    done = create_milestone(
        locality,
        workstream=governance,
        title="Partners signed",
        due=TODAY - timedelta(days=20),
        status="done",
    )
    later = create_milestone(
        locality, workstream=workforce, title="Teams established", due=date(2027, 3, 5)
    )
    client = sign_in(viewer)

    response = client.get(_locality_url(locality))

    assert response.status_code == 200
    sections = workstream_sections(page_of(response))
    assert list(sections) == ["Governance and partnership", "Workforce and recruitment"]
    assert [row["id"] for row in sections["Governance and partnership"]] == [done.id, overdue.id]
    assert [row["id"] for row in sections["Workforce and recruitment"]] == [
        started.id,
        due_soon.id,
        later.id,
    ]
    rows = {row["id"]: row for rows in sections.values() for row in rows}
    assert (rows[overdue.id]["rag"], rows[overdue.id]["status"]) == ("red", "not_started")
    assert (
        rows[overdue.id]["text"]
        == "Board set up 27 Nov 2026 No owner Not started Overdue or blocked"
    )
    assert rows[due_soon.id]["rag"] == "amber"
    assert rows[due_soon.id]["text"] == (
        "Job descriptions agreed 10 Dec 2026 Helen Rees Not started Due soon"
    )
    assert rows[started.id]["rag"] == "green"  # due soon, but already started
    assert "In progress On track" in rows[started.id]["text"]
    assert rows[done.id]["rag"] == "green"  # past its date, but done
    assert "Done On track" in rows[done.id]["text"]
    assert rows[later.id]["text"] == "Teams established 5 Mar 2027 No owner Not started On track"


def test_the_locality_page_marks_gate_critical_milestones_and_counts_done(app, sign_in):
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)
    client = sign_in(create_user("board_member"))

    page = page_of(client.get(_locality_url(locality)))

    sections = workstream_sections(page)
    assert sum(len(rows) for rows in sections.values()) == 20
    gate_rows = [row for rows in sections.values() for row in rows if " Gate " in row["text"]]
    assert len(gate_rows) == 3
    assert "Governance and partnership 0 of 9 done" in visible_text(page)


def test_a_viewer_sees_no_change_links_but_a_programme_manager_does(app, sign_in):
    locality = create_locality()
    milestone = create_milestone(locality)

    page = page_of(sign_in(create_user("viewer")).get(_locality_url(locality)))

    assert f"/milestones/{milestone.id}/edit" not in page
    assert "Apply template" not in page


def test_a_programme_manager_sees_change_links_and_set_up_actions(app, sign_in):
    locality = create_locality()
    milestone = create_milestone(locality)

    page = page_of(sign_in(create_user("programme_manager")).get(_locality_url(locality)))

    assert f"/milestones/{milestone.id}/edit" in page
    assert "Apply template" in page
    assert "Add a milestone" in page


def test_the_locality_page_runs_the_same_queries_for_20_milestones_as_for_61(
    app, sign_in, count_queries
):
    manager = create_user("programme_manager")
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)
    url = _locality_url(locality)
    client = sign_in(manager)
    client.get(url)

    as_a_new_request()
    with count_queries() as with_20:
        response = client.get(url)
    assert response.status_code == 200
    assert sum(len(rows) for rows in workstream_sections(page_of(response)).values()) == 20

    locality = db.session.scalar(select(Locality))
    for number in range(4):
        workstream = create_workstream(locality.programme, f"Extra workstream {number}")
        workstream.lead = create_user("trainer")
        db.session.commit()
        for _ in range(10):
            create_milestone(locality, workstream=workstream, owner=create_user("hr_lead"))
    create_milestone(locality, owner=create_user("board_member"), status="done")
    as_a_new_request()
    with count_queries() as with_61:
        response = client.get(url)
    assert response.status_code == 200
    sections = workstream_sections(page_of(response))
    assert sum(len(rows) for rows in sections.values()) == 61
    assert len(sections) == 10

    assert with_61.count == with_20.count, "\n".join(with_61.statements)


def test_applying_the_template_from_the_page_creates_the_milestones_once(app, sign_in):
    locality = create_locality()
    client = sign_in(create_user("programme_manager"))
    url = _locality_url(locality, "/apply-timeline")

    first = client.post(url, data={"template": "lancashire"}, follow_redirects=True)
    second = client.post(url, data={"template": "lancashire"}, follow_redirects=True)

    assert "Created 20 milestones from Lancashire 8-month launch timeline." in page_of(first)
    assert "already here; nothing was added" in page_of(second)
    assert len(db.session.scalars(select(Milestone)).all()) == 20


# ------------------------------------------------------------------ the overview


def test_the_overview_shows_each_locality_s_done_of_total_and_overdue_counts(app, sign_in):
    programme = create_programme()
    busy = create_locality(programme, name="South Somerset", slug="south-somerset", wave=1)
    quiet = create_locality(programme, name="Mendip", slug="mendip", wave=2)
    create_milestone(busy, status="done", due=TODAY - timedelta(days=9))
    create_milestone(busy, due=TODAY - timedelta(days=1))
    create_milestone(busy, status="blocked", due=TODAY - timedelta(days=2))
    create_milestone(busy, due=TODAY + timedelta(days=30))
    create_milestone(quiet, due=TODAY + timedelta(days=30))
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{programme.slug}"))

    def cell(slug, field):
        row = re.search(rf'<tr data-locality="{slug}">(.*?)</tr>', page, re.S).group(1)
        return visible_text(re.search(rf'data-field="{field}">(.*?)</td>', row, re.S).group(1))

    assert cell(busy.slug, "done") == "1 of 4"
    assert cell(busy.slug, "overdue") == "2 overdue"
    assert cell(quiet.slug, "done") == "0 of 1"
    assert cell(quiet.slug, "overdue") == "0"
    assert page.index("South Somerset") < page.index("Mendip")  # wave order


def test_the_overview_runs_the_same_queries_for_one_locality_as_for_five(
    app, sign_in, count_queries
):
    programme = create_programme()
    slug = programme.slug
    first = create_locality(programme, wave=1)
    apply_lancashire(first)
    client = sign_in(create_user("board_member"))
    client.get(f"/programmes/{slug}")

    as_a_new_request()
    with count_queries() as with_one:
        response = client.get(f"/programmes/{slug}")
    assert page_of(response).count("<tr data-locality=") == 1

    programme = db.session.scalar(select(Locality)).programme
    for wave in range(2, 6):
        locality = create_locality(programme, wave=wave)
        timeline.apply_template(locality, None)
        create_milestone(locality, status="done", owner=create_user("trainer"))
    as_a_new_request()
    with count_queries() as with_five:
        response = client.get(f"/programmes/{slug}")
    assert page_of(response).count("<tr data-locality=") == 5

    assert with_five.count == with_one.count, "\n".join(with_five.statements)


# ------------------------------------------------------------------ adding a locality


def test_a_past_go_live_date_asks_for_confirmation_then_the_locality_is_added(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("programme_manager"))
    url = f"/programmes/{programme.slug}/localities/new"
    form = {"name": "Mendip", "slug": "", "wave": "2", "go_live": "2026-09-01"}

    asked = client.post(url, data=form)

    assert asked.status_code == 400
    page = page_of(asked)
    assert "There is a problem" in page
    assert "The go-live date 1 Sep 2026 is in the past." in page
    assert "Tick the box if that is right." in page
    assert "Yes, the go-live date is in the past" in page
    assert db.session.scalars(select(Locality)).all() == []

    confirmed = client.post(url, data={**form, "confirm_past_go_live": "y"})

    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(f"/programmes/{programme.slug}/localities/mendip")
    locality = db.session.scalar(select(Locality))
    assert (locality.name, locality.wave, locality.go_live) == ("Mendip", 2, date(2026, 9, 1))


def test_a_future_go_live_date_needs_no_confirmation(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("admin"))

    response = client.post(
        f"/programmes/{programme.slug}/localities/new",
        data={"name": "South Somerset", "go_live": "2027-04-06"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "Added South Somerset. Apply a timeline template" in page_of(response)
    assert "Yes, the go-live date is in the past" not in page_of(response)


def test_a_slug_already_used_in_the_programme_shows_an_error(app, sign_in):
    programme = create_programme()
    create_locality(programme, name="Mendip", slug="mendip")
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/programmes/{programme.slug}/localities/new",
        data={"name": "Mendip", "go_live": "2027-04-06"},
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert "already has a locality with the slug 'mendip'" in page
    assert len(db.session.scalars(select(Locality)).all()) == 1


def test_adding_a_locality_without_a_name_shows_the_error_summary(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        f"/programmes/{programme.slug}/localities/new", data={"name": "", "go_live": "2027-04-06"}
    )

    assert response.status_code == 400
    assert '<a href="#name">Enter the locality\'s name.</a>' in page_of(response)


def test_a_viewer_may_not_add_a_locality(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("viewer"))

    response = client.post(
        f"/programmes/{programme.slug}/localities/new",
        data={"name": "Mendip", "go_live": "2027-04-06"},
    )

    assert response.status_code == 403
    assert db.session.scalars(select(Locality)).all() == []


# ------------------------------------------------------------------ moving go-live


def test_moving_go_live_shows_what_moved_and_what_was_left_alone_and_why(app, sign_in):
    manager = create_user("programme_manager")
    locality = create_locality(name="Mendip", wave=2, go_live=GO_LIVE)
    apply_lancashire(locality)
    by_title = {m.title: m for m in db.session.scalars(select(Milestone))}
    milestone_service.update_milestone(
        by_title["Partnership board set up"].id,
        manager,
        today=TODAY,
        expected_version=None,
        status="done",
    )
    milestone_service.update_milestone(
        by_title["Data-sharing agreement signed"].id,
        manager,
        today=TODAY,
        expected_version=None,
        due=date(2027, 1, 15),
    )
    client = sign_in(manager)

    posted = client.post(
        _locality_url(locality, "/edit"),
        data={"name": "Mendip", "wave": "2", "go_live": "2027-06-01"},
    )

    # Post/redirect/get: the summary is a page of its own, and showing it again moves nothing.
    assert posted.status_code == 302
    assert re.search(r"/localities/[^/]+/moved/\d+$", posted.headers["Location"])
    moves = count_rows(AuditEvent, AuditEvent.action == "move_due")
    response = client.get(posted.headers["Location"])
    assert response.status_code == 200
    # The same page again (its text: the sign-out form's CSRF token carries the second it was made).
    assert visible_text(page_of(client.get(posted.headers["Location"]))) == visible_text(
        page_of(response)
    )
    assert count_rows(AuditEvent, AuditEvent.action == "move_due") == moves == 18
    page = page_of(response)
    assert "Mendip now goes live on 1 Jun 2027." in page
    assert "18 milestones moved" in page
    assert "2 milestones left alone" in page
    left_alone = re.search(r'<table class="app-table" id="left-alone">(.*?)</table>', page, re.S)
    text = visible_text(left_alone.group(1))
    assert "Partnership board set up" in text and "Already done" in text
    assert "Data-sharing agreement signed 15 Jan 2027 Due date set by hand" in text
    assert reread(locality).go_live == date(2027, 6, 1)


def test_a_past_go_live_date_when_editing_asks_for_confirmation(app, sign_in):
    locality = create_locality(name="Mendip", wave=2, go_live=GO_LIVE)
    client = sign_in(create_user("programme_manager"))
    form = {"name": "Mendip", "wave": "2", "go_live": "2026-11-02"}

    asked = client.post(_locality_url(locality, "/edit"), data=form)
    confirmed = client.post(
        _locality_url(locality, "/edit"), data={**form, "confirm_past_go_live": "y"}
    )

    assert asked.status_code == 400
    assert "Yes, the go-live date is in the past" in page_of(asked)
    assert confirmed.status_code == 302
    assert reread(locality).go_live == date(2026, 11, 2)


def test_renaming_a_locality_goes_straight_back_to_its_page(app, sign_in):
    locality = create_locality(name="Mendip", wave=2, go_live=GO_LIVE)
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        _locality_url(locality, "/edit"),
        data={"name": "Mendip and Frome", "wave": "2", "go_live": "2027-04-06"},
        follow_redirects=True,
    )

    assert "Saved Mendip and Frome." in page_of(response)


# ------------------------------------------------------------------ timeline and audit trail


def test_the_timeline_lists_the_months_before_go_live_with_today_marked(app, sign_in):
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)
    client = sign_in(create_user("viewer"))

    response = client.get(_locality_url(locality, "/timeline"))

    assert response.status_code == 200
    page = page_of(response)
    headings = re.findall(r'<h2 class="app-timeline__heading">(.*?)</h2>', page)
    assert headings == [
        "8 months before",
        "7 months before",
        "6 months before",
        "5 months before",
        "4 months before",
        "3 months before",
        "2 months before",
        "1 month before",
        "Launch",
    ]
    assert page.count("app-timeline__column--today") == 1
    today_column = re.search(
        r'app-timeline__column--today[^>]*>\s*<h2 class="app-timeline__heading">(.*?)</h2>', page
    )
    assert today_column.group(1) == "4 months before"  # 30 November is nearest 6 December
    assert "Today: 30 Nov 2026" in page
    assert page.count('class="app-timeline__item ') == 20


def test_the_audit_trail_shows_who_changed_what(app, sign_in):
    priya = create_user("programme_manager", name="Priya Shah")
    locality = create_locality()
    milestone = create_milestone(locality, title="Board set up")
    milestone_service.update_milestone(
        milestone.id, priya, today=TODAY, expected_version=None, status="in_progress"
    )
    client = sign_in(create_user("board_member"))

    response = client.get(_locality_url(locality, "/audit"))

    assert response.status_code == 200
    table = visible_text(
        re.search(
            r'<table class="app-table[^"]*" id="audit">(.*?)</table>', page_of(response), re.S
        ).group(1)
    )
    assert "Priya Shah Changed “Board set up”: status Status: Not started → In progress" in table


def test_a_viewer_may_not_read_the_audit_trail(app, sign_in):
    locality = create_locality()

    response = sign_in(create_user("viewer")).get(_locality_url(locality, "/audit"))

    assert response.status_code == 403


def test_an_audit_event_is_shown_only_on_its_own_locality_s_trail(app, sign_in):
    programme = create_programme()
    ours, theirs = create_locality(programme), create_locality(programme)
    milestone = create_milestone(theirs, title="Their milestone")
    milestone_service.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, status="done"
    )

    page = page_of(sign_in(create_user("admin")).get(_locality_url(ours, "/audit")))

    assert "Their milestone" not in page
    assert "No changes recorded yet." in page
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.locality_id == theirs.id)).all()


# ------------------------------------------------------------------ unknown addresses


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/nowhere",
        "/programmes/nowhere/localities/new",
        "/programmes/{programme}/localities/nowhere",
        "/programmes/nowhere/localities/{locality}",
        "/programmes/{programme}/localities/nowhere/timeline",
        "/programmes/{programme}/localities/nowhere/edit",
        "/programmes/{programme}/localities/nowhere/audit",
        "/programmes/{programme}/localities/nowhere/milestones/new",
    ],
)
def test_an_unknown_programme_or_locality_is_not_found(app, sign_in, path):
    locality = create_locality()
    client = sign_in(create_user("admin"))

    response = client.get(path.format(programme=locality.programme.slug, locality=locality.slug))

    assert response.status_code == 404
    assert "Page not found" in page_of(response)


def test_applying_a_template_to_an_unknown_locality_is_not_found(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("admin"))

    response = client.post(f"/programmes/{programme.slug}/localities/nowhere/apply-timeline")

    assert response.status_code == 404


# ------------------------------------------------------------------ teams serving localities


def test_a_programme_manager_adds_a_team_serving_another_locality_and_changes_it(app, sign_in):
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    create_locality(programme, name="Bridgwater", slug="bridgwater")
    create_locality(programme, name="Mendip", slug="mendip")
    client = sign_in(create_user("programme_manager"))

    form = client.get(_locality_url(taunton, "/teams/new"))
    added = client.post(
        _locality_url(taunton, "/teams/new"),
        data={"name": "Area team", "kind": "area", "establishment": "somerset", "serves": "mendip"},
        follow_redirects=True,
    )

    assert 'name="serves" type="checkbox" value="bridgwater"' in page_of(form)
    assert "Added Area team with 8 posts." in visible_text(page_of(added))
    assert "Area team , also serves Mendip" in visible_text(page_of(added))
    team = reread(taunton).teams[0]

    change_url = _locality_url(taunton, f"/teams/{team.id}/serves")
    shown = client.get(change_url)
    changed = client.post(change_url, data={"serves_all": "y"}, follow_redirects=True)

    assert "Localities Area team serves" in visible_text(page_of(shown))
    assert "Area team , serves all localities" in visible_text(page_of(changed))
    assert db.session.scalars(
        select(AuditEvent.after)
        .where(AuditEvent.entity_type == "team", AuditEvent.action == "update")
        .order_by(AuditEvent.id)  # PostgreSQL returns rows in no particular order without one
    ).all() == [{"serves": ["mendip"]}, {"serves_all": True, "serves": []}]


def test_a_team_cannot_be_set_to_serve_a_locality_the_form_does_not_offer(app, sign_in):
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    create_locality(create_programme("Dorset", "dorset"), name="Chesil", slug="chesil")
    client = sign_in(create_user("programme_manager"))

    refused = client.post(
        _locality_url(taunton, "/teams/new"),
        data={"name": "Area team", "kind": "area", "establishment": "", "serves": "chesil"},
    )

    assert refused.status_code == 400
    assert "Error:" in page_of(refused)
    assert reread(taunton).teams == []


def test_the_recruitment_and_readiness_pages_say_a_shared_team_counts_here(app, sign_in):
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    localities.create_team(
        taunton,
        "Somerset Psychology Service",
        None,
        "county",
        establishment="somerset-county",
        today=TODAY,
        serves_all=True,
    )
    client = sign_in(create_user("viewer"))

    recruitment = visible_text(page_of(client.get(_locality_url(mendip, "/recruitment"))))
    readiness = visible_text(page_of(client.get(_locality_url(mendip, "/readiness"))))

    note = (
        "Includes 2 posts of Somerset Psychology Service (Taunton), which serves all "
        "localities: none of them an adult specialist post, so none counts toward recruitment."
    )
    assert note in recruitment
    assert "Somerset Psychology Service (Taunton)" in recruitment
    assert f"How it is counted {note}" in readiness


def test_a_served_locality_s_training_page_links_a_shared_team_to_its_own_locality(app, sign_in):
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    shared = localities.create_team(
        taunton, "Somerset Psychology Service", None, "county", today=TODAY, serves_all=True
    )
    client = sign_in(create_user("trainer"))

    page = page_of(client.get(_locality_url(mendip, "/training")))

    assert "Somerset Psychology Service (Taunton)" in visible_text(page)
    add_person = re.search(rf'href="([^"]*/teams/{shared.id}/staff/new)"', page)[1]
    assert add_person.startswith(_locality_url(taunton, ""))
    assert client.get(add_person).status_code == 200
