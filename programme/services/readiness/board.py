"""The board's view: every locality's readiness by wave, with the go-live decision in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from programme.domain.readiness import Readiness
from programme.extensions import db
from programme.models import GateCriterion, GoLiveDecision, Locality, Programme
from programme.services import facts
from programme.services.readiness.decisions import decisions_in_force
from programme.services.readiness.evaluation import readiness_of


@dataclass
class BoardRow:
    locality: Locality
    readiness: Readiness
    days_to_go_live: int
    decision: GoLiveDecision | None

    @property
    def live(self) -> bool:
        return self.locality.state == "live"


@dataclass
class Board:
    criteria: list[GateCriterion]
    waves: list[tuple[int | None, list[BoardRow]]]
    as_of: date

    @property
    def rows(self) -> list[BoardRow]:
        return [row for _wave, rows in self.waves for row in rows]


def board(programme: Programme, today: date, places: facts.Places | None = None) -> Board:
    """Every locality's readiness by wave, in a fixed number of queries; `places` as for
    `readiness_of`."""
    localities = list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.wave.is_(None), Locality.wave, Locality.go_live, Locality.name)
        )
    )
    criteria, results, _facts = readiness_of(programme, localities, today, places=places)
    in_force = decisions_in_force([locality.id for locality in localities])
    waves: dict[int | None, list[BoardRow]] = {}
    for locality in localities:
        waves.setdefault(locality.wave, []).append(
            BoardRow(
                locality,
                results[locality.id],
                (locality.go_live - today).days,
                in_force.get(locality.id),
            )
        )
    return Board(criteria, list(waves.items()), today)
