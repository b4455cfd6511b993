"""The data steps of the migrations, run on a database holding a programme made before them: its
gate keeps measuring what it measured, and its Lancashire template gains the social work
recruitment milestone once, in its place.

Runs on its own throwaway SQLite file, whatever database the rest of the suite uses.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from programme.extensions import db
from tests.conftest import make_app

NEW_ITEM = "Social work recruitment under way; JDs agreed"


def _filled(table: sa.Table, values: dict) -> dict:
    """`values`, with a plain value for every other column that must have one."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, sa.Boolean):
            row[column.name] = False
        elif isinstance(kind, sa.Integer):
            row[column.name] = 0
        elif isinstance(kind, sa.DateTime):
            row[column.name] = datetime(2026, 1, 5, tzinfo=UTC)
        elif isinstance(kind, sa.JSON):
            row[column.name] = []
        else:
            row[column.name] = "x"
    return row


def _insert(connection, tables, table_name: str, **values) -> int:
    table = tables[table_name]
    return connection.execute(table.insert().values(_filled(table, values))).inserted_primary_key[0]


def _programme_made_at_0005(connection) -> int:
    tables = sa.MetaData()
    tables.reflect(connection)
    t = tables.tables
    programme = _insert(connection, t, "programme", name="Lancashire", slug="lancs")
    # A team with a post and a person in it, under tables the migrations rebuild (team, role).
    locality = _insert(
        connection, t, "locality", programme_id=programme, name="Preston", slug="preston",
        go_live=date(2027, 4, 6), state="planning",
    )  # fmt: skip
    team = _insert(connection, t, "team", locality_id=locality, name="FS Team", kind="area")
    role = _insert(
        connection, t, "role", programme_id=programme, key="idva", name="IDVA",
        adult_specialist=True, agency="da_charity",
    )  # fmt: skip
    _insert(
        connection, t, "post", programme_id=programme, team_id=team, role_id=role,
        status="in_post", agency="da_charity", fte=1.0, frozen=False, version=1,
    )  # fmt: skip
    _insert(
        connection, t, "staff_member", programme_id=programme, team_id=team, role_id=role,
        name="Ann Able", email="ann@example.org", start_date=date(2026, 1, 5), version=1,
    )  # fmt: skip
    for position, (key, criterion) in enumerate(
        [("mi", "trained_mi"), ("fs_workshops", "trained_fs_workshops")]
    ):
        _insert(
            connection, t, "course", programme_id=programme, key=key, name=key,
            criterion=criterion, position=position, counted=["present", "late"], capacity=16,
        )  # fmt: skip
    for position, (key, kind) in enumerate(
        [
            ("adult_specialists_recruited", "adult_specialists_recruited"),
            ("trained_mi", "trained"),
            ("trained_fs_workshops", "trained"),
            ("gate_milestones_done", "gate_milestones"),
        ]
    ):
        _insert(
            connection, t, "gate_criterion", programme_id=programme, key=key, label=key,
            kind=kind, threshold=70, position=position, standard=True,
        )  # fmt: skip
    template = _insert(
        connection, t, "timeline_template", programme_id=programme, key="lancashire", name="L"
    )
    for position, title in enumerate(
        ["Job descriptions agreed", "Adult specialist recruitment under way", "Workshops held"]
    ):
        _insert(
            connection, t, "timeline_template_item", template_id=template, position=position,
            workstream="Workforce and recruitment", title=title, offset_amount=6,
            offset_unit="months",
        )  # fmt: skip
    return template


KEPT = ("post", "staff_member", "course", "gate_criterion", "team", "role")


def _counts(connection) -> dict[str, int]:
    return {
        table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
        for table in KEPT
    }


def test_a_programme_made_before_keeps_its_data_and_gate_and_gains_the_new_milestone(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            template = _programme_made_at_0005(connection)
            before = _counts(connection)
        upgrade()  # 0006, 0007, 0008
        with db.engine.connect() as connection:
            after = _counts(connection)
            courses = dict(
                connection.execute(sa.text("SELECT key, courses FROM gate_criterion")).all()
            )
            items = connection.execute(
                sa.text(
                    "SELECT title, source FROM timeline_template_item "
                    "WHERE template_id = :t ORDER BY position"
                ),
                {"t": template},
            ).all()
        db.engine.dispose()

    # Rebuilding a table on SQLite must not cascade-delete the rows that point at it.
    assert after == before
    assert _decoded(courses) == {
        "adult_specialists_recruited": [],
        "trained_mi": ["mi"],
        "trained_fs_workshops": ["fs_workshops"],
        "gate_milestones_done": [],
    }
    assert [title for title, _source in items] == [
        "Job descriptions agreed",
        "Adult specialist recruitment under way",
        NEW_ITEM,
        "Workshops held",
    ]
    assert dict(items)[NEW_ITEM] == "Lancashire scrutiny update, March 2021"
    assert dict(items)["Workshops held"] is None  # older rows have no source recorded


def _decoded(courses: dict) -> dict:
    return {
        key: json.loads(value) if isinstance(value, str) else value
        for key, value in courses.items()
    }


def test_every_user_but_administrators_gets_their_role_in_every_programme(tmp_path):
    """0017: roles become per programme; each existing user keeps theirs everywhere."""
    app = make_app(f"sqlite:///{tmp_path / 'roles.sqlite'}")
    with app.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            t = tables.tables
            programmes = {
                _insert(connection, t, "programme", name=name, slug=slug)
                for name, slug in (("Somerset", "somerset"), ("Devon", "devon"))
            }
            users = {
                _insert(connection, t, "user", email=f"{role}@example.org", name=role, role=role,
                        active=True): role
                for role in ("admin", "programme_manager", "hr_lead", "viewer")
            }  # fmt: skip
        upgrade()
        with db.engine.connect() as connection:
            rows = set(
                connection.execute(sa.text("SELECT user_id, programme_id, role FROM membership"))
            )
        db.engine.dispose()

    assert rows == {
        (user_id, programme_id, role)
        for user_id, role in users.items()
        if role != "admin"
        for programme_id in programmes
    }


def test_a_programme_made_before_the_catalogue_gains_its_indicators_once(tmp_path):
    """0020: each programme gains the seeded indicators, after any of its own, and keeps an
    indicator it already has under the same key."""
    from programme.services.outcomes.catalogue import default_indicators

    app = make_app(f"sqlite:///{tmp_path / 'indicators.sqlite'}")
    with app.app_context():
        upgrade(revision="0019")
        with db.engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            t = tables.tables
            programme = _insert(connection, t, "programme", name="Bury", slug="bury")
            empty = _insert(connection, t, "programme", name="Dorset", slug="dorset")
            _insert(
                connection, t, "indicator", programme_id=programme, key="turnover",
                name="Our turnover", unit="percent", lower_is_better=True, frequency="monthly",
                group="workforce", description="", source="", position=0, version=1,
            )  # fmt: skip
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT programme_id, key, name, unit, lower_is_better, frequency, position, "
                    'version, "group" FROM indicator ORDER BY programme_id, position'
                )
            ).all()
        db.engine.dispose()

    seeded = [spec.key for spec in default_indicators()]
    bury = [row for row in rows if row.programme_id == programme]
    dorset = [row for row in rows if row.programme_id == empty]
    assert [row.key for row in dorset] == seeded
    assert [row.key for row in bury] == ["turnover", *(k for k in seeded if k != "turnover")]
    assert bury[0].name == "Our turnover"  # its own, untouched
    assert [row.position for row in bury] == list(range(len(seeded)))
    assert {row.version for row in rows} == {1}
    by_key = {row.key: row for row in dorset}
    assert by_key["permanent-share"].lower_is_better in (False, 0)
    assert by_key["average-caseload"].unit == "average"
    assert by_key["children-looked-after"].group == "outcomes"
    # The migration's own copy matches the seed file it was written from.
    assert [(r.key, r.unit, r.frequency) for r in dorset] == [
        (s.key, s.unit, s.frequency) for s in default_indicators()
    ]
