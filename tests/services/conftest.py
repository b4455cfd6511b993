"""Fixtures for the service tests: the demo loaded once per module that asks for it."""

import pytest

from programme.extensions import db
from programme.models import Programme
from programme.services import demo
from tests.conftest import TODAY, empty_tables, make_app, one_shared_transaction


@pytest.fixture(scope="module")
def _demo_world(_migrated):
    """The demo is loaded once for the module (it takes seconds); each test rolls back to it."""
    app = make_app(_migrated)
    with app.app_context():
        empty_tables()
        with one_shared_transaction(app) as savepoint:
            yield demo.load_demo(TODAY).programme.id, savepoint


@pytest.fixture
def demo_programme(_demo_world):
    """The demo programme, in a savepoint its test's changes are rolled back to."""
    programme_id, savepoint = _demo_world
    case = savepoint()
    try:
        yield db.session.get(Programme, programme_id)
    finally:
        db.session.remove()
        case.rollback()
