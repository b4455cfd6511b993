"""Roles a programme manager adds: each gets its own key, whatever its name slugifies to."""

from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from programme.extensions import db
from programme.models import Role
from programme.services.recruitment.roles import create_role, update_role
from tests.builders import create_programme


def add_role(programme, name: str) -> Role:
    return create_role(
        programme, None, name=name, adult_specialist=False, agency="council", names=[]
    )


def keys_of(programme) -> list[str]:
    return list(db.session.scalars(select(Role.key).where(Role.programme_id == programme.id)))


@contextmanager
def integrity_errors():
    """Every unique-constraint violation the database reports while the block runs."""
    seen: list[BaseException] = []

    def note(context):
        if isinstance(context.sqlalchemy_exception, IntegrityError):
            seen.append(context.sqlalchemy_exception)

    event.listen(db.engine, "handle_error", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "handle_error", note)


def test_roles_whose_names_differ_only_by_punctuation_get_distinct_keys(app):
    programme = create_programme()

    roles = [add_role(programme, name) for name in ("DA worker", "DA-worker", "DA / worker!")]

    assert [role.key for role in roles] == ["da_worker", "da_worker_2", "da_worker_3"]
    assert len(set(keys_of(programme))) == len(keys_of(programme))


def test_a_new_role_never_takes_a_numbered_key_another_role_already_has(app):
    programme = create_programme()
    roles_before = len(programme.roles)
    add_role(programme, "Outreach worker")
    # The key a clash used to be given: the role's key and the count of roles, plus one.
    add_role(programme, f"Outreach worker {roles_before + 3}")

    role = add_role(programme, "Outreach-worker")

    assert role.key == "outreach_worker_2"
    assert len(set(keys_of(programme))) == len(keys_of(programme))


def test_adding_and_renaming_roles_never_hits_the_unique_key_constraint(app):
    programme = create_programme()
    [social_worker] = [role for role in programme.roles if role.key == "social_worker"]
    long_name = "Specialist practitioner for " + "domestic abuse " * 5
    names = [
        "Social-worker!",  # a default role's name with other punctuation: its key is taken
        "Social worker 2",
        "Social worker (2)",
        "Social worker_3",
        long_name + "north",
        long_name + "south",
        long_name + "east",
        "!!!",
        "???",
    ]

    with integrity_errors() as errors:
        added = [add_role(programme, name) for name in names]
        # A renamed role keeps its key, so a new role with the old name needs another one.
        update_role(
            social_worker, None, name="Renamed", adult_specialist=False, agency="council", names=[]
        )
        added.append(add_role(programme, "Social worker"))

    assert errors == []
    keys = keys_of(programme)
    assert len(set(keys)) == len(keys)
    assert all(len(key) <= 80 for key in keys)
    assert social_worker.key == "social_worker"
    assert added[-1].key not in {role.key for role in added[:-1]} | {"social_worker"}
