"""A programme's members page (its programme managers and administrators) and the memberships on
an administrator's user page: adding, inviting, changing a role, removing after confirming, and
the refusals (unknown e-mail, a second membership, the last programme manager, no CSRF token)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Membership, OutboxMessage, User
from tests.builders import create_programme, create_user
from tests.pages import visible_text
from tests.queries import count_rows


@pytest.fixture
def world(app):
    app.config["MAIL_TRANSPORT"] = "outbox"
    somerset = create_programme("Somerset", "somerset", with_templates=False)
    devon = create_programme("Devon", "devon", with_templates=False)
    manager = create_user("programme_manager", member_of=[somerset], name="Pat Manager")
    viewer = create_user("viewer", member_of=[somerset], name="Val Viewer")
    outsider = create_user("trainer", member_of=[devon], name="Tia Trainer")
    return somerset, devon, manager, viewer, outsider


def _roles(user: User) -> dict[str, str]:
    rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    return {m.programme.slug: m.role for m in rows}


def test_the_members_page_lists_members_with_role_and_status(client, sign_in, world):
    somerset, _devon, manager, viewer, outsider = world
    sign_in(manager)

    page = client.get("/programmes/somerset/members")

    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "Pat Manager" in text and "Val Viewer" in text and viewer.email in text
    assert "Programme manager" in text and "Viewer" in text and "Active" in text
    assert "Tia Trainer" not in text  # a member of Devon only


def test_the_overview_links_the_members_page_for_programme_managers_only(client, sign_in, world):
    _somerset, _devon, manager, viewer, _outsider = world
    sign_in(manager)
    assert 'id="members-link"' in client.get("/programmes/somerset").get_data(as_text=True)
    sign_in(viewer)
    assert 'id="members-link"' not in client.get("/programmes/somerset").get_data(as_text=True)


def test_a_viewer_is_refused_and_a_manager_of_another_programme_gets_404(client, sign_in, world):
    _somerset, devon, _manager, viewer, _outsider = world
    sign_in(viewer)
    assert client.get("/programmes/somerset/members").status_code == 403
    devon_manager = create_user("programme_manager", member_of=[devon])
    sign_in(devon_manager)
    assert client.get("/programmes/somerset/members").status_code == 404
    assert client.get("/programmes/devon/members").status_code == 200


def test_a_manager_adds_someone_who_has_an_account(client, sign_in, world):
    somerset, _devon, manager, _viewer, outsider = world
    sign_in(manager)

    response = client.post(
        "/programmes/somerset/members", data={"email": outsider.email.upper(), "role": "hr_lead"}
    )

    assert response.status_code == 302
    assert _roles(outsider) == {"devon": "trainer", "somerset": "hr_lead"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "add_member"))
    assert (event.programme_id, event.actor_id) == (somerset.id, manager.id)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "There is no user with the e-mail address nobody@example.org."),
        ("", "Enter the e-mail address of someone who has an account."),
    ],
)
def test_an_unknown_or_missing_e_mail_is_shown_on_the_field(client, sign_in, world, email, message):
    sign_in(world[2])

    response = client.post("/programmes/somerset/members", data={"email": email, "role": "viewer"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#email"' in page and message in visible_text(page)
    assert count_rows(AuditEvent) == 0


def test_adding_someone_already_a_member_names_their_role(client, sign_in, world):
    _somerset, _devon, manager, viewer, _outsider = world
    sign_in(manager)

    response = client.post(
        "/programmes/somerset/members", data={"email": viewer.email, "role": "trainer"}
    )

    assert response.status_code == 400
    assert "already a member of Somerset, as Viewer" in visible_text(
        response.get_data(as_text=True)
    )
    assert _roles(viewer) == {"somerset": "viewer"}


def test_an_administrator_cannot_be_added_as_a_member(client, sign_in, world):
    sign_in(world[2])
    admin = create_user("admin")

    response = client.post(
        "/programmes/somerset/members", data={"email": admin.email, "role": "viewer"}
    )

    assert response.status_code == 400
    assert "is an administrator" in visible_text(response.get_data(as_text=True))


def test_a_manager_invites_someone_new_who_joins_the_programme(client, sign_in, world):
    sign_in(world[2])
    assert client.get("/programmes/somerset/members/invite").status_code == 200

    response = client.post(
        "/programmes/somerset/members/invite",
        data={"name": "Nia New", "email": "nia@example.org", "role": "board_member"},
    )

    assert response.status_code == 302
    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert (nia.role, nia.invited) == ("board_member", True)
    assert _roles(nia) == {"somerset": "board_member"}
    assert db.session.scalar(select(OutboxMessage.recipient)) == "nia@example.org"


def test_changing_a_role_and_demoting_the_last_manager(client, sign_in, world):
    _somerset, _devon, manager, viewer, _outsider = world
    sign_in(manager)
    url = f"/programmes/somerset/members/{viewer.id}"
    assert client.get(url).status_code == 200

    assert client.post(url, data={"role": "trainer"}).status_code == 302
    assert _roles(viewer) == {"somerset": "trainer"}

    refused = client.post(f"/programmes/somerset/members/{manager.id}", data={"role": "viewer"})
    assert refused.status_code == 400
    assert "Pat Manager is the last programme manager of Somerset" in visible_text(
        refused.get_data(as_text=True)
    )
    assert _roles(manager) == {"somerset": "programme_manager"}


def test_removing_asks_first_then_removes(client, sign_in, world):
    _somerset, _devon, manager, viewer, _outsider = world
    sign_in(manager)
    url = f"/programmes/somerset/members/{viewer.id}/remove"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove Val Viewer from Somerset?" in visible_text(confirm.get_data(as_text=True))
    assert _roles(viewer) == {"somerset": "viewer"}  # asking changes nothing

    assert client.post(url).status_code == 302
    assert _roles(viewer) == {}
    assert client.get(url).status_code == 404  # no longer a member


def test_the_last_manager_cannot_remove_themselves(client, sign_in, world):
    manager = world[2]
    sign_in(manager)

    response = client.post(f"/programmes/somerset/members/{manager.id}/remove")

    assert response.status_code == 400
    assert "last programme manager" in visible_text(response.get_data(as_text=True))
    assert _roles(manager) == {"somerset": "programme_manager"}


def test_a_remove_without_a_csrf_token_is_refused(app, client, sign_in, world):
    app.config["WTF_CSRF_ENABLED"] = True
    viewer = world[3]
    sign_in(world[2])

    response = client.post(f"/programmes/somerset/members/{viewer.id}/remove")

    assert response.status_code == 400
    assert _roles(viewer) == {"somerset": "viewer"}


def test_a_member_of_another_programme_is_not_found_here(client, sign_in, world):
    sign_in(world[2])
    outsider = world[4]
    assert client.get(f"/programmes/somerset/members/{outsider.id}").status_code == 404
    assert client.post(f"/programmes/somerset/members/{outsider.id}/remove").status_code == 404


# ------------------------------------------------------------------ the administrator's pages


def test_the_user_page_lists_memberships_and_adds_one(client, sign_in, world):
    _somerset, _devon, _manager, viewer, _outsider = world
    sign_in(create_user("admin"))

    page = client.get(f"/admin/users/{viewer.id}").get_data(as_text=True)
    assert "Somerset" in visible_text(page) and "Account role" in page
    assert f"/programmes/somerset/members/{viewer.id}/remove?from=user" in page

    response = client.post(
        f"/admin/users/{viewer.id}/memberships",
        data={"programme": "devon", "member_role": "hr_lead"},
    )
    assert response.status_code == 302
    assert _roles(viewer) == {"somerset": "viewer", "devon": "hr_lead"}


def test_the_admin_changes_and_removes_from_the_user_page_and_returns_there(client, sign_in, world):
    viewer = world[3]
    sign_in(create_user("admin"))

    changed = client.post(
        f"/programmes/somerset/members/{viewer.id}?from=user", data={"role": "trainer"}
    )
    assert changed.headers["Location"].endswith(f"/admin/users/{viewer.id}")
    removed = client.post(f"/programmes/somerset/members/{viewer.id}/remove?from=user")
    assert removed.headers["Location"].endswith(f"/admin/users/{viewer.id}")
    assert _roles(viewer) == {}


def test_adding_an_unknown_programme_on_the_user_page_is_refused(client, sign_in, world):
    viewer = world[3]
    sign_in(create_user("admin"))

    response = client.post(
        f"/admin/users/{viewer.id}/memberships",
        data={"programme": "cornwall", "member_role": "viewer"},
    )

    assert response.status_code == 400
    assert _roles(viewer) == {"somerset": "viewer"}


def test_an_administrator_has_no_memberships_to_manage(client, sign_in, world):
    admin = create_user("admin")
    sign_in(admin)

    page = visible_text(client.get(f"/admin/users/{admin.id}").get_data(as_text=True))

    assert "Administrators are instance-wide" in page


def test_a_new_user_joins_the_programmes_ticked(client, sign_in, world):
    sign_in(create_user("admin"))
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="somerset"' in form and 'value="devon"' in form

    response = client.post(
        "/admin/users/new",
        data={"name": "Ola", "email": "ola@example.org", "role": "hr_lead",
              "programmes": ["somerset", "devon"]},
    )  # fmt: skip

    assert response.status_code == 302
    ola = db.session.scalar(select(User).where(User.email == "ola@example.org"))
    assert _roles(ola) == {"somerset": "hr_lead", "devon": "hr_lead"}


def test_a_new_administrator_with_programmes_ticked_is_refused(client, sign_in, world):
    sign_in(create_user("admin"))

    response = client.post(
        "/admin/users/new",
        data={"name": "Ola", "email": "ola@example.org", "role": "admin", "programmes": ["devon"]},
    )

    assert response.status_code == 400
    assert 'href="#programmes"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "ola@example.org")) is None


def test_inviting_someone_who_has_an_account_points_to_adding_them(client, sign_in, world):
    sign_in(world[2])
    outsider = world[4]

    response = client.post(
        "/programmes/somerset/members/invite",
        data={"name": "Tia", "email": outsider.email, "role": "viewer"},
    )

    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "already exists. Add them on the members page instead." in text
    assert _roles(outsider) == {"devon": "trainer"}


def test_the_users_list_shows_each_user_s_programmes(client, sign_in, world):
    sign_in(create_user("admin"))

    page = client.get("/admin/users").get_data(as_text=True)

    rows = {visible_text(row) for row in page.split("<tr>")[2:]}
    assert any("Pat Manager" in row and "Somerset" in row for row in rows)
    assert any("Tia Trainer" in row and "Devon" in row and "Somerset" not in row for row in rows)
    assert "All (instance-wide)" in page


def test_a_manager_who_steps_down_is_sent_where_they_can_still_go(client, sign_in, world):
    somerset, _devon, manager, _viewer, _outsider = world
    create_user("programme_manager", member_of=[somerset])
    sign_in(manager)

    stepped_down = client.post(
        f"/programmes/somerset/members/{manager.id}", data={"role": "viewer"}
    )
    assert stepped_down.headers["Location"].endswith("/programmes/somerset")

    sign_in(create_user("programme_manager", member_of=[somerset], name="Quinn"))
    quinn = db.session.scalar(select(User).where(User.name == "Quinn"))
    left = client.post(f"/programmes/somerset/members/{quinn.id}/remove")
    assert left.headers["Location"].endswith("/")
