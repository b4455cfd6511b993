"""A milestone's owner may update it whatever their role, unless they are a viewer."""

import pytest

from programme.domain.permissions import PERMISSIONS
from programme.extensions import db
from tests.builders import create_locality, create_milestone, create_user
from tests.conftest import sign_in_as


@pytest.mark.parametrize(
    "role", sorted(PERMISSIONS["edit_own_milestones"] - PERMISSIONS["edit_milestones"])
)
def test_a_milestone_owner_may_update_it_whatever_their_role(app, client, role):
    owner = create_user(role)
    milestone = create_milestone(create_locality(), owner=owner)
    sign_in_as(client, owner)
    url = f"/milestones/{milestone.id}/edit"

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "version": str(milestone.version),
            "status": "in_progress",
            "owner": owner.email,
            "due": milestone.due.isoformat(),
            "notes": "Started",
        },
    )

    assert response.status_code == 302
    db.session.refresh(milestone)
    assert milestone.status == "in_progress"


def test_a_viewer_may_not_update_a_milestone_even_one_they_own(app, client):
    owner = create_user("viewer")
    milestone = create_milestone(create_locality(), owner=owner)
    sign_in_as(client, owner)
    url = f"/milestones/{milestone.id}/edit"

    assert client.get(url).status_code == 403
    assert (
        client.post(url, data={"version": str(milestone.version), "status": "done"}).status_code
        == 403
    )
    db.session.refresh(milestone)
    assert milestone.status == "not_started"
