"""A locality's readiness page: each criterion's result with its projection and trend, the
locality's exceptions, and its go-live decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from programme.domain import go_live
from programme.domain.readiness import Readiness
from programme.domain.readiness_outlook import Projection, Sparkline, project
from programme.models import GateCriterion, GateException, GoLiveDecision, Locality
from programme.services import teams_served
from programme.services.readiness import decisions, gate_exceptions, snapshots
from programme.services.readiness.evaluation import readiness_of
from programme.services.recruitment import roles
from programme.services.teams_served import SharedTeam


@dataclass
class LocalityReadiness:
    locality: Locality
    criteria: list[GateCriterion]
    readiness: Readiness
    projections: dict[str, Projection]
    trends: dict[str, Sparkline]
    decision: GoLiveDecision | None
    decisions: list[GoLiveDecision]
    exceptions: dict[str, GateException] = field(default_factory=dict)
    days_to_go_live: int = 0  # from today: the page says "in 12 days" without arithmetic
    # How posts and staff are counted: teams of other localities serving this one, and roles
    # whose adult-specialist flag changed (and from when).
    shared_teams: list[SharedTeam] = field(default_factory=list)
    flag_notes: list[str] = field(default_factory=list)
    phase: str = go_live.PLANNING  # "planning", "approved" (to go live on its date) or "live"

    def counting_notes(self, kind: str) -> list[str]:
        """How a criterion of this kind counts here, where that is not plain: teams shared
        with other localities, roles whose adult-specialist flag changed."""
        if kind == "adult_specialists_recruited":
            return [shared.posts_note for shared in self.shared_teams] + self.flag_notes
        if kind == "trained":
            return [shared.staff_note for shared in self.shared_teams]
        return []

    @property
    def rows(self):
        """(criterion, result, projection, trend) per criterion, in the gate's order."""
        return [
            (c, r, self.projections.get(c.key), self.trends.get(c.key))
            for c, r in zip(self.criteria, self.readiness.results, strict=True)
        ]


def locality_readiness(locality: Locality, as_of: date, today: date) -> LocalityReadiness:
    criteria, results, facts = readiness_of(locality.programme, [locality], as_of, today)
    readiness = results[locality.id]
    definitions = [c.definition() for c in criteria]
    projected = project(definitions, facts[locality.id], today, readiness)
    projections = {projection.key: projection for projection in projected}
    history = decisions.decisions(locality)
    return LocalityReadiness(
        locality,
        criteria,
        readiness,
        projections,
        snapshots.trends(locality, criteria, readiness, today),
        next((d for d in history if d.in_force), None),
        history,
        {e.criterion.key: e for e in gate_exceptions.exceptions(locality)},
        (locality.go_live - today).days,
        teams_served.shared_teams(locality),
        roles.flag_notes(locality.programme),
        go_live.phase(locality.state, locality.go_live, today),
    )
