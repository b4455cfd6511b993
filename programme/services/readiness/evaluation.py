"""Each locality's readiness: the gate's criteria decided on the facts of a day.

Readiness is always loaded for a set of localities at once, in a fixed number of queries
(`services/facts.py`), and decided by `programme.domain.readiness`; the locality page, the board,
the CLI, the JSON routes, go-live decisions and the snapshot job all go through `readiness_of`,
so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from programme.domain.readiness import LocalityFacts, Readiness, evaluate
from programme.models import GateCriterion, Locality, Programme
from programme.services import facts
from programme.services.readiness import gate_criteria


def readiness_of(
    programme: Programme,
    localities: Sequence[Locality],
    as_of: date,
    today: date | None = None,
    places: facts.Places | None = None,
) -> tuple[list[GateCriterion], dict[int, Readiness], dict[int, LocalityFacts]]:
    """The gate and each locality's readiness on `as_of` (bookings counted from `today`), with
    the facts it was decided on; `places`, the programme's places when the caller has read
    them (`facts.places_of`), spares reading them again."""
    criteria = gate_criteria.criteria(programme)
    found = facts.load(programme, localities, criteria, today or as_of, places)
    definitions = [criterion.definition() for criterion in criteria]
    return (
        criteria,
        {key: evaluate(definitions, locality, as_of) for key, locality in found.items()},
        found,
    )


def evaluate_locality(locality: Locality, as_of: date) -> Readiness:
    _criteria, results, _facts = readiness_of(locality.programme, [locality], as_of)
    return results[locality.id]
