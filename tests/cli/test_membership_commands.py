"""`users create --programme` and `memberships add/remove`: a user's role held per programme,
given and taken from the command line; refusals exit 1 writing nothing, usage errors exit 2."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Membership, User
from tests.builders import create_programme, create_user
from tests.queries import count_rows

PASSWORD = "marmalade trombone lighthouse"


@pytest.fixture
def two(app):
    return (
        create_programme("Somerset", "somerset", with_templates=False),
        create_programme("Devon", "devon", with_templates=False),
    )


def _create(runner, *extra, role="hr_lead"):
    return runner.invoke(
        args=["users", "create", "ana@example.org", "--name", "Ana Diaz", "--role", role,
              *extra, "--password-stdin"],
        input=PASSWORD + "\n",
    )  # fmt: skip


def _roles(email: str) -> dict[str, str]:
    user = db.session.scalar(select(User).where(User.email == email))
    return {m.programme.slug: m.role for m in db.session.scalars(
        select(Membership).where(Membership.user_id == user.id))}  # fmt: skip


def test_create_with_programmes_makes_the_user_a_member_of_each(app, runner, two):
    result = _create(runner, "--programme", "somerset", "--programme", "devon")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Created ana@example.org (HR lead), member of somerset, devon."
    )
    assert _roles("ana@example.org") == {"somerset": "hr_lead", "devon": "hr_lead"}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "add_member").order_by(AuditEvent.id)
    ).all()
    assert [event.programme_id for event in events] == [two[0].id, two[1].id]
    assert all(event.actor_id is None for event in events)


def test_create_without_programmes_makes_no_membership(app, runner, two):
    assert _create(runner).exit_code == 0
    assert _roles("ana@example.org") == {}


def test_create_with_an_invitation_joins_the_programmes_too(app, runner, two):
    app.config["MAIL_TRANSPORT"] = "outbox"
    result = runner.invoke(
        args=["users", "create", "ana@example.org", "--name", "Ana Diaz", "--role", "viewer",
              "--programme", "devon"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "member of devon, invited by e-mail" in result.stdout
    assert _roles("ana@example.org") == {"devon": "viewer"}


def test_create_with_an_unknown_programme_exits_1_and_writes_nothing(app, runner, two):
    result = _create(runner, "--programme", "somerset", "--programme", "cornwall")

    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no programme with the slug 'cornwall'."
    assert count_rows(User) == 0
    assert count_rows(Membership) == 0
    assert count_rows(AuditEvent) == 0


def test_an_administrator_with_a_programme_is_refused(app, runner, two):
    result = _create(runner, "--programme", "somerset", role="admin")

    assert result.exit_code == 1
    assert "Administrators are instance-wide" in result.stderr
    assert count_rows(User) == 0


def test_an_administrator_without_programmes_is_created(app, runner, two):
    assert _create(runner, role="admin").exit_code == 0
    assert count_rows(Membership) == 0


def _membership(runner, *args):
    return runner.invoke(args=["memberships", *args])


def test_add_and_remove_a_membership(app, runner, two):
    user = create_user("trainer", member_of=[], email="tom@example.org")

    added = _membership(runner, "add", "Tom@Example.org", "--programme", "devon", "--role",
                        "trainer")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "Added tom@example.org to devon as Trainer."
    assert _roles(user.email) == {"devon": "trainer"}

    changed = _membership(runner, "add", user.email, "--programme", "devon", "--role", "viewer")
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.strip() == "tom@example.org is now Viewer in devon."
    assert _roles(user.email) == {"devon": "viewer"}

    removed = _membership(runner, "remove", user.email, "--programme", "devon")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == "Removed tom@example.org from devon."
    assert _roles(user.email) == {}
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["add_member", "change_member_role", "remove_member"]


def test_adding_the_role_already_held_says_so(app, runner, two):
    user = create_user("trainer", member_of=[two[1]], email="tom@example.org")

    result = _membership(runner, "add", user.email, "--programme", "devon", "--role", "trainer")

    assert result.exit_code == 1
    assert result.stderr.strip() == "tom@example.org is already a member of devon as Trainer."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "nobody@example.org", "--programme", "devon", "--role", "viewer"],
         "There is no user with the e-mail address nobody@example.org."),
        (["add", "tom@example.org", "--programme", "cornwall", "--role", "viewer"],
         "There is no programme with the slug 'cornwall'."),
        (["remove", "tom@example.org", "--programme", "somerset"],
         "tom@example.org is not a member of Somerset."),
        (["remove", "tom@example.org", "--programme", "cornwall"],
         "There is no programme with the slug 'cornwall'."),
    ],
)  # fmt: skip
def test_unknown_users_programmes_and_memberships_exit_1(app, runner, two, args, message):
    create_user("trainer", member_of=[two[1]], email="tom@example.org")

    result = _membership(runner, *args)

    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_an_administrator_cannot_be_made_a_member(app, runner, two):
    create_user("admin", email="root@example.org")

    result = _membership(runner, "add", "root@example.org", "--programme", "devon", "--role",
                         "viewer")  # fmt: skip

    assert result.exit_code == 1
    assert "is an administrator" in result.stderr
    assert count_rows(Membership) == 0


def test_removing_or_demoting_the_last_programme_manager_is_refused(app, runner, two):
    manager = create_user("programme_manager", member_of=[two[0]], name="Pat Manager")

    removed = _membership(runner, "remove", manager.email, "--programme", "somerset")
    demoted = _membership(runner, "add", manager.email, "--programme", "somerset", "--role",
                          "viewer")  # fmt: skip

    for result in (removed, demoted):
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "Pat Manager is the last programme manager of Somerset: make someone else its "
            "programme manager first, so that someone can still manage it."
        )
    assert _roles(manager.email) == {"somerset": "programme_manager"}

    create_user("programme_manager", member_of=[two[0]])
    assert _membership(runner, "remove", manager.email, "--programme", "somerset").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["add", "tom@example.org", "--programme", "devon"],  # no role
        ["add", "tom@example.org", "--programme", "devon", "--role", "admin"],
        ["add", "tom@example.org", "--role", "viewer"],  # no programme
        ["remove", "tom@example.org"],
    ],
)
def test_usage_errors_exit_2(app, runner, two, args):
    assert _membership(runner, *args).exit_code == 2
