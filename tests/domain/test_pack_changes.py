"""What changed between two board packs' states, each kind of change on its own."""

from __future__ import annotations

import copy

from programme.domain.pack_changes import (
    actual,
    brief,
    change_count,
    changes_between,
    criterion_text,
)


def _state(as_of: str = "2027-01-14", **locality) -> dict:
    taunton = {
        "name": "Taunton",
        "criteria": {
            "recruited": {
                "label": "Adult specialists recruited",
                "numerator": 3,
                "denominator": 5,
                "threshold": 80,
                "met": False,
            }
        },
        "milestones": {
            "1": {
                "title": "Agree the data-sharing protocol",
                "due": "2027-02-01",
                "status": "in_progress",
                "completed_on": None,
                "overdue": False,
            }
        },
        "posts": {
            "7": {
                "reference": "T-01",
                "role": "Adult mental health worker",
                "label": "Adult mental health worker, Team A (T-01)",
                "filled": True,
                "holder": "Ann Hale",
            },
            "8": {
                "reference": "T-02",
                "role": "Domestic abuse worker",
                "label": "Domestic abuse worker, Team A (T-02)",
                "filled": False,
                "holder": "",
            },
        },
        "trained": {"20": {"name": "Bo Reed, Team A", "courses": ["Motivational interviewing"]}},
        "decisions": {},
    }
    taunton.update(locality)
    return {"as_of": as_of, "localities": {"3": taunton}}


def _later(state: dict) -> dict:
    later = copy.deepcopy(state)
    later["as_of"] = "2027-02-11"
    return later


def _changes(before: dict, after: dict) -> list[tuple[str, str, str, str]]:
    result = changes_between(before, after)
    return [
        (change["kind"], change["item"], change["before"], change["after"])
        for locality in result["localities"]
        for change in locality["changes"]
    ]


def test_the_first_pack_has_nothing_to_compare_with():
    result = changes_between(None, _state())
    assert result["first"] is True
    assert result["localities"] == []
    assert result["locality_count"] == 1
    assert change_count(result) == 0


def test_nothing_changed():
    before = _state()
    result = changes_between(before, _later(before))
    assert result["first"] is False
    assert result["previous_as_of"] == "2027-01-14"
    assert [locality["name"] for locality in result["localities"]] == ["Taunton"]
    assert change_count(result) == 0
    [criterion] = result["localities"][0]["criteria"]
    assert criterion["direction"] == "same"


def test_a_criterion_moving_up_and_down():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["criteria"]["recruited"].update(numerator=4, met=True, threshold=80)
    assert _changes(before, after) == [
        (
            "criterion",
            "Adult specialists recruited",
            "60% (3 of 5), needs 80%, not met",
            "80% (4 of 5), needs 80%, met",
        )
    ]
    result = changes_between(before, after)
    assert result["localities"][0]["changes"][0]["direction"] == "up"
    assert changes_between(after, before)["localities"][0]["changes"][0]["direction"] == "down"


def test_a_criterion_met_by_a_lower_threshold_moved_up():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["criteria"]["recruited"].update(threshold=60, met=True)
    [change] = changes_between(before, after)["localities"][0]["changes"]
    assert change["direction"] == "up"


def test_a_criterion_added_to_the_gate():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["criteria"]["check"] = {
        "label": "Protocol signed",
        "numerator": 0,
        "denominator": 1,
        "threshold": 100,
        "met": False,
    }
    assert _changes(before, after) == [
        ("criterion", "Protocol signed", "Not in the gate", "0% (0 of 1), needs 100%, not met")
    ]


def test_a_milestone_completed():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["milestones"]["1"].update(status="done", completed_on="2027-01-20")
    assert _changes(before, after) == [
        ("milestone_completed", "Agree the data-sharing protocol", "In progress", "20 Jan 2027")
    ]


def test_a_milestone_slipped():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["milestones"]["1"]["due"] = "2027-03-01"
    assert _changes(before, after) == [
        ("milestone_slipped", "Agree the data-sharing protocol", "1 Feb 2027", "1 Mar 2027")
    ]


def test_a_milestone_brought_forward_is_not_a_slip():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["milestones"]["1"]["due"] = "2027-01-25"
    assert _changes(before, after) == []


def test_a_milestone_newly_overdue_but_not_one_already_overdue():
    before = _state()
    after = _later(before)
    after["localities"]["3"]["milestones"]["1"]["overdue"] = True
    assert _changes(before, after) == [
        ("milestone_overdue", "Agree the data-sharing protocol", "", "Due 1 Feb 2027")
    ]
    assert _changes(after, _later(after)) == []


def test_posts_filled_and_lost():
    before = _state()
    after = _later(before)
    posts = after["localities"]["3"]["posts"]
    posts["7"].update(filled=False, holder="")
    posts["8"].update(filled=True, holder="Cy Dunn")
    assert _changes(before, after) == [
        ("post_filled", "Domestic abuse worker, Team A (T-02)", "Not filled", "Filled by Cy Dunn"),
        (
            "post_lost",
            "Adult mental health worker, Team A (T-01)",
            "Filled by Ann Hale",
            "Not filled",
        ),
    ]


def test_a_filled_post_removed_is_lost():
    before = _state()
    after = _later(before)
    del after["localities"]["3"]["posts"]["7"]
    del after["localities"]["3"]["posts"]["8"]  # never filled: not a loss
    assert _changes(before, after) == [
        (
            "post_lost",
            "Adult mental health worker, Team A (T-01)",
            "Filled by Ann Hale",
            "Post removed",
        )
    ]


def test_people_newly_trained():
    before = _state()
    after = _later(before)
    trained = after["localities"]["3"]["trained"]
    trained["20"]["courses"].append("Family Safeguarding workshops")
    trained["21"] = {"name": "Cy Dunn, Team A", "courses": ["Motivational interviewing"]}
    assert _changes(before, after) == [
        ("person_trained", "Bo Reed, Team A", "", "Completed Family Safeguarding workshops"),
        ("person_trained", "Cy Dunn, Team A", "", "Completed Motivational interviewing"),
    ]


def test_decisions_made_and_rescinded():
    decision = {
        "by": "Dee Board",
        "on": "2027-01-30",
        "rescinded": False,
        "rescinded_by": None,
        "rescinded_on": None,
    }
    before = _state()
    after = _later(before)
    after["localities"]["3"]["decisions"]["5"] = dict(decision)
    assert _changes(before, after) == [
        ("decision_made", "Go live", "", "By Dee Board on 30 Jan 2027")
    ]
    later = _later(after)
    later["localities"]["3"]["decisions"]["5"].update(
        rescinded=True, rescinded_by="Eve Chair", rescinded_on="2027-02-05"
    )
    assert _changes(after, later) == [
        ("decision_rescinded", "Go live", "In force", "Rescinded by Eve Chair on 5 Feb 2027")
    ]


def test_localities_added_and_removed():
    before = _state()
    after = _later(before)
    after["localities"]["4"] = dict(after["localities"].pop("3"), name="Yeovil")
    result = changes_between(before, after)
    assert [(loc["name"], [c["kind"] for c in loc["changes"]]) for loc in result["localities"]] == [
        ("Taunton", ["locality_removed"]),
        ("Yeovil", ["locality_added"]),
    ]


def test_no_localities_then_or_now():
    empty = {"as_of": "2027-01-14", "localities": {}}
    result = changes_between(empty, dict(empty, as_of="2027-02-11"))
    assert result["localities"] == []
    assert result["locality_count"] == 0


def test_a_criterion_as_a_fraction_and_in_words():
    criterion = {"label": "x", "numerator": 1, "denominator": 3, "threshold": 70, "met": False}
    assert actual(criterion) == 1 / 3
    assert actual(dict(criterion, numerator=0, denominator=0)) == 0
    assert criterion_text(criterion) == "33% (1 of 3), needs 70%, not met"


def test_a_localitys_brief_counts_its_changes_by_kind():
    locality = {
        "changes": [
            {"kind": "criterion", "direction": "up"},
            {"kind": "post_filled", "direction": ""},
            {"kind": "post_filled", "direction": ""},
            {"kind": "person_trained", "direction": ""},
        ]
    }
    assert brief(locality) == "1 criterion up, 2 posts filled and 1 person trained"
    assert brief({"changes": []}) == "No change"
