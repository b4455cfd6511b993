"""Applying a timeline template to a locality, and editing a programme's templates."""

from datetime import date

import pytest
from sqlalchemy import select

from programme.domain.timeline import Offset, due_date
from programme.domain.timeline_templates import load_template
from programme.extensions import db
from programme.models import AuditEvent, Milestone, TimelineTemplate, TimelineTemplateItem
from programme.seed_files import TIMELINES_DIR
from programme.services import timeline
from programme.services.errors import NotFound, ServiceError
from tests.builders import create_locality, create_programme, create_user
from tests.queries import audit_events_for, count_rows

LANCASHIRE = load_template(TIMELINES_DIR / "lancashire.toml")
GATE_CRITICAL = {
    "Partnership agreement negotiated and signed",
    "Family Safeguarding teams established",
    "FS Workbook goes live",
}


def _add_template_item(template, actor, **fields):
    """Add a valid item to the template: a launch event a week before go-live, unless overridden."""
    valid = {
        "workstream": "Launch",
        "title": "Launch event",
        "description": "",
        "offset_amount": 1,
        "offset_unit": "weeks",
        "gate_critical": False,
    }
    return timeline.save_template_item(template, actor, item=None, **{**valid, **fields})


def _milestones(locality) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone).where(Milestone.locality_id == locality.id).order_by(Milestone.id)
        )
    )


def test_applying_lancashire_creates_one_milestone_per_item_counted_back_from_go_live(app):
    locality = create_locality(go_live=date(2027, 4, 6))

    result = timeline.apply_template(locality, None)

    milestones = _milestones(locality)
    assert result.created == len(LANCASHIRE.items) == len(milestones) == 20
    assert result.already_there == 0
    by_title = {m.title: m for m in milestones}
    assert set(by_title) == {item.title for item in LANCASHIRE.items}
    for item in LANCASHIRE.items:
        milestone = by_title[item.title]
        assert milestone.due == due_date(date(2027, 4, 6), item.offset)
        assert milestone.workstream.name == item.workstream
        assert (milestone.offset_amount, milestone.offset_unit) == (
            item.offset.amount,
            item.offset.unit,
        )
        assert milestone.status == "not_started"
        assert milestone.due_set_manually is False
        assert milestone.template_item_id is not None


def test_applying_lancashire_flags_exactly_the_three_gate_critical_milestones(app):
    locality = create_locality()

    timeline.apply_template(locality, None)

    assert {m.title for m in _milestones(locality) if m.gate_critical} == GATE_CRITICAL


def test_applying_the_template_twice_creates_nothing_the_second_time(app):
    locality = create_locality()
    timeline.apply_template(locality, None)
    events_after_first = count_rows(AuditEvent)

    second = timeline.apply_template(locality, None)

    assert second.created == 0
    assert second.already_there == 20
    assert len(_milestones(locality)) == 20
    assert count_rows(AuditEvent) == events_after_first  # nothing happened, nothing audited


def test_applying_the_template_is_audited_with_the_number_created(app):
    manager = create_user("programme_manager")
    locality = create_locality()

    timeline.apply_template(locality, manager)

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "apply_template"))
    assert event.actor_id == manager.id
    assert event.locality_id == locality.id
    assert event.after == {"template": "lancashire", "created": 20}


def test_a_new_template_item_reaches_a_planned_locality_when_the_template_is_applied_again(app):
    manager = create_user("programme_manager")
    locality = create_locality(go_live=date(2027, 4, 6))
    timeline.apply_template(locality, manager)
    template = timeline.get_template(locality.programme, "lancashire")

    _add_template_item(
        template, manager, title="Go-live celebration", offset_amount=0, offset_unit="days"
    )
    result = timeline.apply_template(locality, manager)

    assert (result.created, result.already_there) == (1, 20)
    added = db.session.scalar(select(Milestone).where(Milestone.title == "Go-live celebration"))
    assert added.due == due_date(date(2027, 4, 6), Offset(0, "days"))


def test_applying_an_unknown_template_is_not_found_and_creates_nothing(app):
    locality = create_locality()

    with pytest.raises(NotFound, match="no timeline template 'nope'"):
        timeline.apply_template(locality, None, "nope")

    assert _milestones(locality) == []


def test_adding_a_template_item_is_audited(app):
    manager = create_user("programme_manager")
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")

    item = _add_template_item(
        template,
        manager,
        title="Launch event",
        description="A morning for every team.",
        offset_amount=2,
        offset_unit="weeks",
        gate_critical=True,
    )

    assert item.position == 20
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "timeline_template_item")
    )
    assert (event.action, event.entity_id, event.actor_id) == ("create", item.id, manager.id)
    assert event.before is None
    assert event.after["title"] == "Launch event"
    assert event.after["offset_amount"] == 2
    assert event.after["gate_critical"] is True


def test_changing_a_template_item_records_only_what_changed(app):
    manager = create_user("programme_manager")
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    item = template.items[0]

    timeline.save_template_item(
        template,
        manager,
        item=item,
        workstream=item.workstream,
        title=item.title,
        description=item.description,
        offset_amount=9,
        offset_unit="months",
        gate_critical=item.gate_critical,
    )

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.before == {"offset_amount": 8}
    assert event.after == {"offset_amount": 9}


def test_removing_a_template_item_keeps_the_milestones_already_made_from_it(app):
    manager = create_user("programme_manager")
    locality = create_locality()
    timeline.apply_template(locality, manager)
    template = timeline.get_template(locality.programme, "lancashire")
    item = template.items[0]
    item_id, title = item.id, item.title

    timeline.remove_template_item(item, manager)

    assert db.session.get(TimelineTemplateItem, item_id) is None
    kept = db.session.scalar(
        select(Milestone).where(Milestone.locality_id == locality.id, Milestone.title == title)
    )
    assert kept is not None and kept.template_item_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delete"))
    assert event.entity_id == item_id
    assert event.before["title"] == title
    assert event.after is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"workstream": ""}, "workstream"),
        ({"offset_unit": "fortnights"}, "offset_unit"),
        ({"offset_amount": -1}, "offset_amount"),
    ],
)
def test_an_invalid_template_item_is_refused_naming_the_field_and_writes_nothing(
    app, changes, field
):
    manager = create_user("programme_manager")
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    items_before, events_before = count_rows(TimelineTemplateItem), count_rows(AuditEvent)

    with pytest.raises(ServiceError) as refused:
        _add_template_item(template, manager, **changes)

    assert refused.value.field == field
    assert count_rows(TimelineTemplateItem) == items_before
    assert count_rows(AuditEvent) == events_before


def test_a_template_item_of_another_programme_is_not_found(app):
    ours = create_programme("Ours", "ours")
    theirs = create_programme("Theirs", "theirs")
    their_item = timeline.get_template(theirs, "lancashire").items[0]

    with pytest.raises(NotFound):
        timeline.get_template_item(timeline.get_template(ours, "lancashire"), their_item.id)


def test_an_item_is_found_only_through_its_own_template(app):
    programme = create_programme()
    lancashire = timeline.get_template(programme, "lancashire")
    somerset = TimelineTemplate(programme=programme, key="somerset", name="Somerset timeline")
    db.session.add(somerset)
    db.session.commit()

    with pytest.raises(NotFound):
        timeline.get_template_item(somerset, lancashire.items[0].id)
    assert timeline.get_template_item(lancashire, lancashire.items[0].id) is lancashire.items[0]


def test_a_template_item_naming_a_new_workstream_adds_it_with_an_audit_entry(app):
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    manager = create_user("programme_manager")

    _add_template_item(template, manager, workstream="Evaluation")

    assert "Evaluation" in [w.name for w in programme.workstreams]
    events = audit_events_for("workstream", programme.workstreams[-1].id)
    assert [event.summary for event in events] == ["Added workstream Evaluation"]
