"""Matching rows to posts in linear time (issue 17): the same posts as the row-by-row scan it
replaced, and a fixed number of queries however many rows a file has."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from programme.domain.imports import RowPlan
from programme.domain.recruitment_import import ExistingPost, _match
from programme.domain.spreadsheet import ReadLimits
from programme.services.recruitment_import import RECRUITMENT
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.services.test_recruitment_import import BRIDGWATER_TEAM, TAUNTON_TEAM, a_programme


def _scan(rows: list[RowPlan], existing: list[ExistingPost]) -> dict[int, int | None]:
    """The matching as it was before issue 17, one scan of the team's posts per row: the oracle."""
    by_reference = {p.values["reference"].upper(): p for p in existing if p.values["reference"]}
    claimed, unmatched, found = set(), [], {}
    for row in rows:
        post = by_reference.get((row.values.get("reference") or "").upper())
        if post is not None:
            claimed.add(post.id)
            found[row.row] = post.id
        else:
            unmatched.append(row)
    in_order = sorted(existing, key=lambda post: (bool(post.values["reference"]), post.id))
    for row in unmatched:
        wants_unnumbered = bool(row.values.get("reference"))
        post = next(
            (
                post
                for post in in_order
                if (post.team_id, post.role_id) == (row.values["team_id"], row.values["role_id"])
                and post.id not in claimed
                and not (wants_unnumbered and post.values["reference"])
            ),
            None,
        )
        if post is not None:
            claimed.add(post.id)
        found[row.row] = post.id if post else None
    return found


def _post(post_id: int, team: int, role: int, reference: str | None) -> ExistingPost:
    values = {"reference": reference, "team_id": team, "role_id": role, "status": "vacant"}
    return ExistingPost(post_id, team, role, False, values)


@pytest.mark.parametrize("seed", range(20))
def test_rows_land_on_the_same_posts_as_the_scan_did(seed):
    rng = random.Random(seed)
    ids = rng.sample(range(1, 1000), 60)  # ids out of order, as posts listed by the database
    existing = [
        _post(
            post_id,
            rng.choice((1, 2)),
            rng.choice((1, 2, 3)),
            f"REF-{post_id}" if rng.random() < 0.4 else None,
        )
        for post_id in ids
    ]
    known = [post.values["reference"] for post in existing if post.values["reference"]]
    rows = []
    for number in range(rng.randrange(10, 90)):
        pick = rng.random()
        reference = (
            rng.choice(known).lower()
            if pick < 0.25 and known
            else f"NEW-{number}"
            if pick < 0.6
            else None
        )
        values = {"team_id": rng.choice((1, 2)), "role_id": rng.choice((1, 2, 3))}
        if reference is not None or rng.random() < 0.5:
            values["reference"] = reference
        rows.append(RowPlan(number + 2, "pending", values=values))
    # One row per known reference, as reject_duplicates leaves them.
    seen, unique = set(), []
    for row in rows:
        key = (row.values.get("reference") or "").upper()
        if key and key in seen:
            continue
        seen.add(key)
        unique.append(row)
    expected = _scan(unique, existing)
    lookups = SimpleNamespace(
        role_by_id={role: SimpleNamespace(agency="council") for role in (1, 2, 3)},
        by_type={"council": 7},
    )
    _match(unique, existing, lookups)
    assert {row.row: row.post_id for row in unique} == expected
    assert all((row.action == "created") == (row.post_id is None) for row in unique)


def _file(rows: int) -> bytes:
    header = ["Post ref", "Locality", "Team", "Job title", "Status"]
    lines = [header]
    for number in range(rows):
        where = BRIDGWATER_TEAM if number % 2 else TAUNTON_TEAM
        reference = f"NEW-{number}" if number % 3 else ""
        lines.append([reference, *where, "Social worker", "Out to advert"])
    return csv_bytes(lines)


def test_planning_costs_the_same_queries_for_ten_rows_or_three_hundred(app, count_queries):
    programme = a_programme()
    limits = ReadLimits()

    def queries(rows: int) -> int:
        data = _file(rows)
        with count_queries() as counter:
            plan = RECRUITMENT.preview_file(programme, data, "posts.csv", limits, today=TODAY)
        assert plan.plan.count("rejected") == 0
        return counter.count

    queries(1)  # the first plan also fills caches (the role taxonomy)
    assert queries(10) == queries(300) <= 10
