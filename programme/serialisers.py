"""The JSON documents the app prints and serves, in one place.

The commands' `--json` output (/work/shared/CLI.md is their contract) and the API's answers take
their shapes from these functions, so a command and a route cannot describe the same thing two
ways. Plain functions from domain values and models to dicts of JSON types; no queries, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from programme.domain.readiness import CriterionResult, Readiness

if TYPE_CHECKING:
    from programme.models import Course, GoLiveDecision, Locality, Milestone
    from programme.services.readiness.snapshots import SnapshotRun


# --- Readiness and go-live -----------------------------------------------------------------------


def criterion_document(result: CriterionResult) -> dict:
    """One criterion as `readiness show --json` prints it (CLI.md)."""
    return {
        "key": result.key,
        "label": result.label,
        "actual": result.actual,
        "threshold": result.threshold,
        "met": result.met,
        "numerator": result.share.numerator,
        "denominator": result.share.denominator,
    }


def show_document(locality: Locality, readiness: Readiness) -> dict:
    """The `readiness show --json` document (CLI.md)."""
    return {
        "locality": locality.slug,
        "as_of": readiness.as_of.isoformat(),
        "ready": readiness.ready,
        "criteria": [criterion_document(result) for result in readiness.results],
    }


def locality_readiness_document(locality: Locality, readiness: Readiness) -> dict:
    """The API's readiness: the `readiness show --json` document and the locality's state."""
    return {**show_document(locality, readiness), "state": locality.state}


def unmet_documents(readiness: Readiness) -> list[dict]:
    """The criteria that refuse a go-live, each as in `readiness show --json`."""
    return [criterion_document(result) for result in readiness.unmet]


def evidence(readiness: Readiness) -> dict:
    """Everything the board saw about each criterion, to be kept unchanged with a decision."""
    return {
        "as_of": readiness.as_of.isoformat(),
        "ready": readiness.ready,
        "criteria": [
            {
                **criterion_document(result),
                "kind": result.criterion.kind.value,
                "note": result.note,
                "exception": result.exception.reason if result.exception else None,
                "shortfall": [
                    {"kind": item.kind, "label": item.label, "detail": item.detail}
                    for item in result.shortfall
                ],
            }
            for result in readiness.results
        ],
    }


def decision_document(decision: GoLiveDecision) -> dict:
    return {
        "id": decision.id,
        "decided_by": decision.decided_by_name,
        "decided_at": decision.decided_at.isoformat(),
        "note": decision.note,
        "evidence": decision.evidence,
    }


def go_live_document(locality: Locality, decision: GoLiveDecision) -> dict:
    """The API's answer to a recorded go-live: the locality, its new state and the decision."""
    return {
        "locality": locality.slug,
        "state": locality.state,
        "decision": decision_document(decision),
    }


def snapshot_run_document(run: SnapshotRun) -> dict:
    """The `readiness snapshot --json` document."""
    return {"as_of": run.taken_on.isoformat(), "created": run.created, "updated": run.updated}


# --- Milestones ----------------------------------------------------------------------------------


def milestone_document(milestone: Milestone) -> dict:
    return {
        "id": milestone.id,
        "workstream": milestone.workstream.name,
        "title": milestone.title,
        "due": milestone.due.isoformat() if milestone.due else None,
        "status": milestone.status,
        "owner": milestone.owner.email if milestone.owner else None,
        "gate_critical": milestone.gate_critical,
    }


def milestones_document(locality: Locality, milestones: Iterable[Milestone]) -> dict:
    """The `milestones list --json` document (CLI.md)."""
    return {"locality": locality.slug, "milestones": [milestone_document(m) for m in milestones]}


# --- Training ------------------------------------------------------------------------------------


def course_document(course: Course) -> dict:
    """A course as `courses list --json` prints it (CLI.md)."""
    return {
        "key": course.key,
        "name": course.name,
        "modules": [
            {"number": m.number, "title": m.title, "required": m.required} for m in course.modules
        ],
        "criterion": course.criterion,
    }


def courses_document(courses: Iterable[Course]) -> dict:
    """The `courses list --json` document (CLI.md)."""
    return {"courses": [course_document(course) for course in courses]}


# --- Imports -------------------------------------------------------------------------------------


def import_report(
    counts: Mapping[str, int],
    errors: Sequence[Mapping[str, Any]],
    organisations_added: Sequence[Mapping[str, str]] | None = None,
) -> dict:
    """Every import's `--json` report (CLI.md): the counts and each error's row, column and
    message; the recruitment import adds the employing organisations new to the programme."""
    report = {**counts, "errors": list(errors)}
    if organisations_added is not None:
        report["organisations_added"] = list(organisations_added)
    return report


def file_error(message: str) -> dict:
    """An error about the whole file (too big, unreadable), in the shape of a row's error."""
    return {"row": None, "column": None, "message": message}
