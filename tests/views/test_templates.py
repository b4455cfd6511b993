"""Reading and editing a programme's timeline templates."""

import re

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Milestone, TimelineTemplateItem
from programme.services import timeline
from tests.builders import apply_lancashire, create_locality, create_programme, create_user
from tests.pages import page_of, visible_text
from tests.queries import reread


def _template_url(programme, suffix: str = "") -> str:
    return f"/programmes/{programme.slug}/templates/lancashire{suffix}"


def _item(programme, title: str) -> TimelineTemplateItem:
    template = timeline.get_template(programme, "lancashire")
    return next(item for item in template.items if item.title == title)


def _item_events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "timeline_template_item", AuditEvent.action == action
            )
        )
    )


ITEM_FORM = {
    "title": "Launch event for every team",
    "workstream": "Launch",
    "offset_amount": "2",
    "offset_unit": "weeks",
    "description": "A morning to mark the start.",
}


def test_the_template_page_lists_its_milestones_with_when_they_fall_due(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("viewer"))

    response = client.get(_template_url(programme))

    assert response.status_code == 200
    page = page_of(response)
    body = re.search(
        r'<table class="app-table" id="template-items">.*?<tbody>(.*?)</tbody>', page, re.S
    )
    rows = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]
    assert len(rows) == 20
    assert rows[0] == (
        "Partnership board set up Governance and partnership 8 months before "
        "Lancashire scrutiny update, March 2021"
    )
    assert rows[1] == (
        "Partnership agreement negotiated and signed Gate Governance and partnership "
        "8 months before Lancashire scrutiny update, March 2021"
    )
    assert rows[2].endswith(
        "8 months before assumption: councils list a sector-led improvement partner supporting "
        "about ten months of implementation; 8 months puts it at the start. Change it to your "
        "contract date."
    )
    assert ">Change<" not in body.group(1)  # a viewer cannot edit the template
    assert "Add a milestone to the template" not in page


def test_the_template_list_shows_each_template_and_its_size(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("viewer"))

    page = page_of(client.get(f"/programmes/{programme.slug}/templates/"))

    assert "Lancashire 8-month launch timeline – 20 milestones" in visible_text(page)


def test_a_programme_manager_adds_an_item_and_it_is_audited(app, sign_in):
    manager = create_user("programme_manager")
    programme = create_programme()
    client = sign_in(manager)

    response = client.post(
        _template_url(programme, "/items/new"),
        data={**ITEM_FORM, "gate_critical": "y"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    page = page_of(response)
    assert "Saved “Launch event for every team”." in page
    assert "Launch event for every team Gate Launch 2 weeks before" in visible_text(page)
    item = _item(programme, "Launch event for every team")
    assert (item.offset_amount, item.offset_unit, item.gate_critical) == (2, "weeks", True)
    [event] = _item_events("create")
    assert (event.actor_id, event.entity_id) == (manager.id, item.id)
    assert event.after["title"] == "Launch event for every team"


def test_a_programme_manager_changes_an_item_and_only_the_change_is_audited(app, sign_in):
    manager = create_user("programme_manager")
    programme = create_programme()
    item = _item(programme, "Strategic leadership event")
    client = sign_in(manager)
    form = page_of(client.get(_template_url(programme, f"/items/{item.id}/edit")))
    assert 'value="Strategic leadership event"' in form

    response = client.post(
        _template_url(programme, f"/items/{item.id}/edit"),
        data={
            "title": "Strategic leadership launch event",
            "workstream": "Governance and partnership",
            "offset_amount": "5",
            "offset_unit": "months",
            "description": item.description,
        },
    )

    assert response.status_code == 302
    changed = reread(item)
    assert (changed.title, changed.offset_amount) == ("Strategic leadership launch event", 5)
    [event] = _item_events("update")
    assert event.actor_id == manager.id
    assert event.before == {"title": "Strategic leadership event", "offset_amount": 6}
    assert event.after == {"title": "Strategic leadership launch event", "offset_amount": 5}


def test_a_programme_manager_removes_an_item_and_planned_milestones_stay(app, sign_in):
    manager = create_user("programme_manager")
    programme = create_programme()
    locality = create_locality(programme)
    apply_lancashire(locality)
    item = _item(programme, "Strategic leadership event")
    item_id = item.id
    client = sign_in(manager)

    response = client.post(
        _template_url(programme, f"/items/{item_id}/remove"), follow_redirects=True
    )

    page = page_of(response)
    assert "Removed “Strategic leadership event” from the template." in page
    assert "Strategic leadership event" not in visible_text(
        re.search(r'id="template-items">(.*?)</table>', page, re.S).group(1)
    )
    assert db.session.get(TimelineTemplateItem, item_id) is None
    kept = db.session.scalar(
        select(Milestone).where(Milestone.title == "Strategic leadership event")
    )
    assert kept is not None
    [event] = _item_events("delete")
    assert (event.actor_id, event.entity_id) == (manager.id, item_id)
    assert event.before["title"] == "Strategic leadership event"


def test_an_item_without_a_title_shows_the_error_summary(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("programme_manager"))

    response = client.post(_template_url(programme, "/items/new"), data={**ITEM_FORM, "title": ""})

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert '<a href="#title">Enter the milestone\'s title.</a>' in page
    assert len(timeline.get_template(programme, "lancashire").items) == 20
    assert _item_events("create") == []


def test_an_item_with_a_negative_offset_is_refused(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("programme_manager"))

    response = client.post(
        _template_url(programme, "/items/new"), data={**ITEM_FORM, "offset_amount": "-1"}
    )

    assert response.status_code == 400
    assert "Enter a whole number from 0 to 520." in page_of(response)


@pytest.mark.parametrize("role", ["viewer", "board_member", "trainer"])
def test_only_programme_managers_and_admins_may_edit_templates(app, sign_in, role):
    programme = create_programme()
    item = _item(programme, "Strategic leadership event")
    item_id = item.id
    client = sign_in(create_user(role))

    assert client.post(_template_url(programme, "/items/new"), data=ITEM_FORM).status_code == 403
    assert client.post(_template_url(programme, f"/items/{item_id}/remove")).status_code == 403
    assert db.session.get(TimelineTemplateItem, item_id) is not None


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/nowhere/templates/",
        "/programmes/nowhere/templates/lancashire",
        "/programmes/{programme}/templates/nowhere",
        "/programmes/{programme}/templates/nowhere/items/new",
        "/programmes/{programme}/templates/lancashire/items/99999/edit",
        "/programmes/{programme}/templates/lancashire/items/{other_item}/edit",
    ],
)
def test_an_unknown_template_or_item_is_not_found(app, sign_in, path):
    programme = create_programme("Ours", "ours")
    other = create_programme("Theirs", "theirs")
    other_item = timeline.get_template(other, "lancashire").items[0].id
    client = sign_in(create_user("admin"))

    response = client.get(path.format(programme=programme.slug, other_item=other_item))

    assert response.status_code == 404


def test_removing_an_unknown_item_is_not_found(app, sign_in):
    programme = create_programme()
    client = sign_in(create_user("admin"))

    assert client.post(_template_url(programme, "/items/99999/remove")).status_code == 404
