"""The outcomes lines of a board member's digest, from plain facts: what counts as moving away
from a target, when a move is news (since the previous digest, or over the last week), the
line's words, and where the readiness part puts the lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from programme.domain.digest_items import Baseline, DigestFacts, IndicatorMove, Recipient
from programme.domain.digest_outcomes import (
    SECTION_TITLE,
    is_news,
    move_text,
    moved_away_items,
    moves_away,
)
from programme.domain.digest_readiness import WITH_OUTCOMES, readiness_part
from programme.domain.digests import digest_for
from programme.domain.outcomes import MOVING_AWAY, NO_DATA, ON_TRACK

AS_OF = date(2026, 11, 30)
LINK = "https://tracker.example/programmes/somerset/outcomes/children-looked-after#locality-t"


def move(**changes) -> IndicatorMove:
    fields = {
        "locality": "Taunton",
        "indicator": "Children looked after per 10,000 children",
        "unit": "per_10000",
        "value": 62.0,
        "period": "Oct 2026",
        "target": 45.5,
        "baseline": 50.0,
        "recorded_at": datetime(2026, 11, 27, 10, tzinfo=UTC),
        "recorded_on": date(2026, 11, 27),
        "link": LINK,
        "programme_id": 1,
    }
    return IndicatorMove(**{**fields, **changes})


@pytest.mark.parametrize(
    ("latest", "previous", "moved"),
    [
        (MOVING_AWAY, ON_TRACK, True),
        (MOVING_AWAY, None, True),  # a first value: against the baseline, on track by definition
        (MOVING_AWAY, MOVING_AWAY, False),  # already away: said when it moved
        (ON_TRACK, MOVING_AWAY, False),
        (ON_TRACK, ON_TRACK, False),
        (NO_DATA, None, False),
    ],
)
def test_moving_away_after_a_value_that_was_not(latest, previous, moved):
    assert moves_away(latest, previous) is moved


def test_news_since_the_previous_digest_went_to_the_minute():
    went = datetime(2026, 11, 23, 8, 5, tzinfo=UTC)
    after_digest = Baseline(date(2026, 11, 23), True, since=went)

    assert is_news(move(recorded_at=datetime(2026, 11, 23, 8, 6, tzinfo=UTC)), after_digest)
    assert not is_news(move(recorded_at=datetime(2026, 11, 23, 8, 5, tzinfo=UTC)), after_digest)


def test_with_no_previous_digest_news_is_what_the_last_week_recorded():
    first = Baseline(date(2026, 11, 23), False)

    assert is_news(move(recorded_on=date(2026, 11, 24)), first)
    assert not is_news(move(recorded_on=date(2026, 11, 23)), first)


def test_the_line_names_the_locality_indicator_value_and_target():
    assert move_text(move()) == (
        "Taunton: children looked after per 10,000 children moved away from its target "
        "(62 in Oct 2026, against a target of 45.5)"
    )
    assert move_text(move(indicator="Social worker turnover", unit="percent", value=18.0,
                          target=None, baseline=11.0)) == (
        "Taunton: social worker turnover moved away from its target"
        " (18% in Oct 2026, worse than its baseline of 11%)"
    )  # fmt: skip
    assert move_text(move(indicator="CAMHS referrals", unit="count")).startswith(
        "Taunton: CAMHS referrals moved"
    )


def test_lines_come_by_locality_then_indicator_and_only_with_a_baseline():
    baseline = Baseline(date(2026, 11, 23), False)
    moves = [move(locality="Yeovil"), move(indicator="Agency social workers", unit="percent")]

    items = moved_away_items(moves, baseline)

    assert [item.text.split(" moved")[0] for item in items] == [
        "Taunton: agency social workers",
        "Yeovil: children looked after per 10,000 children",
    ]
    assert {item.part for item in items} == {"readiness"}
    assert items[1].link == LINK
    assert moved_away_items(moves, None) == ()


def test_the_readiness_part_carries_the_lines_and_says_so_in_its_title():
    baseline = Baseline(date(2026, 11, 23), False)

    part = readiness_part([], baseline, AS_OF, [move()])
    [section] = part.sections

    assert (part.title, section.title) == (WITH_OUTCOMES, SECTION_TITLE)
    assert readiness_part([], baseline, AS_OF, [move(recorded_on=date(2026, 11, 20))]) is None


def test_only_a_board_member_of_the_programme_gets_the_lines():
    facts = DigestFacts(indicator_moves=(move(),))
    baseline = Baseline(date(2026, 11, 23), False)

    def recipient(n, part, programme):
        where = {part: frozenset({programme})}
        return Recipient(n, role_parts=frozenset(where), baseline=baseline,
                         programmes=frozenset({programme}), part_programmes=where)  # fmt: skip

    board = recipient(1, "readiness", 1)
    elsewhere = recipient(2, "readiness", 2)
    trainer = recipient(3, "training", 1)

    assert [i["text"] for i in digest_for(board, facts, AS_OF).items] == [move_text(move())]
    assert digest_for(elsewhere, facts, AS_OF).empty
    assert digest_for(trainer, facts, AS_OF).empty
