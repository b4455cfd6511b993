"""`milestones list` and `milestones update`: the locality's milestones from the command line."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Milestone
from tests.builders import (
    apply_lancashire,
    create_locality,
    create_milestone,
    create_programme,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for, reread

MILESTONE_KEYS = {"id", "workstream", "title", "due", "status", "owner", "gate_critical"}


# ------------------------------------------------------------------ milestones list


def test_milestones_list_json_prints_one_document_in_the_contract_s_shape(app, runner):
    owner = create_user("hr_lead", email="helen@example.org")
    locality = create_locality(slug="mendip", go_live=date(2027, 4, 6))
    apply_lancashire(locality)
    first = db.session.scalar(
        select(Milestone).where(Milestone.title == "Partnership board set up")
    )
    first.owner, first.status = owner, "done"
    db.session.commit()

    result = runner.invoke(args=["milestones", "list", "mendip", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # fails if anything else is on stdout
    assert set(document) == {"locality", "milestones"}
    assert document["locality"] == "mendip"
    assert len(document["milestones"]) == 20
    for entry in document["milestones"]:
        assert set(entry) == MILESTONE_KEYS
        assert entry["status"] in {"not_started", "in_progress", "done", "blocked"}
        assert date.fromisoformat(entry["due"])
        assert isinstance(entry["id"], int)
        assert isinstance(entry["gate_critical"], bool)
    board = next(e for e in document["milestones"] if e["title"] == "Partnership board set up")
    assert board == {
        "id": first.id,
        "workstream": "Governance and partnership",
        "title": "Partnership board set up",
        "due": "2026-08-06",
        "status": "done",
        "owner": "helen@example.org",
        "gate_critical": False,
    }
    assert sum(e["gate_critical"] for e in document["milestones"]) == 3
    assert result.stderr == ""


def test_milestones_list_json_of_a_locality_with_no_milestones(app, runner):
    create_locality(slug="mendip")

    result = runner.invoke(args=["milestones", "list", "mendip", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"locality": "mendip", "milestones": []}


def test_milestones_list_json_shows_a_milestone_without_a_date_as_null(app, runner):
    locality = create_locality(slug="mendip")
    create_milestone(locality, due=None, offset_amount=None, offset_unit=None)

    result = runner.invoke(args=["milestones", "list", "mendip", "--json"])

    [entry] = json.loads(result.stdout)["milestones"]
    assert entry["due"] is None and entry["owner"] is None


def test_milestones_list_as_text_groups_by_workstream(app, runner):
    locality = create_locality(slug="mendip", go_live=date(2027, 4, 6))
    apply_lancashire(locality)

    result = runner.invoke(args=["milestones", "list", "mendip"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Governance and partnership (0/9 done)"
    assert any("Partnership agreement negotiated and signed [gate] (no owner)" in x for x in lines)


def test_milestones_list_of_an_unknown_locality_exits_1(app, runner):
    result = runner.invoke(args=["milestones", "list", "nowhere", "--json"])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "There is no locality with the slug 'nowhere'." in result.stderr


def test_milestones_list_in_a_named_programme(app, runner):
    create_locality(create_programme("One", "one"), slug="mendip")
    theirs = create_locality(create_programme("Two", "two"), slug="mendip")
    create_milestone(theirs, title="Theirs")

    result = runner.invoke(args=["milestones", "list", "mendip", "--programme", "two", "--json"])

    assert [e["title"] for e in json.loads(result.stdout)["milestones"]] == ["Theirs"]


# ------------------------------------------------------------------ milestones update


def test_milestones_update_marks_done_and_is_audited_as_the_named_user(app, runner):
    priya = create_user("programme_manager", email="priya@example.org")
    milestone = create_milestone(create_locality())

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--status", "done"]
        + ["--by", "priya@example.org"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Updated milestone {milestone.id}: status."
    saved = reread(milestone)
    assert (saved.status, saved.completed_on) == ("done", TODAY)
    [event] = audit_events_for("milestone", milestone.id)
    assert event.actor_id == priya.id
    assert event.before == {"status": "not_started"}
    assert event.after == {"status": "done"}


def test_milestones_update_changes_owner_and_due_date(app, runner):
    create_user("admin", email="alex@example.org")
    helen = create_user("hr_lead", email="helen@example.org")
    milestone = create_milestone(create_locality(go_live=date(2027, 4, 6)))

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--owner", "helen@example.org"]
        + ["--due", "2027-02-01", "--by", "alex@example.org"]
    )

    assert result.exit_code == 0, result.output
    saved = reread(milestone)
    assert (saved.owner_id, saved.due, saved.due_set_manually) == (helen.id, date(2027, 2, 1), True)


def test_milestones_update_warns_on_stderr_when_due_after_go_live(app, runner):
    create_user("admin", email="alex@example.org")
    milestone = create_milestone(create_locality(go_live=date(2027, 4, 6)), offset_amount=2)

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--due", "2027-05-03"]
        + ["--by", "alex@example.org"]
    )

    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr and "after the go-live date" in result.stderr
    assert reread(milestone).due == date(2027, 5, 3)


def test_milestones_update_with_nothing_to_change_says_so(app, runner):
    create_user("admin", email="alex@example.org")
    milestone = create_milestone(create_locality())

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--status", "not_started"]
        + ["--by", "alex@example.org"]
    )

    assert result.exit_code == 0
    assert result.stdout.strip() == f"Milestone {milestone.id} unchanged."
    assert audit_events_for("milestone", milestone.id) == []


def test_an_owner_may_update_their_own_milestone_from_the_command_line(app, runner):
    trainer = create_user("trainer", email="tom@example.org")
    milestone = create_milestone(create_locality(), owner=trainer)

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--status", "in_progress"]
        + ["--by", "tom@example.org"]
    )

    assert result.exit_code == 0, result.output
    assert reread(milestone).status == "in_progress"


@pytest.mark.parametrize(
    ("role", "active", "owns_it"),
    [
        pytest.param("viewer", True, False, id="a viewer"),
        pytest.param("trainer", True, False, id="a trainer who does not own it"),
        pytest.param("board_member", True, False, id="a board member"),
        pytest.param("viewer", True, True, id="a viewer, even one who owns it"),
        pytest.param("programme_manager", False, False, id="a deactivated programme manager"),
    ],
)
def test_milestones_update_by_someone_who_may_not_change_it_exits_1(
    app, runner, role, active, owns_it
):
    someone = create_user(role, email="someone@example.org", active=active)
    milestone = create_milestone(create_locality(), owner=someone if owns_it else None)

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--status", "done"]
        + ["--by", "someone@example.org"]
    )

    assert result.exit_code == 1
    assert f"may not change milestone {milestone.id}" in result.stderr
    assert reread(milestone).status == "not_started"
    assert audit_events_for("milestone", milestone.id) == []


def test_milestones_update_of_an_unknown_milestone_exits_1(app, runner):
    create_user("admin", email="alex@example.org")

    result = runner.invoke(
        args=["milestones", "update", "9999", "--status", "done", "--by", "alex@example.org"]
    )

    assert result.exit_code == 1
    assert "There is no milestone with id 9999." in result.stderr


@pytest.mark.parametrize(
    "naming_nobody",
    [
        pytest.param(["--by", "nobody@example.org"], id="made by an unknown user"),
        pytest.param(
            ["--owner", "nobody@example.org", "--by", "alex@example.org"],
            id="giving it an unknown owner",
        ),
    ],
)
def test_milestones_update_naming_an_unknown_user_exits_1_and_changes_nothing(
    app, runner, naming_nobody
):
    create_user("admin", email="alex@example.org")
    milestone = create_milestone(create_locality())

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--status", "done", *naming_nobody]
    )

    assert result.exit_code == 1
    assert "There is no user with the e-mail address nobody@example.org." in result.stderr
    assert reread(milestone).status == "not_started"


@pytest.mark.parametrize(
    "extra", [["--status", "finished"], ["--due", "next week"], ["--due", "2027-13-01"]]
)
def test_milestones_update_with_a_bad_status_or_date_is_a_usage_error(app, runner, extra):
    create_user("admin", email="alex@example.org")
    milestone = create_milestone(create_locality())

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), *extra, "--by", "alex@example.org"]
    )

    assert result.exit_code == 2
    assert audit_events_for("milestone", milestone.id) == []


def test_milestones_update_without_by_is_a_usage_error(app, runner):
    milestone = create_milestone(create_locality())

    result = runner.invoke(args=["milestones", "update", str(milestone.id), "--status", "done"])

    assert result.exit_code == 2
    assert "--by" in result.stderr


def test_a_programme_wide_milestone_shows_in_every_locality_s_list(app, runner):
    programme = create_programme()
    create_locality(programme, slug="mendip")
    workstream = create_workstream(programme, "Governance and partnership")
    db.session.add(Milestone(workstream=workstream, locality=None, title="Board terms"))
    db.session.commit()

    result = runner.invoke(args=["milestones", "list", "mendip", "--json"])

    assert [e["title"] for e in json.loads(result.stdout)["milestones"]] == ["Board terms"]


def test_a_mistyped_due_year_is_refused_with_exit_1(runner, app):
    manager = create_user("programme_manager")
    milestone = create_milestone(create_locality())

    result = runner.invoke(
        args=[
            "milestones",
            "update",
            str(milestone.id),
            "--due",
            "0001-01-01",
            "--by",
            manager.email,
        ]
    )

    assert result.exit_code == 1
    assert "within 5 years of the go-live date" in result.stderr
    assert reread(milestone).due == date(2027, 1, 6)


def test_milestones_update_refuses_an_owner_from_another_programme(app, runner):
    create_user("admin", email="alex@example.org")
    milestone = create_milestone(create_locality())
    create_user("hr_lead", member_of=[], email="outsider@example.org", name="Olive Outside")

    result = runner.invoke(
        args=["milestones", "update", str(milestone.id), "--owner", "outsider@example.org"]
        + ["--by", "alex@example.org"]
    )

    assert result.exit_code == 1
    assert "Olive Outside is not a member of this programme" in result.stderr
    assert reread(milestone).owner_id is None
