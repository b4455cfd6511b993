"""The recruitment import at national scale (issue 18): new posts go out in a few INSERTs, updated
posts in batches by id and version, and planning loads only the posts the file names."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, update

from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import resolve_mapping
from programme.domain.recruitment_import import plan_import
from programme.domain.spreadsheet import SheetRow, Table
from programme.extensions import db
from programme.models import ImportChange, Post
from programme.services import batch_insert, localities, recruitment_import_posts
from programme.services.recruitment_import import lookups_for
from programme.services.transaction import transactional
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes
from tests.services.test_recruitment_import import (
    HEADER,
    TAUNTON_TEAM,
    a_programme,
    everything,
    import_,
    new_idva_rows,
    post_with,
    service_error,
)


def _inserts(counter) -> list[str]:
    return [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]


def _mixed_new_rows(count: int) -> list[list]:
    """Rows as HR files mix them: with and without a reference, start date, holder and FTE, so
    that an INSERT leaving out blank values would be split into many."""
    rows = []
    for n in range(count):
        placed = n % 3 == 0
        rows.append(
            [
                f"NEW-{n:04}" if n % 4 else "",
                *TAUNTON_TEAM,
                "IDVA",
                "In post" if placed else "Advertised",
                "0.5" if n % 5 == 0 else "",
                f"Worker {n}" if placed else "",
                f"worker.{n}@example.org" if placed else "",
                "01/06/2025" if placed else "",
                "Seconded" if n % 7 == 0 else "",
            ]
        )
    return rows


def test_a_thousand_new_posts_are_written_in_at_most_five_inserts(app, count_queries):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    localities.create_team(
        create_locality(programme, name="Taunton", slug="taunton"),
        "Taunton FS Team",
        None,
        today=TODAY,
    )  # no posts yet
    db.session.commit()
    data = csv_bytes([HEADER, *_mixed_new_rows(1000)])

    with count_queries() as counter:
        plan = import_(programme, data)

    assert plan.counts == {"created": 1000, "updated": 0, "unchanged": 0, "rejected": 0}
    tables = [statement.split()[2] for statement in _inserts(counter)]
    # Every row's post, first history step and undo row: one statement each, whatever the blanks.
    per_row = [
        table for table in tables if table in ("post", "post_status_change", "import_change")
    ]
    assert per_row == ["post", "post_status_change", "import_change"]
    assert len(per_row) <= 5
    # Besides: the upload's record, the IDVAs' employer it adds and its audit, the import's audit.
    assert len(tables) <= 8
    stored = db.session.scalars(select(Post).where(Post.reference == "NEW-0015")).one()
    assert (stored.start_date, stored.fte, stored.holder_name) == (
        TODAY.replace(2025, 6, 1),
        0.5,
        "Worker 15",
    )
    assert db.session.scalar(select(Post).where(Post.reference == "NEW-0001")).start_date is None


def test_new_posts_beyond_a_batch_are_inserted_a_batch_at_a_time(app, count_queries, monkeypatch):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    localities.create_team(
        create_locality(programme, name="Taunton", slug="taunton"),
        "Taunton FS Team",
        None,
        today=TODAY,
    )
    db.session.commit()
    monkeypatch.setattr(batch_insert, "INSERT_BATCH", 40)

    with count_queries() as counter:
        plan = import_(programme, csv_bytes([HEADER, *_mixed_new_rows(100)]))

    assert plan.counts["created"] == 100
    tables = [statement.split()[2] for statement in _inserts(counter)]
    assert tables.count("post") == 3  # 40 + 40 + 20, whatever the blanks
    assert db.session.scalar(select(func.count()).select_from(Post)) == 100
    assert db.session.scalar(select(func.count()).select_from(ImportChange)) == 100


def test_updating_posts_takes_the_same_statements_for_fifty_as_for_five(app, count_queries):
    five, fifty = a_programme("Five", "five"), a_programme("Fifty", "fifty")
    import_(five, csv_bytes([HEADER, *new_idva_rows(5)]))
    import_(fifty, csv_bytes([HEADER, *new_idva_rows(50)]))

    def statements(programme, rows: int) -> int:
        shortlisted = [[*row[:4], "Shortlisted"] for row in new_idva_rows(rows)]
        db.session.expire_all()
        with count_queries() as counter:
            plan = import_(programme, csv_bytes([HEADER, *shortlisted]))
        assert plan.count("updated") == rows
        return counter.count

    assert statements(five, 5) == statements(fifty, 50)
    post = post_with("TN-049")
    assert (post.status, post.version) == ("shortlisted", 2)
    assert (
        db.session.scalar(
            select(ImportChange.version_after)
            .where(ImportChange.post_id == post.id)
            .order_by(ImportChange.id.desc())
            .limit(1)
        )
        == 2
    )
    assert [step.status for step in post.history] == ["advertised", "shortlisted"]


def test_a_post_changed_after_it_was_planned_refuses_the_whole_import(app, monkeypatch):
    programme = a_programme()
    import_(programme, csv_bytes([HEADER, *new_idva_rows(3)]))
    shortlisted = [[*row[:4], "Shortlisted"] for row in new_idva_rows(3)]
    changed = post_with("TN-001").id
    write = recruitment_import_posts.update_posts

    def edited_meanwhile(rows, versions, today):
        # Someone saves the post between the plan and the write: its version moves on.
        db.session.execute(
            update(Post).where(Post.id == changed).values(notes="Edited", version=Post.version + 1)
        )
        write(rows, versions, today)

    monkeypatch.setattr("programme.services.recruitment_import.update_posts", edited_meanwhile)
    before = everything()

    message = service_error(lambda: import_(programme, csv_bytes([HEADER, *shortlisted])))

    assert message == (
        "Row 3's post was changed while the import ran. Nothing was saved: try the import again."
    )
    db.session.rollback()
    assert everything() == before


def test_planning_loads_only_the_posts_the_file_names(app, monkeypatch):
    programme = a_programme()
    import_(programme, csv_bytes([HEADER, *new_idva_rows(4)]))
    loaded = []
    find = recruitment_import_posts.post_finder

    def recording(programme):
        inner = find(programme)

        def finding(keys, pairs):
            posts = inner(keys, pairs)
            loaded.extend(post.id for post in posts)
            return posts

        return finding

    monkeypatch.setattr("programme.services.recruitment_import.post_finder", recording)
    rows = [["tn-002", *TAUNTON_TEAM, "IDVA", "Shortlisted"]]

    plan = import_(programme, csv_bytes([HEADER, *rows]), dry_run=True)

    assert [row.post_id for row in plan.rows] == [post_with("TN-002").id]
    assert loaded == [post_with("TN-002").id]  # no other post: the reference matched


@pytest.mark.parametrize("references", [("",), ("TN-000", ""), ("NEW-1", "", " tn-003 ", "tn-001")])
@pytest.mark.parametrize("chunk", [500, 1])  # 1: more keys than a chunk, read by one scan
def test_the_posts_found_give_the_plan_the_whole_programme_gives(
    app, monkeypatch, references, chunk
):
    monkeypatch.setattr(recruitment_import_posts, "CHUNK", chunk)
    programme = a_programme()
    import_(programme, csv_bytes([HEADER, *new_idva_rows(4)]))
    places = (TAUNTON_TEAM, ["Bridgwater", "Bridgwater FS Team"])
    rows = [
        (reference, *place, role, "Shortlisted", *[None] * (len(HEADER) - 5))
        for reference in references
        for place in places
        for role in ("IDVA", "Social worker", "Team manager")
    ]
    table = Table(
        tuple(HEADER), 1, [SheetRow(n, cells) for n, cells in enumerate(rows, start=2)], None
    )
    every_pair = set(db.session.execute(select(Post.team_id, Post.role_id).distinct()).all())
    every_post = recruitment_import_posts.post_finder(programme)(set(), every_pair)
    assert len(every_post) == db.session.scalar(select(func.count(Post.id)))

    def planned(existing) -> list[tuple]:
        plan = plan_import(
            replace(table, rows=list(table.rows)),
            resolve_mapping(FIELDS, HEADER),
            lookups_for(programme),
            existing,
            TODAY,
        )
        return [(row.row, row.action, row.post_id, row.changes) for row in plan.rows]

    assert planned(recruitment_import_posts.post_finder(programme)) == planned(every_post)


def test_a_post_changed_between_the_check_and_the_write_is_caught_by_its_version(app, monkeypatch):
    programme = a_programme()
    import_(programme, csv_bytes([HEADER, *new_idva_rows(3)]))
    shortlisted = [[*row[:4], "Shortlisted"] for row in new_idva_rows(3)]
    changed = post_with("TN-002").id
    check = recruitment_import_posts._refuse_if_changed

    def checked_then_edited(rows, versions):
        check(rows, versions)
        db.session.execute(update(Post).where(Post.id == changed).values(version=Post.version + 1))

    monkeypatch.setattr(recruitment_import_posts, "_refuse_if_changed", checked_then_edited)
    before = everything()

    message = service_error(lambda: import_(programme, csv_bytes([HEADER, *shortlisted])))

    assert message == (
        "A post was changed while the import ran. Nothing was saved: try the import again."
    )
    db.session.rollback()
    assert everything() == before


def test_a_post_already_loaded_reads_the_imported_values_in_the_same_transaction(app):
    """The batched UPDATEs bypass the session; a caller that has a post in hand and imports
    within its own transaction (as seed-demo does) must not go on reading the old values."""
    programme = a_programme()
    import_(programme, csv_bytes([HEADER, *new_idva_rows(3)]))
    loaded = post_with("TN-001")

    @transactional
    def import_after_loading():
        assert loaded.status == "advertised"
        shortlisted = [[*row[:4], "Shortlisted"] for row in new_idva_rows(3)]
        import_(programme, csv_bytes([HEADER, *shortlisted]))
        return loaded.status, loaded.version

    assert import_after_loading() == ("shortlisted", 2)
