"""A row "In post" with a start date after today is imported as Appointed, with a warning: the
holder has not started, so the post is not filled yet, and the figures say so."""

from __future__ import annotations

from datetime import date

from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import resolve_mapping
from programme.domain.programme_names import (
    LocalityRef,
    RoleRef,
    TeamRef,
    build_lookups,
)
from programme.domain.recruitment import load_taxonomy
from programme.domain.recruitment_import import (
    ExistingPost,
    plan_import,
)
from programme.domain.spreadsheet import SheetRow, Table
from programme.seed_files import ROLES_FILE

TODAY = date(2026, 11, 30)
TAXONOMY = load_taxonomy(ROLES_FILE)
ROLE_IDS = {spec.key: number for number, spec in enumerate(TAXONOMY.roles, start=1)}
TEAM = 10
LOOKUPS = build_lookups(
    [LocalityRef(1, "Bridgwater", "bridgwater")],
    [TeamRef(TEAM, 1, "Bridgwater FS Team")],
    [RoleRef(ROLE_IDS[s.key], s.name, s.key, s.agency, s.names) for s in TAXONOMY.roles],
    [],
    TAXONOMY.agencies,
)
HEADERS = ("Locality", "Team", "Job title", "Current status", "Post holder", "Start date")


def plan(*rows, posts=(), today=TODAY, recruited=("appointed", "in_post")):
    lines = [
        SheetRow(n, ("Bridgwater", "Bridgwater FS Team", "IDVA", *cells))
        for n, cells in enumerate(rows, start=2)
    ]
    table = Table(HEADERS, 1, lines, None)
    return plan_import(table, resolve_mapping(FIELDS, HEADERS), LOOKUPS, posts, today, recruited)


def test_in_post_from_a_later_day_is_imported_as_appointed_with_a_warning():
    result = plan(("In post", "Ann Lee", date(2027, 1, 11)))

    [row] = result.rows
    assert row.action == "created"
    assert row.values["status"] == "appointed"
    assert [w.sentence() for w in row.warnings] == [
        "Row 2, Current status: In post from 11 Jan 2027, which is after today; imported as "
        "Appointed. It counts as recruited from that date."
    ]
    assert row.errors == []
    assert result.counts["rejected"] == 0
    assert result.warnings == row.warnings


def test_any_name_for_in_post_is_treated_alike():
    [row] = plan(("Started", "Ann Lee", "11/01/2027")).rows

    assert row.values["status"] == "appointed"
    assert len(row.warnings) == 1


def test_in_post_from_today_or_before_or_with_no_date_stays_in_post_without_a_warning():
    result = plan(
        ("In post", "Ann Lee", TODAY),
        ("In post", "Bob Day", date(2026, 3, 1)),
        ("In post", "Cy Fox", None),
        ("Appointed", "Di Lo", date(2027, 1, 11)),
    )

    assert [row.values["status"] for row in result.rows] == [
        "in_post",
        "in_post",
        "in_post",
        "appointed",
    ]
    assert result.warnings == []


def test_a_programme_not_counting_appointed_is_told_when_the_post_will_count():
    [row] = plan(("In post", "Ann Lee", date(2027, 1, 11)), recruited=("in_post",)).rows

    [warning] = row.warnings
    assert "imported as Appointed" in warning.message
    assert "change its status to In post once the holder starts" in warning.message


def test_a_post_already_appointed_with_that_start_is_unchanged_and_still_warned():
    current = {
        "team_id": TEAM,
        "role_id": ROLE_IDS["da_victims"],
        "reference": None,
        "agency": "da_charity",
        "fte": 1.0,
        "status": "appointed",
        "holder_name": "Ann Lee",
        "holder_email": "",
        "start_date": date(2027, 1, 11),
        "notes": "",
    }
    existing = ExistingPost(7, TEAM, ROLE_IDS["da_victims"], False, current)

    [row] = plan(("In post", "Ann Lee", date(2027, 1, 11)), posts=(existing,)).rows

    assert row.action == "unchanged"
    assert len(row.warnings) == 1


def test_a_rejected_row_gets_no_warning_and_a_plan_without_today_changes_nothing():
    rejected = plan(("In post", "Ann Lee", "not a date"))
    undated = plan(("In post", "Ann Lee", date(2027, 1, 11)), today=None)

    assert rejected.rows[0].action == "rejected"
    assert rejected.warnings == []
    assert undated.rows[0].values["status"] == "in_post"
