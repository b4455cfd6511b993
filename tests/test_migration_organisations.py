"""0009 turns every post's agency into an employing organisation of that type, one per agency a
programme's posts use, named after the agency's label; downgrading puts the agency back.

Runs on its own throwaway SQLite file (or, with TEST_DATABASE_URL, a scratch schema of the
PostgreSQL database), whatever database the rest of the suite uses.
"""

from __future__ import annotations

import os
from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from programme.extensions import db
from tests.conftest import make_app
from tests.test_migration_data import _insert

AGENCIES = {
    "lancs": ["probation", "probation", "da_charity", "council", "mental_health_trust"],
    "somerset": ["council", "substance_misuse_provider", "police", "other", "probation"],
}


def _database(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS migration_0009 CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA migration_0009"))
        engine.dispose()
        return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigration_0009"
    return f"sqlite:///{tmp_path / 'old.sqlite'}"


def _programmes_at_0008(connection) -> dict[int, tuple[str, str]]:
    """Two programmes with posts of several agencies (and a person each): post id -> (programme
    slug, agency)."""
    tables = sa.MetaData()
    tables.reflect(connection)
    t = tables.tables
    made = {}
    for slug, agencies in AGENCIES.items():
        programme = _insert(connection, t, "programme", name=slug.title(), slug=slug)
        locality = _insert(
            connection, t, "locality", programme_id=programme, name="Central", slug="central",
            go_live=date(2027, 4, 6), state="planning",
        )  # fmt: skip
        team = _insert(connection, t, "team", locality_id=locality, name="FS Team", kind="area")
        role = _insert(
            connection, t, "role", programme_id=programme, key="idva", name="IDVA",
            adult_specialist=True, agency="da_charity",
        )  # fmt: skip
        for agency in agencies:
            post = _insert(
                connection, t, "post", programme_id=programme, team_id=team, role_id=role,
                status="in_post", agency=agency, fte=1.0, frozen=False, version=1,
            )  # fmt: skip
            made[post] = (slug, agency)
        _insert(
            connection, t, "staff_member", programme_id=programme, team_id=team, role_id=role,
            post_id=post, name="Ann Able", email="ann@example.org", version=1,
        )  # fmt: skip
    return made


def _count(connection, table: str) -> int:
    return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


def test_each_post_s_agency_becomes_an_organisation_of_that_type_and_comes_back_down(tmp_path):
    app = make_app(_database(tmp_path))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            made = _programmes_at_0008(connection)
            staff = _count(connection, "staff_member")
        upgrade(revision="0009")
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT post.id, programme.slug, organisation.name, organisation.type, "
                    "organisation.programme_id = post.programme_id "
                    "FROM post JOIN organisation ON organisation.id = post.organisation_id "
                    "JOIN programme ON programme.id = post.programme_id"
                )
            ).all()
            organisations = connection.execute(
                sa.text(
                    "SELECT programme.slug, organisation.name, organisation.type, "
                    "organisation.names, organisation.contact, organisation.version "
                    "FROM organisation JOIN programme ON programme.id = organisation.programme_id "
                    "ORDER BY programme.slug, organisation.name"
                )
            ).all()
            staff_after = _count(connection, "staff_member")
            employers = connection.execute(
                sa.text("SELECT count(*) FROM staff_member WHERE organisation_id IS NULL")
            ).scalar()
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            restored = dict(connection.execute(sa.text("SELECT id, agency FROM post")).all())
            tables = sa.inspect(connection).get_table_names()
        db.engine.dispose()

    assert len(rows) == len(made)  # every post kept, each with its organisation
    assert {post_id: (slug, kind) for post_id, slug, _name, kind, _same in rows} == made
    assert all(same for *_rest, same in rows)
    assert [(slug, name, kind) for slug, name, kind, *_rest in organisations] == [
        ("lancs", "Council", "council"),
        ("lancs", "Domestic abuse charity", "da_charity"),
        ("lancs", "Mental health trust", "mental_health_trust"),
        ("lancs", "Probation", "probation"),
        ("somerset", "Council", "council"),
        ("somerset", "Other", "other"),
        ("somerset", "Police", "police"),
        ("somerset", "Probation", "probation"),
        ("somerset", "Substance misuse provider", "substance_misuse_provider"),
    ]
    assert {(contact, version) for *_rest, contact, version in organisations} == {("", 1)}
    assert staff_after == staff and employers == staff  # nobody's employer is guessed
    assert restored == {post_id: agency for post_id, (_slug, agency) in made.items()}
    assert "organisation" not in tables
