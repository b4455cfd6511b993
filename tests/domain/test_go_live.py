"""Where a locality stands on its way to go-live in words, the minutes note a decision made on a
page needs, the fingerprint of the evidence a confirmation showed, and the timeline template
item that stands for the decision."""

from datetime import date, timedelta

import pytest

from programme.domain.go_live import (
    evidence_fingerprint,
    note_problem,
    phase,
    phase_label,
)
from programme.domain.timeline_templates import TemplateError, load_template, parse_template
from programme.seed_files import TIMELINES_DIR
from tests.conftest import TODAY

GO_LIVE = date(2027, 1, 11)


def test_a_decided_locality_is_approved_until_its_go_live_date_then_live():
    assert phase_label("planning", GO_LIVE, TODAY) == "Planning"
    assert phase_label("live", GO_LIVE, TODAY) == "Approved — goes live on 11 Jan 2027"
    assert phase_label("live", GO_LIVE, GO_LIVE - timedelta(days=1)).startswith("Approved")
    assert phase_label("live", GO_LIVE, GO_LIVE) == "Live"
    assert phase("live", GO_LIVE, GO_LIVE + timedelta(days=1)) == "live"
    assert phase("planning", GO_LIVE, GO_LIVE + timedelta(days=1)) == "planning"


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        (None, "Enter the minutes note"),
        ("", "Enter the minutes note"),
        ("  \n ", "Enter the minutes note"),
        ("Board", "at least 3 words"),
        ("Board 30/11", "at least 3 words"),
        ("Board, 30 November", None),
        ("Operational board, 30 November 2026, item 4", None),
    ],
)
def test_a_minutes_note_names_the_meeting_and_date_in_at_least_three_words(note, problem):
    found = note_problem(note)
    assert (found is None) if problem is None else (problem in found)


def test_the_evidence_fingerprint_changes_with_the_evidence_only():
    evidence = {"as_of": "2026-11-30", "criteria": [{"key": "a", "numerator": 1}]}
    same = {"criteria": [{"numerator": 1, "key": "a"}], "as_of": "2026-11-30"}
    other = {"as_of": "2026-11-30", "criteria": [{"key": "a", "numerator": 2}]}
    assert evidence_fingerprint(evidence) == evidence_fingerprint(same)
    assert evidence_fingerprint(evidence) != evidence_fingerprint(other)
    assert len(evidence_fingerprint(evidence)) == 32


ITEM = """
[[items]]
workstream = "Launch"
title = "Go-live decision"
offset_amount = 0
offset_unit = "months"
source = "Test paper, 2020"
"""


def _template(*lines: str) -> str:
    return 'key = "t"\nname = "Test"\ndescription = "d"\n' + ITEM + "".join(lines)


def test_a_template_item_may_stand_for_the_go_live_decision():
    [item] = parse_template(_template('stands_for = "go_live_decision"\n')).items
    assert item.stands_for == "go_live_decision"
    [item] = parse_template(_template()).items
    assert item.stands_for is None


def test_a_template_item_standing_for_something_unknown_is_refused():
    with pytest.raises(TemplateError, match=r"item 1 \('Go-live decision'\): 'stands_for' must"):
        parse_template(_template('stands_for = "launch_party"\n'))


def test_the_lancashire_decision_item_stands_for_the_go_live_decision():
    template = load_template(TIMELINES_DIR / "lancashire.toml")
    linked = [item.title for item in template.items if item.stands_for == "go_live_decision"]
    assert linked == ["Go-live decision by the operational board"]
