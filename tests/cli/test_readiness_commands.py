"""The readiness commands of CLI.md: `readiness show`, `readiness go-live` and
`readiness snapshot`."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, GoLiveDecision, ReadinessSnapshot
from programme.services.training import catalogue, enrolment, registers
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import count_rows, reread

LAST_MONTH = TODAY - timedelta(days=30)
NEXT_MONTH = date(2026, 12, 31)
CRITERION_KEYS = ["key", "label", "actual", "threshold", "met", "numerator", "denominator"]


def complete_both_courses(programme, people) -> None:
    for key in ("mi", "fs_workshops"):
        course = catalogue.get_course(programme, key)
        for module in course.modules:
            if module.required:
                session = create_session(course, module.number, LAST_MONTH)
                enrolment.enrol(session, [p.id for p in people], None)
                registers.save_register(
                    session, dict.fromkeys((p.id for p in people), "present"), None, today=TODAY
                )


def bridgwater(ready: bool = True):
    """Bridgwater with ten DA posts, seven filled (six when not `ready`), two trained social
    workers and its one gate-critical milestone done."""
    programme = create_programme(slug="somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    team = create_team(locality, name="Bridgwater Team 1")
    filled = 7 if ready else 6
    for n in range(10):
        create_post(team, "da_victims", status="in_post" if n < filled else "advertised")
    complete_both_courses(programme, [create_staff(team), create_staff(team)])
    create_milestone(locality, gate_critical=True, status="done", completed_on=LAST_MONTH)
    return locality


def show(*options: str) -> list[str]:
    return ["readiness", "show", "bridgwater", *options]


def go_live(*options: str) -> list[str]:
    return ["readiness", "go-live", "bridgwater", *options]


# ------------------------------------------------------------------ readiness show


def test_show_json_prints_one_document_of_the_contract_s_shape(app, runner):
    bridgwater()

    result = runner.invoke(args=show("--json"))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert list(document) == ["locality", "as_of", "ready", "criteria"]
    assert (document["locality"], document["as_of"], document["ready"]) == (
        "bridgwater",
        "2026-11-30",
        True,
    )
    assert [c["key"] for c in document["criteria"]] == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]
    for entry in document["criteria"]:
        assert list(entry) == CRITERION_KEYS
        assert isinstance(entry["label"], str)
        assert isinstance(entry["actual"], int | float)
        assert 0 <= entry["actual"] <= 100
        assert isinstance(entry["threshold"], int)
        assert isinstance(entry["met"], bool)
        assert isinstance(entry["numerator"], int)
        assert isinstance(entry["denominator"], int)
    assert document["criteria"][0] == {
        "key": "adult_specialists_recruited",
        "label": "Adult specialist workers recruited",
        "actual": 70,
        "threshold": 70,
        "met": True,
        "numerator": 7,
        "denominator": 10,
    }
    assert [c["threshold"] for c in document["criteria"]] == [70, 70, 100]


def test_show_json_of_a_locality_that_is_not_ready(app, runner):
    bridgwater(ready=False)

    document = json.loads(runner.invoke(args=show("--json")).stdout)

    assert document["ready"] is False
    recruited = document["criteria"][0]
    assert (recruited["actual"], recruited["met"], recruited["numerator"]) == (60, False, 6)


def test_show_as_of_evaluates_that_day(app, runner):
    locality = bridgwater(ready=False)
    team = locality.teams[0]
    create_post(team, "da_victims", status="appointed", start_date=NEXT_MONTH)

    today = json.loads(runner.invoke(args=show("--json")).stdout)
    later = runner.invoke(args=show("--json", "--as-of", "2026-12-31"))

    assert later.exit_code == 0, later.output
    document = json.loads(later.stdout)
    assert document["as_of"] == "2026-12-31"
    assert (today["criteria"][0]["numerator"], today["criteria"][0]["denominator"]) == (6, 11)
    assert (document["criteria"][0]["numerator"], document["criteria"][0]["met"]) == (7, False)
    assert document["criteria"][0]["actual"] == 63.6


def test_show_prints_the_verdict_and_each_criterion_with_what_is_short(app, runner):
    bridgwater(ready=False)

    result = runner.invoke(args=show())

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Bridgwater on 30 Nov 2026: not ready to go live (state: planning)"
    assert lines[1] == (
        "  NOT MET Adult specialist workers recruited: 60% (6 of 10), threshold 70%"
    )
    assert lines[2] == "          6 of 10 recruited; 4 not recruited yet (4 advertised)"
    assert sum(1 for line in lines if line.strip().startswith("- ")) == 4
    assert any(line.startswith("  met     Gate-critical milestones done") for line in lines)


def test_show_of_an_unknown_locality_exits_1_with_a_sentence(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(args=["readiness", "show", "nowhere", "--json"])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "There is no locality with the slug 'nowhere'."


def test_show_needs_the_programme_when_two_programmes_share_the_slug(app, runner):
    bridgwater()
    create_locality(create_programme("Other", "other"), name="Other Bridgwater", slug="bridgwater")

    ambiguous = runner.invoke(args=show("--json"))
    named = runner.invoke(args=show("--json", "--programme", "other"))

    assert ambiguous.exit_code == 1
    assert "name one with --programme" in ambiguous.stderr
    assert named.exit_code == 0, named.output
    document = json.loads(named.stdout)
    assert (document["locality"], document["ready"]) == ("bridgwater", False)


@pytest.mark.parametrize("day", ["30/11/2026", "2026-02-30", "tomorrow"])
def test_show_with_a_bad_date_is_a_usage_error(app, runner, day):
    bridgwater()

    result = runner.invoke(args=show("--as-of", day))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "YYYY-MM-DD" in result.stderr


# ------------------------------------------------------------------ readiness go-live


def test_go_live_while_unmet_exits_1_listing_the_unmet_criteria_and_writes_nothing(app, runner):
    locality = bridgwater(ready=False)
    create_user("board_member", email="chair@example.org")
    audit_before = count_rows(AuditEvent)

    result = runner.invoke(args=go_live("--by", "chair@example.org"))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Bridgwater cannot go live; these criteria are not met:",
        "  Adult specialist workers recruited is 60% (6 of 10), below 70%",
    ]
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0
    assert count_rows(AuditEvent) == audit_before


def test_go_live_when_met_records_the_decision_and_exits_0(app, runner):
    locality = bridgwater()
    chair = create_user("board_member", email="chair@example.org", name="Chair Person")

    result = runner.invoke(args=go_live("--by", "Chair@Example.org", "--note", "Minutes, item 4"))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    decision = db.session.scalar(select(GoLiveDecision))
    assert result.stdout.strip() == (
        f"Bridgwater is live: decision {decision.id} recorded by Chair Person."
    )
    assert (decision.decided_by_id, decision.note) == (chair.id, "Minutes, item 4")
    assert decision.evidence["ready"] is True
    assert reread(locality).state == "live"


def test_go_live_again_exits_1_saying_it_is_already_live(app, runner):
    bridgwater()
    create_user("board_member", email="chair@example.org")
    runner.invoke(args=go_live("--by", "chair@example.org"))

    result = runner.invoke(args=go_live("--by", "chair@example.org"))

    assert result.exit_code == 1
    assert result.stderr.strip() == "Bridgwater is already live."
    assert count_rows(GoLiveDecision) == 1


def test_go_live_by_an_unknown_e_mail_exits_1(app, runner):
    locality = bridgwater()

    result = runner.invoke(args=go_live("--by", "nobody@example.org"))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "There is no active user with that e-mail address."
    assert reread(locality).state == "planning"


@pytest.mark.parametrize("role", ["programme_manager", "hr_lead", "trainer", "viewer"])
def test_go_live_by_someone_not_on_the_board_exits_1(app, runner, role):
    locality = bridgwater()
    create_user(role, email="someone@example.org", name="Sam Smith")

    result = runner.invoke(args=go_live("--by", "someone@example.org"))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "only board members record go-live decisions" in result.stderr
    assert result.stderr.startswith("Sam Smith is a ")
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0


def test_go_live_by_an_administrator_is_allowed(app, runner):
    locality = bridgwater()
    create_user("admin", email="admin@example.org")

    result = runner.invoke(args=go_live("--by", "admin@example.org"))

    assert result.exit_code == 0, result.output
    assert reread(locality).state == "live"


def test_go_live_without_by_is_a_usage_error(app, runner):
    bridgwater()

    result = runner.invoke(args=go_live())

    assert result.exit_code == 2
    assert count_rows(GoLiveDecision) == 0


def test_go_live_of_an_unknown_locality_exits_1(app, runner):
    create_user("board_member", email="chair@example.org")

    result = runner.invoke(args=["readiness", "go-live", "nowhere", "--by", "chair@example.org"])

    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no locality with the slug 'nowhere'."


# ------------------------------------------------------------------ readiness snapshot


def test_snapshot_json_reports_what_it_stored_and_replaces_them_the_same_day(app, runner):
    programme = create_programme(slug="somerset")
    create_locality(programme)
    create_locality(programme)

    first = runner.invoke(args=["readiness", "snapshot", "--json"])
    again = runner.invoke(args=["readiness", "snapshot", "--json"])

    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"as_of": "2026-11-30", "created": 2, "updated": 0}
    assert json.loads(again.stdout) == {"as_of": "2026-11-30", "created": 0, "updated": 2}
    assert count_rows(ReadinessSnapshot) == 2


def test_snapshot_as_of_stores_that_day(app, runner):
    create_locality(create_programme(slug="somerset"))

    result = runner.invoke(args=["readiness", "snapshot", "--as-of", "2026-11-01"])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Readiness on 1 Nov 2026: 1 snapshot stored, 0 replaced."
    [snapshot] = db.session.scalars(select(ReadinessSnapshot))
    assert snapshot.taken_on == date(2026, 11, 1)


def test_snapshot_with_a_bad_date_is_a_usage_error(app, runner):
    result = runner.invoke(args=["readiness", "snapshot", "--as-of", "November"])

    assert result.exit_code == 2
    assert count_rows(ReadinessSnapshot) == 0
