"""Scoped to the programmes the user belongs to: the programme list, my milestones, the people
forms offer, the role each page judges by, weekly digests and calendar feeds (issue 16). The
route walk (test_permissions.py) covers every route's 404 for a non-member."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Membership, Programme
from programme.services import calendar_feeds
from programme.services.errors import ServiceError
from programme.services.readiness import decisions
from programme.services.reminders.digests import plan_digests
from programme.services.training import catalogue
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_team,
    create_user,
)
from tests.pages import page_of, visible_text

MONDAY = date(2026, 11, 30)


@pytest.fixture
def two(app):
    """Two programmes, each with a locality going live within 3 months."""
    ours = create_programme("Ours", "ours")
    theirs = create_programme("Theirs", "theirs")
    return (
        ours,
        theirs,
        create_locality(ours, name="Oakford", slug="oakford", go_live=date(2027, 1, 20)),
        create_locality(theirs, name="Thornby", slug="thornby", go_live=date(2027, 1, 20)),
    )


def _options(page: str, name: str) -> list[str]:
    """The labels of the options of the page's select named `name`."""
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return [
        visible_text(label)
        for label in re.findall(r"<option[^>]*>(.*?)</option>", select_html, re.S)
    ]


def _programme_links(page: str) -> list[str]:
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    return re.findall(r'<a href="/programmes/[a-z-]+">([^<]+)</a>', main)


def test_the_programme_list_shows_only_the_users_programmes(app, sign_in, two):
    ours, theirs, *_ = two
    third = create_programme("Third", "third")
    client = sign_in(create_user("viewer", member_of=[ours, third]))

    page = page_of(client.get("/"))

    assert _programme_links(page) == ["Ours", "Third"]
    admin_page = page_of(sign_in(create_user("admin")).get("/"))
    assert _programme_links(admin_page) == ["Ours", "Theirs", "Third"]


def test_a_member_of_no_programme_is_told_so(app, sign_in, two):
    page = page_of(sign_in(create_user("viewer", member_of=[])).get("/"))
    assert "not a member of any programme" in visible_text(page)


def test_my_milestones_lists_only_member_programmes(app, sign_in, two):
    ours, theirs, oakford, thornby = two
    me = create_user("trainer", member_of=[ours])
    create_milestone(oakford, title="Ours to do", owner_id=me.id)
    create_milestone(thornby, title="Left behind", owner_id=me.id)

    text = sign_in(me).get("/my-milestones").get_data(as_text=True)

    assert "Ours to do" in text
    assert "Left behind" not in text


def test_owner_choices_offer_only_the_programmes_members(app, sign_in, two):
    ours, theirs, oakford, _ = two
    create_user("trainer", member_of=[ours], name="Ann Member")
    create_user("trainer", member_of=[theirs], name="Bob Elsewhere")
    create_user("admin", name="Cat Admin")
    manager = create_user("programme_manager", member_of=[ours], name="Dee Manager")
    client = sign_in(manager)

    page = page_of(client.get("/programmes/ours/localities/oakford/milestones/new"))

    names = _options(page, "owner")
    assert "Ann Member (Trainer)" in names and "Dee Manager (Programme manager)" in names
    assert not any("Bob" in name or "Cat" in name for name in names)


def test_an_admin_owner_stays_on_the_list_of_their_milestone(app, sign_in, two):
    _ours, _theirs, oakford, _ = two
    admin = create_user("admin", name="Cat Admin")
    milestone = create_milestone(oakford, owner_id=admin.id)

    page = page_of(sign_in(create_user("admin")).get(f"/milestones/{milestone.id}/edit"))

    assert "Cat Admin (Administrator)" in _options(page, "owner")


def test_trainer_choices_offer_members_whose_role_there_leads_sessions(app, sign_in, two):
    ours, theirs, *_ = two
    both = create_user("viewer", member_of=[], name="Ann Both")
    db.session.add_all(
        [
            Membership(user_id=both.id, programme_id=ours.id, role="trainer"),
            Membership(user_id=both.id, programme_id=theirs.id, role="viewer"),
        ]
    )
    db.session.commit()
    create_user("trainer", member_of=[theirs], name="Bob Elsewhere")
    client = sign_in(create_user("programme_manager", member_of=[ours, theirs], name="Dee PM"))

    ours_names = _options(page_of(client.get("/programmes/ours/training/sessions/new")), "trainer")
    theirs_names = _options(
        page_of(client.get("/programmes/theirs/training/sessions/new")), "trainer"
    )

    assert "Ann Both (Trainer)" in ours_names and "Bob Elsewhere (Trainer)" not in ours_names
    assert not any("Ann Both" in name for name in theirs_names)


def test_each_programme_judges_by_the_role_held_there(app, sign_in, two):
    ours, theirs, *_ = two
    user = create_user("viewer", member_of=[])
    db.session.add_all(
        [
            Membership(user_id=user.id, programme_id=ours.id, role="programme_manager"),
            Membership(user_id=user.id, programme_id=theirs.id, role="viewer"),
        ]
    )
    db.session.commit()
    client = sign_in(user)

    assert client.get("/programmes/ours/localities/new").status_code == 200
    assert client.get("/programmes/theirs/localities/new").status_code == 403
    # Pages of no programme go by the account's own role.
    assert client.get("/programmes/new").status_code == 403


def test_a_milestone_by_its_id_answers_404_outside_the_users_programmes(app, sign_in, two):
    ours, _theirs, _, thornby = two
    milestone = create_milestone(thornby)
    client = sign_in(create_user("programme_manager", member_of=[ours]))

    assert client.get(f"/milestones/{milestone.id}/edit").status_code == 404
    other = client.get("/programmes/theirs/localities/thornby")
    assert other.status_code == 404
    assert "Theirs" not in visible_text(page_of(other)), "the 404 page names the programme"
    assert client.post(f"/milestones/{milestone.id}/status", data={}).status_code == 404


def test_the_api_answers_a_non_member_404_in_json(app, sign_in, two):
    ours, *_ = two
    client = sign_in(create_user("board_member", member_of=[ours]))

    response = client.get("/api/programmes/theirs/localities/thornby/readiness")

    assert response.status_code == 404 and response.is_json


def test_role_resolution_costs_one_query_a_request(app, sign_in, two, count_queries):
    ours, *_ = two
    client = sign_in(create_user("programme_manager", member_of=[ours]))

    with count_queries() as counted:
        assert client.get("/programmes/ours/localities/oakford").status_code == 200

    memberships = [s for s in counted.statements if "FROM membership" in s]
    assert len(memberships) == 1, "\n".join(memberships)


def test_a_programme_manager_who_creates_a_programme_manages_it(app, sign_in):
    manager = create_user("programme_manager", member_of=[])
    client = sign_in(manager)

    response = client.post("/programmes/new", data={"name": "Fresh", "slug": "fresh"})

    assert response.status_code == 302
    fresh = db.session.scalar(select(Programme).where(Programme.slug == "fresh"))
    roles = db.session.execute(
        select(Membership.user_id, Membership.role).where(Membership.programme_id == fresh.id)
    ).all()
    assert roles == [(manager.id, "programme_manager")]
    assert client.get("/programmes/fresh").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.programme_id == fresh.id))
    assert event.after["programme_manager"] == manager.email


def test_digests_bring_only_member_programmes_parts_by_the_role_there(app, pin_clock, two):
    pin_clock(MONDAY)
    ours, theirs, oakford, thornby = two
    create_post(create_team(oakford, name="Oak FS"), "da_victims", status="advertised")
    create_post(create_team(thornby, name="Thorn FS"), "da_victims", status="advertised")
    hr = create_user("hr_lead", member_of=[], email="hr@example.org")
    db.session.add_all(
        [
            Membership(user_id=hr.id, programme_id=ours.id, role="hr_lead"),
            Membership(user_id=hr.id, programme_id=theirs.id, role="viewer"),
        ]
    )
    owner = create_user("viewer", member_of=[ours], email="owner@example.org")
    create_milestone(oakford, title="Ours due", due=MONDAY, owner_id=owner.id)
    create_milestone(thornby, title="Theirs due", due=MONDAY, owner_id=owner.id)

    digests = {d.user.email: d for d in plan_digests(MONDAY).digests}

    recruitment = " ".join(i["text"] for i in digests["hr@example.org"].items)
    assert "Oakford" in recruitment and "Thornby" not in recruitment
    milestones = " ".join(i["text"] for i in digests["owner@example.org"].items)
    assert "Ours due" in milestones and "Theirs due" not in milestones


def test_a_calendar_feed_lists_only_member_programmes(app, pin_clock, two):
    pin_clock(MONDAY)
    ours, theirs, oakford, thornby = two
    trainer = create_user("trainer", member_of=[ours])
    create_session(catalogue.get_course(ours, "mi"), 1, MONDAY + timedelta(days=2), trainer=trainer)
    create_session(
        catalogue.get_course(theirs, "fs_workshops"), 1, MONDAY + timedelta(days=3), trainer=trainer
    )
    create_milestone(oakford, title="Ours due", due=MONDAY, owner_id=trainer.id)
    create_milestone(thornby, title="Theirs due", due=MONDAY, owner_id=trainer.id)

    feed = calendar_feeds.calendar_of(trainer).decode()

    assert "Ours due" in feed and "Theirs due" not in feed
    assert "Motivational Interviewing" in feed and "FS practice" not in feed


def test_a_board_member_of_another_programme_may_not_decide_go_live(app, two):
    ours, theirs, oakford, thornby = two
    board = create_user("board_member", member_of=[theirs])

    with pytest.raises(ServiceError, match="not a member of this programme"):
        decisions.go_live(oakford, board, "Board minutes", MONDAY)
    assert decisions.check_decider(board, theirs.id) is board
