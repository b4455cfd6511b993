"""The JSON documents (programme/serialisers.py): each has exactly the shape CLI.md promises, so
the commands' `--json` output and the API, which both take their shapes from there, keep it."""

from __future__ import annotations

from datetime import date

from programme import serialisers
from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.readiness import LocalityException, LocalityFacts, evaluate, evaluate_one
from programme.domain.recruitment import PostFacts
from programme.services.readiness import decisions, evaluation, gate_criteria, gate_exceptions
from programme.services.readiness.snapshots import SnapshotRun
from programme.services.training import catalogue
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_team,
    create_user,
)
from tests.conftest import TODAY

CRITERION_FIELDS = ["key", "label", "actual", "threshold", "met", "numerator", "denominator"]
RECRUITED = Criterion(
    "adult_specialists_recruited", "Adult specialist workers recruited", CriterionKind.RECRUITED, 70
)
ICT_CHECK = Criterion(
    "ict_ready", "Workbook ICT ready", CriterionKind.MANUAL_CHECK, 100, signer="Head of ICT"
)


def _facts(filled: int, total: int, **values) -> LocalityFacts:
    posts = tuple(
        PostFacts("in_post" if n <= filled else "advertised", True, False, None, (), n, f"Post {n}")
        for n in range(1, total + 1)
    )
    return LocalityFacts(go_live=date(2027, 1, 4), posts=posts, **values)


# ------------------------------------------------------------------ readiness (no database)


def test_a_criterion_has_exactly_the_cli_fields():
    document = serialisers.criterion_document(evaluate_one(RECRUITED, _facts(69, 99), TODAY))

    assert document == {
        "key": "adult_specialists_recruited",
        "label": "Adult specialist workers recruited",
        "actual": 69.6,
        "threshold": 70,
        "met": False,
        "numerator": 69,
        "denominator": 99,
    }


def test_a_criterion_shows_the_locality_s_threshold():
    exception = {"adult_specialists_recruited": LocalityException("Hard to fill", threshold=60)}

    document = serialisers.criterion_document(
        evaluate_one(RECRUITED, _facts(6, 10, exceptions=exception), TODAY)
    )

    assert (document["threshold"], document["met"], document["actual"]) == (60, True, 60)


def test_evidence_keeps_everything_the_board_saw_about_each_criterion():
    excused = {"ict_ready": LocalityException("ICT shared with the county", waived=True)}

    kept = serialisers.evidence(
        evaluate([RECRUITED, ICT_CHECK], _facts(1, 2, exceptions=excused), TODAY)
    )

    assert kept == {
        "as_of": "2026-11-30",
        "ready": False,
        "criteria": [
            {
                "key": "adult_specialists_recruited",
                "label": "Adult specialist workers recruited",
                "actual": 50,
                "threshold": 70,
                "met": False,
                "numerator": 1,
                "denominator": 2,
                "kind": "adult_specialists_recruited",
                "note": None,
                "exception": None,
                "shortfall": [{"kind": "post", "label": "Post 2", "detail": "Advertised"}],
            },
            {
                "key": "ict_ready",
                "label": "Workbook ICT ready",
                "actual": 0,
                "threshold": 100,
                "met": True,
                "numerator": 0,
                "denominator": 1,
                "kind": "manual_check",
                "note": "Waived: ICT shared with the county",
                "exception": "ICT shared with the county",
                "shortfall": [],  # excused: nothing stands in its way
            },
        ],
    }


def test_evidence_of_a_ready_locality_says_so():
    kept = serialisers.evidence(evaluate([RECRUITED], _facts(1, 1), TODAY))

    assert kept["ready"] is True
    assert kept["criteria"][0]["shortfall"] == []


# ------------------------------------------------------------------ documents of records


def test_the_show_document_has_the_shape_of_readiness_show_json(app):
    locality = create_locality(create_programme(), slug="bridgwater")
    create_post(create_team(locality), "da_victims", status="in_post")
    result = evaluation.evaluate_locality(locality, TODAY)

    document = serialisers.show_document(locality, result)
    served = serialisers.locality_readiness_document(locality, result)

    assert list(document) == ["locality", "as_of", "ready", "criteria"]
    assert (document["locality"], document["as_of"], document["ready"]) == (
        "bridgwater",
        "2026-11-30",
        False,
    )
    assert [list(entry) for entry in document["criteria"]] == [CRITERION_FIELDS] * len(
        result.results
    )
    assert served == {**document, "state": "planning"}


def test_a_recorded_decision_has_who_when_the_note_and_the_evidence(app):
    programme = create_programme()
    locality = create_locality(programme)
    for criterion in gate_criteria.criteria(programme):
        gate_exceptions.set_exception(locality, criterion, "Agreed", None, waived=True)
    board_member = create_user("board_member", name="Bea")
    decision = decisions.go_live(locality, board_member, "Minutes", TODAY)

    document = serialisers.go_live_document(locality, decision)

    assert (document["locality"], document["state"]) == (locality.slug, "live")
    assert list(document["decision"]) == ["id", "decided_by", "decided_at", "note", "evidence"]
    assert (document["decision"]["decided_by"], document["decision"]["note"]) == ("Bea", "Minutes")
    assert document["decision"]["evidence"]["ready"] is True


def test_a_course_document_has_the_shape_of_courses_list_json(app):
    course = catalogue.get_course(create_programme(), "fs_workshops")

    document = serialisers.courses_document([course])

    [entry] = document["courses"]
    assert list(entry) == ["key", "name", "modules", "criterion"]
    assert entry["key"] == "fs_workshops"
    assert entry["criterion"] == "trained_mi_and_fs"
    assert entry["modules"][3] == {
        "number": 4,
        "title": "Optional: practice leads' masterclass",
        "required": False,
    }


def test_the_milestones_document_has_the_shape_of_milestones_list_json(app):
    locality = create_locality(slug="yeovil")
    owner = create_user("hr_lead", email="owner@example.org")
    owned = create_milestone(locality, title="Agree budget", owner=owner, gate_critical=True)
    undated = create_milestone(locality, title="Open", due=None)

    document = serialisers.milestones_document(locality, [owned, undated])

    assert document == {
        "locality": "yeovil",
        "milestones": [
            {
                "id": owned.id,
                "workstream": "Governance and partnership",
                "title": "Agree budget",
                "due": "2027-01-06",
                "status": "not_started",
                "owner": "owner@example.org",
                "gate_critical": True,
            },
            {
                "id": undated.id,
                "workstream": "Governance and partnership",
                "title": "Open",
                "due": None,
                "status": "not_started",
                "owner": None,
                "gate_critical": False,
            },
        ],
    }


def test_an_import_report_has_the_counts_then_the_errors():
    counts = {"created": 1, "updated": 0, "unchanged": 2, "rejected": 1}

    report = serialisers.import_report(
        counts, [{"row": 3, "column": "Status", "message": "Unknown status."}]
    )

    assert list(report) == ["created", "updated", "unchanged", "rejected", "errors"]
    assert report["errors"] == [{"row": 3, "column": "Status", "message": "Unknown status."}]
    whole_file = serialisers.file_error("Too big.")
    assert whole_file == {"row": None, "column": None, "message": "Too big."}


def test_a_snapshot_run_names_its_day_and_counts():
    run = SnapshotRun(TODAY, created=3, updated=1)

    assert serialisers.snapshot_run_document(run) == {
        "as_of": "2026-11-30",
        "created": 3,
        "updated": 1,
    }
