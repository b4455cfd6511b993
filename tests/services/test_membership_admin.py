"""The rules of managing memberships, whoever asks: refusals, the audit trail, the kept roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Membership
from programme.services import membership_admin, memberships
from programme.services.errors import Conflict, NotFound, ServiceError
from tests.builders import create_programme, create_user
from tests.queries import count_rows


@pytest.fixture
def programme(app):
    return create_programme("Somerset", "somerset", with_templates=False)


def test_adding_changing_and_removing_keep_the_cached_roles_true(programme):
    user = create_user("viewer", member_of=[])
    assert memberships.role_in(user, programme.id) is None  # read and kept on the user

    membership_admin.add_member(user, programme, "trainer", None)
    assert memberships.role_in(user, programme.id) == "trainer"
    membership_admin.change_member_role(user, programme, "hr_lead", None)
    assert memberships.role_in(user, programme.id) == "hr_lead"
    membership_admin.remove_member(user, programme, None)
    assert memberships.role_in(user, programme.id) is None


def test_each_change_is_on_the_programme_s_trail(programme):
    user = create_user("viewer", member_of=[])
    actor = create_user("admin")
    membership_admin.add_member(user, programme, "trainer", actor)
    membership_admin.change_member_role(user, programme, "viewer", actor)
    membership_admin.change_member_role(user, programme, "viewer", actor)  # no change: no entry
    membership_admin.remove_member(user, programme, actor)

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.programme_id, e.actor_id) for e in events] == [
        ("add_member", programme.id, actor.id),
        ("change_member_role", programme.id, actor.id),
        ("remove_member", programme.id, actor.id),
    ]
    assert events[1].before == {"role": "trainer"} and events[1].after == {"role": "viewer"}
    assert events[2].summary == f"Removed {user.email} from Somerset (was Viewer)"


@pytest.mark.parametrize(
    ("role", "message"),
    [("admin", "Administrators are instance-wide"), ("owner", "Role must be one of")],
)
def test_an_administrator_role_or_an_unknown_role_is_refused(programme, role, message):
    user = create_user("viewer", member_of=[])
    with pytest.raises(ServiceError, match=message):
        membership_admin.add_member(user, programme, role, None)
    assert count_rows(Membership) == 0


def test_a_second_membership_names_the_current_role(programme):
    user = create_user("trainer", member_of=[programme])
    with pytest.raises(Conflict, match="already a member of Somerset, as Trainer"):
        membership_admin.add_member(user, programme, "viewer", None)


def test_removing_someone_who_is_not_a_member_is_not_found(programme):
    with pytest.raises(NotFound):
        membership_admin.remove_member(create_user("viewer", member_of=[]), programme, None)


def test_a_deactivated_manager_does_not_count_as_the_programme_s_manager(programme):
    manager = create_user("programme_manager", member_of=[programme])
    create_user("programme_manager", member_of=[programme], active=False)
    with pytest.raises(ServiceError, match="last programme manager"):
        membership_admin.remove_member(manager, programme, None)
    # The deactivated one may go: nobody loses the ability to manage the programme.
    gone = db.session.scalars(select(Membership).where(Membership.user_id != manager.id)).one()
    membership_admin.remove_member(gone.user, programme, None)
    assert count_rows(Membership) == 1


def test_unknown_programme_slugs_are_refused_by_name(programme):
    assert membership_admin.programmes_named(["somerset", "somerset"]) == [programme]
    with pytest.raises(NotFound, match="'nowhere'"):
        membership_admin.programmes_named(["somerset", "nowhere"])
