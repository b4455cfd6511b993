"""The readiness part of a board member's digest: every locality's readiness (each criterion's
value, threshold and RAG) with what changed since their last digest, the localities within
4 weeks of go-live that are not ready, and the outcome indicators that moved away from their
target since then (`digest_outcomes.py`; the part is then titled for outcomes too).

Changes are measured against each locality's daily readiness snapshot of the person's baseline
day (the day their previous digest went, or a week before; the newest snapshot before it when
none was taken that day), as `Baseline` carries it. Live localities are left out: the board has
decided them. Plain Python: no Flask, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from programme.domain.digest_items import (
    Baseline,
    IndicatorMove,
    Item,
    LocalityState,
    Part,
    Reading,
    Row,
    Section,
    Snapshot,
    about_to_go_live_until,
    part_of,
)
from programme.domain.digest_outcomes import SECTION_TITLE, moved_away_items
from programme.domain.formatting import count, count_of, listed, long_date, percent, share_text
from programme.domain.readiness import CriterionResult, rag_of
from programme.domain.recruitment import Share

READINESS_COLUMNS = (
    "Locality",
    "Criterion",
    "Value",
    "Threshold",
    "RAG",
    "Change since last digest",
)
# RAG in words, so no colour carries it alone.
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
NO_READING = "No earlier reading"
NO_CHANGE = "No change"
# The part's title when it carries outcome indicators too.
WITH_OUTCOMES = "Readiness for go-live and outcomes"


def readiness_part(
    localities: Iterable[LocalityState],
    baseline: Baseline | None,
    as_of: date,
    moves: Iterable[IndicatorMove] = (),
) -> Part | None:
    """The localities within 4 weeks of go-live that are not ready, the outcome indicators
    that moved away from their target since the last digest (`digest_outcomes.py`), then every
    locality's readiness, soonest go-live first."""
    localities = sorted(localities, key=lambda loc: (loc.go_live, loc.name))
    last_day = about_to_go_live_until(as_of)
    urgent = tuple(
        _not_ready(locality, as_of)
        for locality in localities
        if locality.go_live <= last_day and not locality.readiness.ready
    )
    every = tuple(_locality(locality, baseline, as_of) for locality in localities)
    moved = moved_away_items(moves, baseline)
    return part_of(
        "readiness",
        Section("Within 4 weeks of go-live and not ready", urgent),
        Section(SECTION_TITLE, moved),
        Section("Every locality's readiness", every, READINESS_COLUMNS, grouped=True),
        intro=_intro(baseline),
        heading=WITH_OUTCOMES if moved else "",
    )


def _intro(baseline: Baseline | None) -> str:
    if baseline is None:
        return ""
    if baseline.after_digest:
        return f"Changes are since your last digest, on {long_date(baseline.day)}."
    return f"Changes are over the last week, since {long_date(baseline.day)}."


def _not_ready(locality: LocalityState, as_of: date) -> Item:
    unmet = [result.label for result in locality.readiness.unmet]
    why = f"{listed(unmet)} not met" if unmet else "its gate has no criteria"
    return Item(
        "readiness",
        f"{locality.name} {locality.when(as_of)}, and is not ready: {why}",
        locality.links.readiness,
    )


def _locality(locality: LocalityState, baseline: Baseline | None, as_of: date) -> Item:
    snapshot = baseline.snapshots.get(locality.id) if baseline else None
    results = locality.readiness.results
    changes = [change_since(result, snapshot) for result in results]
    rows = tuple(
        _row(locality.name, result, change)
        for result, (change, _) in zip(results, changes, strict=True)
    )
    if not results:
        summary = "its gate has no criteria"
    else:
        met = sum(1 for result in results if result.met)
        state = "ready" if locality.readiness.ready else "not ready"
        summary = f"{state}, {met} of {count(len(results), 'criterion', 'criteria')} met"
    changed = sum(1 for _text, did in changes if did)
    if changed and baseline is not None:
        summary += (
            f"; {count(changed, 'criterion', 'criteria')} changed since {long_date(baseline.day)}"
        )
    return Item(
        "readiness",
        f"{locality.name} ({locality.when(as_of)}): {summary}",
        locality.links.readiness,
        rows,
    )


def _row(locality: str, result: CriterionResult, change: str) -> Row:
    waived = result.exception is not None and result.exception.waived
    value = "Waived" if waived else share_text(result.share)
    threshold = "Not applied" if waived else percent(result.threshold)
    rag = RAG_WORDS[result.rag]
    text = f"{result.label}: {value}, threshold {threshold}, {rag}. {change}."
    return Row((locality, result.label, value, threshold, rag, change), text)


def change_since(result: CriterionResult, snapshot: Snapshot | None) -> tuple[str, bool]:
    """What changed in a criterion since the snapshot, in words, and whether anything did."""
    if snapshot is None:
        return NO_READING, False
    before = snapshot.readings.get(result.key)
    if before is None:
        return f"New since {long_date(snapshot.taken_on)}", True
    then = Share(before.numerator, before.denominator)
    if (then, before.threshold, before.met) == (result.share, result.threshold, result.met):
        return NO_CHANGE, False
    said = []
    if result.actual != before.actual:
        direction = "up" if result.actual > before.actual else "down"
        said.append(f"{direction} from {share_text(then, nothing='nothing to count')}")
    elif then != result.share:
        said.append(f"was {count_of(then)}")
    if before.threshold != result.threshold:
        said.append(f"threshold was {percent(before.threshold)}")
    rag_then = rag_before(before)
    if rag_then != result.rag:
        said.append(f"was {RAG_WORDS[rag_then]}")
    if not said:
        said.append("was met" if before.met else "was not met")
    text = "; ".join(said)
    return text[:1].upper() + text[1:], True


def rag_before(reading: Reading) -> str:
    """A kept reading's RAG, by the rule today's results follow."""
    return rag_of(Share(reading.numerator, reading.denominator), reading.threshold, reading.met)
