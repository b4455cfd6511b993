"""The Alembic migrations: one line of history, and a schema that matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from programme.extensions import db


def _scripts(app) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def test_the_migrations_have_exactly_one_head(app):
    heads = _scripts(app).get_heads()

    assert len(heads) == 1, f"several Alembic heads, merge them: {heads}"


def test_the_test_database_is_migrated_to_the_head(app):
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()

    assert set(current) == set(_scripts(app).get_heads())


def test_the_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, db.metadata)

    assert differences == [], (
        "the models and the migrations differ; add a migration "
        "(flask --app app db migrate -m '...'):\n" + "\n".join(map(repr, differences))
    )
