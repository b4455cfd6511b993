"""The synthetic dataset's rows (programme/domain/scale): the same seed gives the same rows."""

from datetime import UTC, date, datetime

from programme.domain.scale import (
    TABLE_ORDER,
    CourseInfo,
    CriterionInfo,
    EstablishmentLine,
    IdSequence,
    ProgrammeConfig,
    RoleInfo,
    TemplateItemInfo,
    programme_rows,
)

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
ROLES = {
    "social_worker": RoleInfo(1, "social_worker", False, "council"),
    "da_victims": RoleInfo(2, "da_victims", True, "da_charity"),
}
CONFIG = ProgrammeConfig(
    id=1,
    slug="scale-001",
    roles=ROLES,
    establishment=(
        EstablishmentLine("social_worker", 5, 1.0, None),
        EstablishmentLine("da_victims", 2, 1.0, None),
    ),
    courses=(CourseInfo(1, "mi", 16, 1000, ((1, 1), (2, 2)), frozenset({1, 2})),),
    template_items=(
        TemplateItemInfo(1, 1, "Recruit", "", 3, "months", True, None),
        TemplateItemInfo(2, 1, "Go-live decision", "", 1, "weeks", True, "go_live_decision"),
    ),
    criteria=(
        CriterionInfo(
            "adult_specialists_recruited", "Recruited", "adult_specialists_recruited", 70
        ),
    ),
)


def _rows(seed: int, first_id: int = 1) -> dict:
    ids = IdSequence({table: first_id for table in TABLE_ORDER})
    return programme_rows(CONFIG, 1, seed, ids, TODAY, NOW)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    rows = _rows(1)

    assert rows == _rows(1)
    assert rows != _rows(2)
    assert len(rows["locality"]) == 6
    assert len(rows["team"]) == 48
    assert len(rows["post"]) == 48 * 7
    assert len(rows["staff_member"]) == 48 * 12
    assert len(rows["training_session"]) == 6 * 2 * 5
    assert len(rows["milestone"]) == 6 * 2
    assert len(rows["readiness_snapshot"]) == 6 * 8


def test_ids_are_taken_from_where_the_tables_end_and_shift_nothing_else():
    moved = _rows(1, first_id=1001)
    rows = _rows(1)

    assert moved["post"][0]["id"] == 1001
    assert [p["reference"] for p in moved["post"]] == [p["reference"] for p in rows["post"]]
    assert [s["email"] for s in moved["staff_member"]] == [s["email"] for s in rows["staff_member"]]
    emails = [person["email"] for person in rows["staff_member"]]
    assert len(set(emails)) == len(emails)
