"""What changed between two board packs: each locality's gate criteria, milestones, posts, people
trained and go-live decisions at the moment one pack was issued (its *state*), compared with the
same at the next.

Plain Python over plain JSON. A state is what `services/board_packs/state.py` captures and a
pack keeps; JSON keys are text, so ids are text here too:

    {"as_of": "2027-01-14",
     "localities": {"<locality id>": {
        "name": "Taunton",
        "criteria": {"<key>": {"label", "numerator", "denominator", "threshold", "met"}},
        "milestones": {"<id>": {"title", "due", "status", "completed_on", "overdue"}},
        "posts": {"<id>": {"reference", "role", "label", "filled", "holder"}},
        "trained": {"<staff id>": {"name", "courses": [course names complete]}},
        "decisions": {"<id>": {"by", "on", "rescinded", "rescinded_by", "rescinded_on"}}}}}

Dates are ISO text; a criterion's actual value is its share (numerator of denominator) and
`actual` gives it as a fraction. `changes_between` answers with a dict ready for JSON, kept with
the pack and shown on its page and its Changes sheet, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from programme.domain.formatting import count, listed, long_date, percent, share_text
from programme.domain.recruitment import Share

State = Mapping[str, Any]
Change = dict[str, Any]

# The kinds of change, in the order a locality's changes are listed, with what the page and the
# sheet call them.
KINDS: dict[str, str] = {
    "locality_added": "Locality added",
    "locality_removed": "Locality removed",
    "criterion": "Criterion",
    "milestone_completed": "Milestone completed",
    "milestone_slipped": "Milestone slipped",
    "milestone_overdue": "Milestone newly overdue",
    "post_moved": "Post moved here",
    "post_filled": "Post filled",
    "post_lost": "Post no longer filled",
    "person_trained": "Person trained",
    "decision_made": "Go-live decision made",
    "decision_rescinded": "Go-live decision rescinded",
}
_ORDER = {kind: index for index, kind in enumerate(KINDS)}
MOVEMENT_WORDS = {
    "up": "Up",
    "down": "Down",
    "same": "No change",
    "new": "New",
    "removed": "Removed",
    "threshold": "Threshold changed",
}


def empty_state(as_of: date) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), "localities": {}}


def actual(criterion: Mapping[str, Any]) -> float:
    """A criterion's value as a fraction (0.6 is 60%); 0 when there is nothing to count."""
    denominator = criterion.get("denominator") or 0
    return criterion["numerator"] / denominator if denominator else 0.0


def criterion_text(criterion: Mapping[str, Any] | None) -> str:
    """ "60% (3 of 5), needs 70%, not met"."""
    if criterion is None:
        return "Not in the gate"
    share = Share(criterion["numerator"], criterion["denominator"])
    met = "met" if criterion["met"] else "not met"
    return f"{share_text(share)}, needs {percent(criterion['threshold'])}, {met}"


def changes_between(previous: State | None, current: State) -> dict[str, Any]:
    """Everything that changed from `previous` to `current`, per locality (by name). With no
    previous state this is the first pack: nothing to compare, and it says so."""
    if previous is None:
        return {
            "first": True,
            "previous_as_of": None,
            "as_of": current["as_of"],
            "locality_count": len(current["localities"]),
            "localities": [],
        }
    before_all, after_all = previous["localities"], current["localities"]
    # A post or a person may move between localities: each is compared with where it was.
    posts_before, posts_after = _everywhere(before_all, "posts"), _everywhere(after_all, "posts")
    trained_before = _everywhere(before_all, "trained")
    localities = []
    for key in set(before_all) | set(after_all):
        before, after = before_all.get(key), after_all.get(key)
        if before is None:
            changes: list[Change] = [_change("locality_added", after["name"])]
            criteria: list[Change] = []
        elif after is None:
            changes, criteria = [_change("locality_removed", before["name"])], []
        else:
            criteria = list(_criteria(before["criteria"], after["criteria"]))
            changes = [c for c in criteria if c["direction"] != "same"]
            changes += list(_milestones(before["milestones"], after["milestones"]))
            changes += list(_posts(before["posts"], after["posts"], posts_before, posts_after))
            changes += list(_trained(after["trained"], trained_before))
            changes += list(_decisions(before["decisions"], after["decisions"]))
            changes.sort(key=lambda change: _ORDER[change["kind"]])  # grouped by kind
        name = (after or before)["name"]
        localities.append({"id": int(key), "name": name, "criteria": criteria, "changes": changes})
    localities.sort(key=lambda locality: (locality["name"].casefold(), locality["id"]))
    return {
        "first": False,
        "previous_as_of": previous["as_of"],
        "as_of": current["as_of"],
        "locality_count": len(after_all),
        "localities": localities,
    }


# How a locality's changes of each kind are counted in its one-line brief.
_BRIEF_NOUNS: dict[str, tuple[str, str]] = {
    "locality_added": ("locality added", "localities added"),
    "locality_removed": ("locality removed", "localities removed"),
    "milestone_completed": ("milestone completed", "milestones completed"),
    "milestone_slipped": ("milestone slipped", "milestones slipped"),
    "milestone_overdue": ("milestone newly overdue", "milestones newly overdue"),
    "post_moved": ("post moved here", "posts moved here"),
    "post_filled": ("post filled", "posts filled"),
    "post_lost": ("post no longer filled", "posts no longer filled"),
    "person_trained": ("person trained", "people trained"),
    "decision_made": ("go-live decision", "go-live decisions"),
    "decision_rescinded": ("decision rescinded", "decisions rescinded"),
}
_CRITERION_NOUNS = {
    "up": ("criterion up", "criteria up"),
    "down": ("criterion down", "criteria down"),
    "new": ("criterion new to the gate", "criteria new to the gate"),
    "removed": ("criterion removed", "criteria removed"),
    "threshold": ("threshold changed", "thresholds changed"),
}


def brief(locality: Mapping[str, Any]) -> str:
    """A locality's changes counted in one line: "1 criterion up, 2 posts filled and
    12 people trained", so a board sees the shape before the detail."""
    tally: dict[tuple[str, str], int] = {}
    for change in locality["changes"]:
        if change["kind"] == "criterion":
            nouns = _CRITERION_NOUNS.get(change["direction"])
        else:
            nouns = _BRIEF_NOUNS.get(change["kind"])
        if nouns is not None:
            tally[nouns] = tally.get(nouns, 0) + 1
    return listed(count(amount, *nouns) for nouns, amount in tally.items()) or "No change"


def change_count(changes: Mapping[str, Any]) -> int:
    return sum(len(locality["changes"]) for locality in changes.get("localities", []))


def _change(kind: str, item: str, before: str = "", after: str = "", direction: str = "") -> Change:
    return {
        "kind": kind,
        "what": KINDS[kind],
        "item": item,
        "before": before,
        "after": after,
        "direction": direction,
    }


def _criteria(before: Mapping, after: Mapping) -> Iterator[Change]:
    for key in list(after) + [key for key in before if key not in after]:
        old, new = before.get(key), after.get(key)
        if old is None:
            direction = "new"
        elif new is None:
            direction = "removed"
        else:
            moved = actual(new) - actual(old)
            direction = "up" if moved > 0 else "down" if moved < 0 else "same"
            if direction == "same" and old["met"] != new["met"]:
                direction = "up" if new["met"] else "down"  # its threshold moved
            elif direction == "same" and old["threshold"] != new["threshold"]:
                direction = "threshold"  # the bar moved, the figure and the outcome did not
        change = _change(
            "criterion",
            (new or old)["label"],
            criterion_text(old),
            criterion_text(new),
            direction,
        )
        change["what"] = f"Criterion: {MOVEMENT_WORDS[direction].lower()}"
        change["key"] = key
        yield change


def _day(text: str | None) -> str:
    return long_date(date.fromisoformat(text)) if text else "No due date"


def _milestones(before: Mapping, after: Mapping) -> Iterator[Change]:
    for key, new in after.items():
        old = before.get(key)
        title = new["title"]
        if old is not None and old["status"] != "done" and new["status"] == "done":
            done = _day(new["completed_on"]) if new.get("completed_on") else "Done"
            yield _change("milestone_completed", title, _status(old["status"]), done)
        if old is not None and old["due"] and new["due"] and new["due"] > old["due"]:
            yield _change("milestone_slipped", title, _day(old["due"]), _day(new["due"]))
        if new["overdue"] and not (old is not None and old["overdue"]):
            yield _change("milestone_overdue", title, "", f"Due {_day(new['due'])}")


def _status(status: str) -> str:
    return status.replace("_", " ").capitalize()


def _everywhere(localities: Mapping, part: str) -> dict[str, tuple[str, Mapping]]:
    """Every post (or person) of the state by id, with the name of the locality it is in."""
    return {
        key: (locality["name"], item)
        for locality in localities.values()
        for key, item in locality[part].items()
    }


def _posts(before: Mapping, after: Mapping, anywhere_before, anywhere_after) -> Iterator[Change]:
    """A locality's posts against where each was at the last pack: a post moved here from
    another locality says so and keeps its filled state; one that left is reported where it
    went, not as lost here."""
    for key, new in after.items():
        moved_from, old = anywhere_before.get(key, (None, None))
        if key not in before and old is not None:
            yield _change("post_moved", new["label"], f"In {moved_from}", "Here")
        if new["filled"] and not (old is not None and old["filled"]):
            yield _change("post_filled", new["label"], "Not filled", _holder(new))
        elif old is not None and old["filled"] and not new["filled"]:
            yield _change("post_lost", new["label"], _holder(old), "Not filled")
    for key, old in before.items():
        if key not in after and key not in anywhere_after and old["filled"]:
            yield _change("post_lost", old["label"], _holder(old), "Post removed")


def _holder(post: Mapping) -> str:
    return f"Filled by {post['holder']}" if post.get("holder") else "Filled"


def _trained(after: Mapping, anywhere_before) -> Iterator[Change]:
    """People newly complete in a course, wherever they were at the last pack: someone who
    moved here already trained is not newly trained."""
    for key, new in after.items():
        _was_in, old = anywhere_before.get(key, (None, {"courses": ()}))
        had = set(old["courses"])
        for course in new["courses"]:
            if course not in had:
                yield _change("person_trained", new["name"], "", f"Completed {course}")


def _decisions(before: Mapping, after: Mapping) -> Iterator[Change]:
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            yield _change("decision_made", "Go live", "", f"By {new['by']} on {_day(new['on'])}")
        if new["rescinded"] and not (old is not None and old["rescinded"]):
            by = new.get("rescinded_by") or "someone"
            yield _change(
                "decision_rescinded",
                "Go live",
                "In force",
                f"Rescinded by {by} on {_day(new.get('rescinded_on'))}",
            )
