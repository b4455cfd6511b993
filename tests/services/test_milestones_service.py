"""Changing milestones: optimistic locking, warnings, audit, and all-or-nothing writes."""

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from programme.extensions import db
from programme.models import AuditEvent, Milestone, Workstream
from programme.services import milestones, programmes
from programme.services.errors import NotFound, ServiceError, StaleEdit
from tests.builders import (
    apply_lancashire,
    create_locality,
    create_milestone,
    create_programme,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, count_rows, reread

GO_LIVE = date(2027, 4, 6)


def edit_as(actor, milestone, **changes):
    """Change `milestone` as `actor` would from a form opened on its current version."""
    return milestones.update_milestone(
        milestone.id, actor, today=TODAY, expected_version=milestone.version, **changes
    )


# ------------------------------------------------------------------ changes and audit


def test_marking_a_milestone_done_records_who_did_it_with_before_and_after(app):
    manager = create_user("programme_manager")
    milestone = create_milestone(create_locality())

    change = edit_as(manager, milestone, status="done")

    assert change.changed == {"status": "done"}
    saved = reread(milestone)
    assert saved.status == "done"
    assert saved.completed_on == TODAY
    [event] = audit_events_for("milestone", milestone.id)
    assert (event.action, event.actor_id) == ("update", manager.id)
    assert event.locality_id == milestone.locality_id
    assert event.before == {"status": "not_started"}
    assert event.after == {"status": "done"}


def test_giving_a_milestone_an_owner_and_notes_is_audited_by_e_mail(app):
    manager = create_user("programme_manager")
    owner = create_user("hr_lead", email="helen@example.org")
    milestone = create_milestone(create_locality())

    edit_as(
        manager,
        milestone,
        owner_email="Helen@Example.org",
        notes="  Chasing partners  ",
    )

    saved = reread(milestone)
    assert saved.owner_id == owner.id
    assert saved.notes == "Chasing partners"
    [event] = audit_events_for("milestone", milestone.id)
    assert event.before == {"owner": None, "notes": ""}
    assert event.after == {"owner": "helen@example.org", "notes": "Chasing partners"}


def test_reopening_a_done_milestone_clears_its_completion_date(app):
    milestone = create_milestone(create_locality(), status="done", completed_on=TODAY)

    milestones.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, status="in_progress"
    )

    assert reread(milestone).completed_on is None


def test_saving_a_milestone_unchanged_writes_no_audit_event(app):
    milestone = create_milestone(create_locality(), notes="As before")
    version_before = milestone.version

    change = edit_as(
        None,
        milestone,
        status="not_started",
        due=milestone.due,
        notes="As before",
    )

    assert change.changed == {}
    assert audit_events_for("milestone", milestone.id) == []
    assert reread(milestone).version == version_before


def test_changing_the_due_date_marks_it_as_set_by_hand(app):
    locality = create_locality(go_live=GO_LIVE)
    milestone = create_milestone(locality, due=date(2027, 1, 6))

    milestones.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, due=date(2027, 1, 20)
    )

    saved = reread(milestone)
    assert saved.due == date(2027, 1, 20)
    assert saved.due_set_manually is True
    [event] = audit_events_for("milestone", milestone.id)
    assert event.before == {"due": "2027-01-06"} and event.after == {"due": "2027-01-20"}


def test_a_before_launch_milestone_due_after_go_live_is_saved_with_a_warning(app):
    locality = create_locality(go_live=GO_LIVE)
    milestone = create_milestone(locality, offset_amount=3, offset_unit="months")
    after_go_live = GO_LIVE + timedelta(days=10)

    change = edit_as(None, milestone, due=after_go_live)

    assert len(change.warnings) == 1
    assert "must be done before go-live but is now due after" in change.warnings[0]
    assert "6 Apr 2027" in change.warnings[0]
    assert reread(milestone).due == after_go_live


def test_a_launch_day_milestone_due_after_go_live_needs_no_warning(app):
    locality = create_locality(go_live=GO_LIVE)
    milestone = create_milestone(locality, offset_amount=0, offset_unit="days")

    change = milestones.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, due=GO_LIVE + timedelta(days=3)
    )

    assert change.warnings == []


def test_an_unknown_milestone_is_not_found(app):
    with pytest.raises(NotFound, match="no milestone with id 999"):
        milestones.update_milestone(999, None, today=TODAY, expected_version=None, status="done")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"owner_email": "nobody@example.org"}, "owner"),
    ],
)
def test_an_invalid_change_is_refused_naming_the_field_and_nothing_is_written(app, changes, field):
    milestone = create_milestone(create_locality(), notes="Original")
    version_before = milestone.version

    with pytest.raises(ServiceError) as refused:
        edit_as(
            None,
            milestone,
            notes="Half-written change",
            **changes,
        )

    assert refused.value.field == field
    saved = reread(milestone)
    assert (saved.status, saved.owner_id, saved.notes) == ("not_started", None, "Original")
    assert saved.version == version_before
    assert audit_events_for("milestone", milestone.id) == []


def test_a_deactivated_user_cannot_own_a_milestone(app):
    gone = create_user("trainer", active=False)
    milestone = create_milestone(create_locality())

    with pytest.raises(ServiceError, match="deactivated"):
        milestones.update_milestone(
            milestone.id, None, today=TODAY, expected_version=None, owner_email=gone.email
        )

    assert reread(milestone).owner_id is None


# ------------------------------------------------------------------ optimistic locking


def test_the_second_of_two_edits_from_the_same_version_is_refused_and_the_first_is_kept(app):
    priya = create_user("programme_manager")
    alex = create_user("admin")
    milestone = create_milestone(create_locality())
    opened_at = milestone.version

    milestones.update_milestone(
        milestone.id,
        priya,
        today=TODAY,
        expected_version=opened_at,
        status="in_progress",
        notes="Priya's notes",
    )
    with pytest.raises(StaleEdit, match="Someone else changed"):
        milestones.update_milestone(
            milestone.id,
            alex,
            today=TODAY,
            expected_version=opened_at,
            status="blocked",
            notes="Alex's notes",
        )

    saved = reread(milestone)
    assert (saved.status, saved.notes) == ("in_progress", "Priya's notes")
    assert saved.version == opened_at + 1
    [event] = audit_events_for("milestone", milestone.id)
    assert event.actor_id == priya.id


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"status": "done"}, id="marking it done"),
        # Looking up the new owner runs a query, which could flush the status change early:
        # the lost race must still be reported as a stale edit, not as a crash.
        pytest.param(
            {"status": "done", "owner_email": "helen@example.org"},
            id="marking it done and giving it an owner, whose look-up runs a query",
        ),
    ],
)
def test_a_save_that_loses_a_race_with_another_save_is_refused_as_a_stale_edit(
    app, monkeypatch, changes
):
    manager = create_user("programme_manager")
    create_user("hr_lead", email="helen@example.org")
    milestone = create_milestone(create_locality())
    opened_at = milestone.version
    load = milestones.get_milestone

    def load_then_someone_else_saves(milestone_id):
        loaded = load(milestone_id)
        # Another worker commits its save between our read and our write.
        with db.engine.begin() as other:
            other.execute(
                update(Milestone.__table__)
                .where(Milestone.__table__.c.id == milestone_id)
                .values(version=opened_at + 1, notes="Saved by someone else")
            )
        return loaded

    monkeypatch.setattr(milestones, "get_milestone", load_then_someone_else_saves)

    with pytest.raises(StaleEdit, match="at the same moment"):
        milestones.update_milestone(
            milestone.id, manager, today=TODAY, expected_version=opened_at, **changes
        )

    saved = reread(milestone)
    assert (saved.status, saved.owner_id, saved.notes) == (
        "not_started",
        None,
        "Saved by someone else",
    )
    assert audit_events_for("milestone", milestone.id) == []


def test_a_command_line_change_without_a_version_is_not_checked_for_staleness(app):
    milestone = create_milestone(create_locality())
    milestones.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, notes="First"
    )

    milestones.update_milestone(
        milestone.id, None, today=TODAY, expected_version=None, notes="Second"
    )

    assert reread(milestone).notes == "Second"


# ------------------------------------------------------------------ adding one


def test_adding_a_one_off_milestone_fixes_its_date_and_is_audited(app):
    manager = create_user("programme_manager")
    locality = create_locality()

    change = milestones.create_milestone(
        locality,
        manager,
        workstream_name="Launch",
        title=" Launch celebration ",
        due=date(2027, 4, 6),
        gate_critical=True,
        owner_email=manager.email,
    )

    saved = reread(change.milestone)
    assert saved.title == "Launch celebration"
    assert saved.workstream.name == "Launch"
    assert saved.due_set_manually is True
    assert saved.offset_amount is None
    assert saved.gate_critical is True
    assert saved.owner_id == manager.id
    [event] = audit_events_for("milestone", saved.id)
    assert event.action == "create"
    assert event.after == {
        "title": "Launch celebration",
        "due": "2027-04-06",
        "workstream": "Launch",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"workstream_name": "A brand new workstream"}, "workstream"),
        ({"owner_email": "nobody@example.org"}, "owner"),
        ({"due": date(1, 1, 1)}, "due"),
    ],
    ids=[
        "without a title",
        "in a workstream the programme lacks",
        "for an unknown owner",
        "with a mistyped due year",
    ],
)
def test_a_refused_new_milestone_names_the_field_and_writes_nothing(app, changes, field):
    locality = create_locality()
    workstreams_before, events_before = count_rows(Workstream), count_rows(AuditEvent)
    valid = {"workstream_name": "Launch", "title": "Launch celebration", "due": None}

    with pytest.raises(ServiceError) as refused:
        milestones.create_milestone(locality, None, **{**valid, **changes})

    assert refused.value.field == field
    assert count_rows(Milestone) == 0
    assert count_rows(Workstream) == workstreams_before
    assert count_rows(AuditEvent) == events_before


# ------------------------------------------------------------------ reading


def test_a_locality_s_milestones_come_grouped_by_workstream_in_programme_order(app):
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)

    groups = milestones.locality_milestones(locality, TODAY)

    assert [g.workstream.name for g in groups] == [
        "Governance and partnership",
        "Workforce and recruitment",
        "Learning and development",
        "Policy and practice",
        "Systems and the FS Workbook",
        "Launch",
    ]
    assert sum(len(g.rows) for g in groups) == 20
    for group in groups:
        dues = [row.milestone.due for row in group.rows]
        assert dues == sorted(dues)


def test_programme_wide_milestones_appear_with_every_locality_but_others_do_not(app):
    programme = create_programme()
    ours, theirs = create_locality(programme), create_locality(programme)
    workstream = create_workstream(programme, "Governance and partnership")
    wide = Milestone(workstream=workstream, locality=None, title="Board terms of reference")
    db.session.add(wide)
    db.session.commit()
    mine = create_milestone(ours, workstream=workstream)
    create_milestone(theirs, workstream=workstream)

    [group] = milestones.locality_milestones(ours, TODAY)

    assert {row.milestone.id for row in group.rows} == {wide.id, mine.id}


def test_rag_is_red_when_overdue_and_amber_when_due_within_two_weeks_and_not_started(app):
    locality = create_locality()
    overdue = create_milestone(locality, due=TODAY - timedelta(days=1))
    soon = create_milestone(locality, due=TODAY + timedelta(days=14))
    soon_started = create_milestone(locality, due=TODAY + timedelta(days=3), status="in_progress")
    later = create_milestone(locality, due=TODAY + timedelta(days=15))
    done_late = create_milestone(locality, due=TODAY - timedelta(days=30), status="done")

    [group] = milestones.locality_milestones(locality, TODAY)

    rag = {row.milestone.id: (row.rag, row.overdue) for row in group.rows}
    assert rag == {
        overdue.id: ("red", True),
        soon.id: ("amber", False),
        soon_started.id: ("green", False),
        later.id: ("green", False),
        done_late.id: ("green", False),
    }


def test_my_milestones_lists_only_the_user_s_open_ones_first(app):
    trainer = create_user("trainer")
    locality = create_locality()
    done = create_milestone(locality, owner=trainer, status="done", due=date(2026, 10, 1))
    open_ = create_milestone(locality, owner=trainer, due=date(2027, 2, 1))
    create_milestone(locality)

    rows = milestones.milestones_owned_by(trainer, TODAY)

    assert [row.milestone.id for row in rows] == [open_.id, done.id]


def test_the_overview_counts_done_total_and_overdue_per_locality(app):
    programme = create_programme()
    busy = create_locality(programme, wave=1)
    quiet = create_locality(programme, wave=2)
    create_milestone(busy, status="done", due=TODAY - timedelta(days=5))
    create_milestone(busy, due=TODAY - timedelta(days=1))
    create_milestone(busy, status="in_progress", due=TODAY - timedelta(days=2))
    create_milestone(busy, due=TODAY + timedelta(days=1))

    summaries = programmes.overview(programme, TODAY)

    counts = {s.locality.id: (s.milestones_done, s.milestones_total, s.overdue) for s in summaries}
    assert counts == {busy.id: (1, 4, 2), quiet.id: (0, 0, 0)}
    assert [s.locality.id for s in summaries] == [busy.id, quiet.id]


def test_a_mistyped_due_year_is_refused_naming_the_due_field(app):
    milestone = create_milestone(create_locality(go_live=GO_LIVE))

    with pytest.raises(ServiceError) as refused:
        edit_as(
            None,
            milestone,
            due=date(1, 1, 1),
        )

    assert refused.value.field == "due"
    assert "within 5 years of the go-live date" in refused.value.message
    assert reread(milestone).due == date(2027, 1, 6)


def test_a_since_deactivated_owner_stays_when_only_the_status_changes(app):
    owner = create_user("hr_lead")
    milestone = create_milestone(create_locality(), owner=owner)
    owner.active = False
    db.session.commit()

    edit_as(
        None,
        milestone,
        status="in_progress",
        owner_email=owner.email,
    )

    saved = reread(milestone)
    assert (saved.status, saved.owner_id) == ("in_progress", owner.id)


def test_a_deactivated_person_cannot_be_made_an_owner(app):
    former = create_user("hr_lead", active=False)
    milestone = create_milestone(create_locality())

    with pytest.raises(ServiceError) as refused:
        edit_as(
            None,
            milestone,
            owner_email=former.email,
        )

    assert refused.value.field == "owner"
