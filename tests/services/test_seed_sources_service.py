"""Sources kept with the records pages show, what a hand change makes of them, and Lancashire's
social work recruitment milestone reaching programmes and localities that predate it."""

import importlib.util
from datetime import date
from pathlib import Path

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from programme.extensions import db
from programme.models import GateCriterion, Milestone, TimelineTemplateItem
from programme.services import timeline
from programme.services.readiness import gate_criteria
from programme.services.training import catalogue
from tests.builders import create_locality, create_programme, create_user

LANCASHIRE = "Lancashire scrutiny update, March 2021"
SOCIAL_WORK = "Social work recruitment under way; JDs agreed"
MIGRATION = (
    Path(__file__).resolve().parents[2] / "programme/migrations/versions/0008_seed_sources.py"
)


def _item(template, title) -> TimelineTemplateItem:
    return next(item for item in template.items if item.title == title)


def test_a_new_programme_keeps_each_default_s_source(app):
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    courses = {course.key: course for course in catalogue.list_courses(programme)}
    gate = {criterion.key: criterion for criterion in gate_criteria.criteria(programme)}

    assert _item(template, "Partnership board set up").source == LANCASHIRE
    dpia = _item(template, "Information governance for the FS Workbook approved")
    assert dpia.source == "assumption" and dpia.source_reason
    assert courses["fs_workshops"].cost_source == "assumption"
    assert courses["fs_workshops"].cost_reason == (
        "No source gives the workshops' cost; change it to your own."
    )
    assert courses["mi"].source == LANCASHIRE
    assert gate["adult_specialists_recruited"].source == LANCASHIRE
    assert gate["gate_milestones_done"].source == "assumption"


def test_changing_an_item_s_timing_makes_it_the_programme_s_own(app):
    manager = create_user("programme_manager")
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    item = _item(template, "Strategic leadership event")
    fields = {
        "workstream": item.workstream,
        "title": item.title,
        "description": "Reworded.",
        "offset_amount": item.offset_amount,
        "offset_unit": item.offset_unit,
        "gate_critical": item.gate_critical,
    }

    timeline.save_template_item(template, manager, item=item, **fields)
    assert item.source == LANCASHIRE  # a new description does not change where the timing is from
    timeline.save_template_item(template, manager, item=item, **{**fields, "offset_amount": 5})
    assert (item.source, item.source_reason) == (f"set by {programme.name}", None)


def test_a_changed_threshold_and_an_added_criterion_are_set_by_the_programme(app):
    manager = create_user("programme_manager")
    programme = create_programme()
    gate = {criterion.key: criterion for criterion in gate_criteria.criteria(programme)}

    gate_criteria.set_threshold(gate["trained_mi_and_fs"], 80, manager)
    added = gate_criteria.add_criterion(
        programme,
        gate_criteria.NewCriterion(kind="milestone", label="ISA signed", milestone_title="ISA"),
        manager,
    )

    assert db.session.get(GateCriterion, gate["trained_mi_and_fs"].id).source == (
        f"set by {programme.name}"
    )
    assert gate["adult_specialists_recruited"].source == LANCASHIRE
    assert added.source == f"set by {programme.name}"


def _run_the_migration_s_data_step() -> None:
    spec = importlib.util.spec_from_file_location("seed_sources_0008", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    context = MigrationContext.configure(db.session.connection())
    with Operations.context(context):
        migration._add_social_work_recruitment()
    db.session.expire_all()


def test_a_locality_planned_before_the_milestone_existed_gets_it_when_the_template_is_applied_again(
    app,
):
    manager = create_user("programme_manager")
    programme = create_programme()
    template = timeline.get_template(programme, "lancashire")
    template.items.remove(_item(template, SOCIAL_WORK))  # as programmes made before it had it
    db.session.flush()
    locality = create_locality(programme, go_live=date(2027, 9, 1))
    assert timeline.apply_template(locality, manager).created == 19

    _run_the_migration_s_data_step()
    _run_the_migration_s_data_step()  # nothing twice
    template = timeline.get_template(programme, "lancashire")
    titles = [item.title for item in template.items]
    again = timeline.apply_template(locality, manager)
    third = timeline.apply_template(locality, manager)

    assert titles.count(SOCIAL_WORK) == 1
    assert titles.index(SOCIAL_WORK) == titles.index("Adult specialist recruitment under way") + 1
    assert _item(template, SOCIAL_WORK).source == LANCASHIRE
    assert (again.created, again.already_there) == (1, 19)
    assert (third.created, third.already_there) == (0, 20)
    [added] = db.session.scalars(
        select(Milestone).where(
            Milestone.locality_id == locality.id, Milestone.title == SOCIAL_WORK
        )
    )
    assert (added.offset_amount, added.offset_unit, added.due) == (6, "months", date(2027, 3, 1))
