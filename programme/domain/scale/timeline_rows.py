"""A synthetic programme's timeline: each locality's milestones from the template with the
statuses its progress gives them, the go-live decisions of the live localities, and eight weekly
readiness snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from random import Random

from programme.domain.gate_criteria import CriterionKind
from programme.domain.go_live import GO_LIVE_DECISION
from programme.domain.recruitment import PostStatus
from programme.domain.timeline import MilestoneStatus, Offset, due_date

SNAPSHOT_WEEKS = 8
HELD = {PostStatus.APPOINTED.value, PostStatus.IN_POST.value}
DONE = MilestoneStatus.DONE.value


def timeline_rows(config, rng, ids, localities, rows, today, now) -> None:
    for locality in localities:
        milestones = [
            _milestone(item, locality, rng, ids, today, now) for item in config.template_items
        ]
        rows["milestone"] += milestones
        facts = _LocalityFacts(config, locality, rows, milestones)
        if locality.live:
            rows["go_live_decision"].append(_decision(config, locality, facts, ids))
        for weeks_ago in range(SNAPSHOT_WEEKS - 1, -1, -1):
            day = today - timedelta(weeks=weeks_ago)
            criteria = facts.criteria(day)
            rows["readiness_snapshot"].append(
                {
                    "id": ids.take("readiness_snapshot"),
                    "locality_id": locality.id,
                    "taken_on": day,
                    "ready": all(criterion["met"] for criterion in criteria),
                    "criteria": criteria,
                    "at": datetime.combine(day, time(2), tzinfo=UTC),
                }
            )


def _status(item, locality, due: date, rng: Random, today: date) -> tuple[str, date | None]:
    """Done when due in the past (mostly), under way when due soon, else not started."""
    if item.stands_for == GO_LIVE_DECISION:
        decided = locality.go_live - timedelta(days=7)
        return (DONE, decided) if locality.live else (MilestoneStatus.NOT_STARTED.value, None)
    if due < today:
        if locality.live or rng.random() < 0.5 + locality.progress / 2:
            return DONE, min(due, today - timedelta(days=1))
        return rng.choice((MilestoneStatus.IN_PROGRESS.value, MilestoneStatus.BLOCKED.value)), None
    if due <= today + timedelta(weeks=4) and rng.random() < 0.6:
        return MilestoneStatus.IN_PROGRESS.value, None
    return MilestoneStatus.NOT_STARTED.value, None


@lru_cache(maxsize=4096)
def _due(go_live: date, amount: int, unit: str) -> date:
    """Localities share go-live Mondays: working days are looked up once per date and offset."""
    return due_date(go_live, Offset(amount, unit))


def _milestone(item, locality, rng, ids, today, now) -> dict:
    due = _due(locality.go_live, item.offset_amount, item.offset_unit)
    status, completed_on = _status(item, locality, due, rng, today)
    return {
        "id": ids.take("milestone"),
        "workstream_id": item.workstream_id,
        "locality_id": locality.id,
        "template_item_id": item.id,
        "title": item.title,
        "description": item.description,
        "offset_amount": item.offset_amount,
        "offset_unit": item.offset_unit,
        "due": due,
        "due_set_manually": False,
        "owner_id": None,
        "status": status,
        "completed_on": completed_on,
        "notes": "",
        "gate_critical": item.gate_critical,
        "stands_for": item.stands_for,
        "version": 1,
        "updated_at": now,
    }


class _LocalityFacts:
    """What a locality's criteria read on a day, from its generated rows: a plausible trend,
    not the app's own evaluation (which the benchmarks measure)."""

    def __init__(self, config, locality, rows, milestones):
        self.config = config
        teams = {team["id"] for team in rows["team"] if team["locality_id"] == locality.id}
        specialists = {role.id for role in config.roles.values() if role.adult_specialist}
        self.specialist_posts = [
            post
            for post in rows["post"]
            if post["team_id"] in teams and post["role_id"] in specialists
        ]
        relevant = set().union(*(course.role_ids for course in config.courses))
        self.staff = sum(
            1
            for person in rows["staff_member"]
            if person["team_id"] in teams
            and person["role_id"] in relevant
            and person["leaving_date"] is None
        )
        self.gate = [m for m in milestones if m["gate_critical"]]
        days = [
            s["on"]
            for s in rows["training_session"]
            if s["venue"] == f"{locality.name} training room"
        ]
        self.training = (min(days), max(days)) if days else None

    def share(self, kind: str, day: date) -> tuple[int, int]:
        if kind == CriterionKind.RECRUITED:
            filled = [
                p
                for p in self.specialist_posts
                if p["status"] in HELD and p["status_changed_on"] <= day
            ]
            return len(filled), len(self.specialist_posts)
        if kind == CriterionKind.TRAINED:
            return self._trained(day), self.staff
        if kind == CriterionKind.GATE_MILESTONES:
            done = [m for m in self.gate if m["completed_on"] and m["completed_on"] <= day]
            return len(done), len(self.gate)
        return 0, 1

    def _trained(self, day: date) -> int:
        if self.training is None or day <= self.training[0]:
            return 0
        first, last = self.training
        if day > last:
            return round(self.staff * 0.9)
        return round(self.staff * 0.4 * (day - first).days / max((last - first).days, 1))

    def criteria(self, day: date) -> list[dict]:
        documents = []
        for criterion in self.config.criteria:
            numerator, denominator = self.share(criterion.kind, day)
            actual = round(100 * numerator / denominator, 1) if denominator else 0.0
            documents.append(
                {
                    "key": criterion.key,
                    "actual": actual,
                    "threshold": criterion.threshold,
                    "met": denominator > 0 and actual >= criterion.threshold,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            )
        return documents


def _decision(config, locality, facts: _LocalityFacts, ids) -> dict:
    """The board's decision a week before go-live, with the evidence in the app's shape."""
    decided = locality.go_live - timedelta(days=7)
    criteria = [
        {
            **document,
            "label": criterion.label,
            "kind": criterion.kind,
            "note": "",
            "exception": None,
            "shortfall": [],
        }
        for criterion, document in zip(config.criteria, facts.criteria(decided), strict=True)
    ]
    return {
        "id": ids.take("go_live_decision"),
        "locality_id": locality.id,
        "decided_by_id": None,
        "decided_by_name": "Scale board chair",
        "decided_at": datetime.combine(decided, time(10), tzinfo=UTC),
        "note": "Synthetic go-live decision (generate-scale).",
        "evidence": {
            "as_of": decided.isoformat(),
            "ready": all(c["met"] for c in criteria),
            "criteria": criteria,
        },
        "rescinded_at": None,
        "rescinded_by_name": None,
        "rescind_reason": None,
    }
